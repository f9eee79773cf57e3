using System.Globalization;
using System.Runtime.Intrinsics;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// A read-only, row-major view of an N × D data set: N rows (observations) of D columns (features).
/// It lives in Data/ but in the root namespace <c>MixtureModels</c>, since it is the type every user passes in first.
/// </summary>
/// <remarks>
/// Every public fitting and query method takes a <see cref="DataMatrix"/>. Arrays convert implicitly, so
/// <c>model.Predict(x)</c> works for <c>double[,]</c>, <c>double[][]</c> and Math.NET <see cref="Matrix{T}"/>.
/// Those conversions copy the values once; <see cref="FromRowMajor(ReadOnlyMemory{double}, int)"/> wraps
/// caller memory without copying. The library never writes to the values.
/// </remarks>
public sealed class DataMatrix
{
    private readonly ReadOnlyMemory<double> _values;

    // What the checks found is kept only when nobody can change the values afterwards: the library's own copies
    // (FromArray, FromJagged, FromMatrix) and the per-call views of caller memory (ForCall), which live for one public
    // call, during which the caller must not change the values. A FromRowMajor view itself keeps nothing: its caller may
    // change the buffer between two calls, and each call must see the values as they are then.
    private readonly bool _memoize;
    private int _finiteState; // 0 unknown, 1 all finite (a benign memo: every thread computes the same answer)
    private bool[]? _missingRows; // per row: has a NaN; computed once on demand (a benign race: every thread computes the same)

    private DataMatrix(ReadOnlyMemory<double> values, int rows, int columns, bool memoize)
    {
        _values = values;
        Rows = rows;
        Columns = columns;
        _memoize = memoize;
    }

    /// <summary>Number of rows (observations), N.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features), D.</summary>
    public int Columns { get; }

    /// <summary>All values, row after row (length N·D).</summary>
    public ReadOnlySpan<double> Values => _values.Span;

    /// <summary>Row <paramref name="index"/> as a span of length D.</summary>
    /// <param name="index">Row index in [0, N).</param>
    public ReadOnlySpan<double> Row(int index)
    {
        if ((uint)index >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, string.Create(CultureInfo.InvariantCulture, $"index = {index} is out of range. Use a row index in [0, {Rows})."));
        }

        return _values.Span.Slice(index * Columns, Columns);
    }

    /// <summary>Copies a rectangular array (rows × columns) into a new data matrix.</summary>
    /// <param name="data">The data, one observation per row. Not modified.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no rows or no columns.</exception>
    public static DataMatrix FromArray(double[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int rows = data.GetLength(0), columns = data.GetLength(1);
        EnsureShape(rows, columns, nameof(data));
        var values = new double[rows * columns];
        int i = 0;
        foreach (double v in data)
        {
            values[i++] = v;
        }

        return new DataMatrix(values, rows, columns, memoize: true);
    }

    /// <summary>Copies a jagged array (one array per row, all of the same length) into a new data matrix.</summary>
    /// <param name="data">The rows. Not modified.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> or one of its rows is null.</exception>
    /// <exception cref="ArgumentException">There are no rows or no columns, or the rows have different lengths.</exception>
    public static DataMatrix FromJagged(double[][] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0)
        {
            throw new ArgumentException("data has 0 rows. Pass at least one row of observations.", nameof(data));
        }

        for (int r = 0; r < data.Length; r++)
        {
            if (data[r] is null)
            {
                throw new ArgumentNullException(nameof(data), string.Create(CultureInfo.InvariantCulture, $"data row {r} is null. Every row must be an array of the same length."));
            }
        }

        int columns = data[0].Length;
        EnsureShape(data.Length, columns, nameof(data));
        var values = new double[data.Length * columns];
        for (int r = 0; r < data.Length; r++)
        {
            if (data[r].Length != columns)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"data is ragged: row {r} has {data[r].Length} values but row 0 has {columns}. Give every row the same number of columns."),
                    nameof(data));
            }

            data[r].CopyTo(values, r * columns);
        }

        return new DataMatrix(values, data.Length, columns, memoize: true);
    }

    /// <summary>Copies a Math.NET matrix (rows are observations) into a new data matrix.</summary>
    /// <param name="data">The matrix. Not modified.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    public static DataMatrix FromMatrix(Matrix<double> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        EnsureShape(data.RowCount, data.ColumnCount, nameof(data));
        var values = new double[data.RowCount * data.ColumnCount];
        for (int r = 0; r < data.RowCount; r++)
        {
            for (int c = 0; c < data.ColumnCount; c++)
            {
                values[(r * data.ColumnCount) + c] = data[r, c];
            }
        }

        return new DataMatrix(values, data.RowCount, data.ColumnCount, memoize: true);
    }

    /// <summary>Wraps row-major memory without copying it.</summary>
    /// <param name="values">N·D values, row after row. The library never writes to them; do not change them while a fit runs.</param>
    /// <param name="columns">Number of columns D, at least 1; the length of <paramref name="values"/> must be a multiple of it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="values"/> is 0 or not a multiple of <paramref name="columns"/>.</exception>
    public static DataMatrix FromRowMajor(ReadOnlyMemory<double> values, int columns)
    {
        if (columns < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), columns, string.Create(CultureInfo.InvariantCulture, $"columns = {columns} is out of range. Pass the number of columns of the row-major data, at least 1."));
        }

        if (values.Length == 0 || values.Length % columns != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"values has length {values.Length}, which is not a positive multiple of columns = {columns}. Pass N·D values for N rows of D columns."),
                nameof(values));
        }

        return new DataMatrix(values, values.Length / columns, columns, memoize: false);
    }

    /// <summary>Copies a rectangular array into a new data matrix; see <see cref="FromArray(double[,])"/>.</summary>
    /// <param name="data">The data, one observation per row.</param>
    public static implicit operator DataMatrix(double[,] data) => FromArray(data);

    /// <summary>Copies a jagged array into a new data matrix; see <see cref="FromJagged(double[][])"/>.</summary>
    /// <param name="data">The rows.</param>
    public static implicit operator DataMatrix(double[][] data) => FromJagged(data);

    /// <summary>Copies a Math.NET matrix into a new data matrix; see <see cref="FromMatrix(Matrix{double})"/>.</summary>
    /// <param name="data">The matrix, one observation per row.</param>
    public static implicit operator DataMatrix(Matrix<double> data) => FromMatrix(data);

    /// <summary>Copies the values into a new rectangular array.</summary>
    public double[,] ToArray()
    {
        var result = HugePages.NewArray<double>(Rows, Columns);
        var span = _values.Span;
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                result[r, c] = span[(r * Columns) + c];
            }
        }

        return result;
    }

    /// <summary>Rows [start, start+count) as a data matrix sharing this one's memory (for minibatches).</summary>
    internal DataMatrix Slice(int start, int count) => new(_values.Slice(start * Columns, count * Columns), count, Columns, _memoize);

    /// <summary>
    /// The matrix one public call works on: this one when its values are the library's own copy, otherwise a fresh view
    /// of the same memory that remembers what this call's checks found (finite, rows with NaN) for the rest of the call
    /// only. Every public method that checks data and then passes it on calls this first, so a caller who changes a
    /// <see cref="FromRowMajor(ReadOnlyMemory{double}, int)"/> buffer between two calls is checked afresh, while the
    /// engine's per-block questions (<see cref="BlockHasMissing"/>) stay answered from one scan.
    /// </summary>
    internal DataMatrix ForCall() => _memoize ? this : new DataMatrix(_values, Rows, Columns, memoize: true);

    /// <summary>Rows [start, start+count) as one row-major span.</summary>
    internal ReadOnlySpan<double> RowBlock(int start, int count) => _values.Span.Slice(start * Columns, count * Columns);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first NaN or infinite entry in row order.</summary>
    /// <param name="parameterName">The name the message and the exception give the data.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads for the scan, or −1 for all cores (the answer does not depend on it).</param>
    internal void EnsureFinite(string parameterName, int maxDegreeOfParallelism = -1)
    {
        if (_memoize && Volatile.Read(ref _finiteState) == 1)
        {
            return;
        }

        long bad = DataScan.FirstNonFinite(_values, Columns, maxDegreeOfParallelism);
        if (bad >= 0)
        {
            ThrowNotFinite(parameterName, bad);
        }

        MarkFinite();
    }

    /// <summary>
    /// <see cref="EnsureFinite"/> and, in the same read of the values, each column's smallest and largest entry (for
    /// the squared-spread check of training data).
    /// </summary>
    /// <param name="parameterName">The name the message and the exception give the data.</param>
    /// <param name="min">D values: each column's smallest entry (filled here).</param>
    /// <param name="max">D values: each column's largest entry (filled here).</param>
    /// <param name="maxDegreeOfParallelism">Worker threads for the scan, or −1 for all cores (the answers do not depend on it).</param>
    internal void EnsureFiniteWithRange(string parameterName, Span<double> min, Span<double> max, int maxDegreeOfParallelism)
    {
        bool known = _memoize && Volatile.Read(ref _finiteState) == 1;
        long bad = DataScan.FirstNonFiniteAndRange(_values, Columns, min, max, maxDegreeOfParallelism, checkFinite: !known);
        if (bad >= 0)
        {
            ThrowNotFinite(parameterName, bad);
        }

        MarkFinite();
    }

    /// <summary>Each column's smallest and largest observed (non-NaN) entry: +∞ and −∞ for a column with none.</summary>
    /// <param name="min">D values (filled here).</param>
    /// <param name="max">D values (filled here).</param>
    /// <param name="maxDegreeOfParallelism">Worker threads for the scan, or −1 for all cores (the answers do not depend on it).</param>
    internal void ObservedRange(Span<double> min, Span<double> max, int maxDegreeOfParallelism) =>
        DataScan.FirstNonFiniteAndRange(_values, Columns, min, max, maxDegreeOfParallelism, checkFinite: false);

    /// <summary>Whether this matrix remembers that every entry is finite (then it is the matrix a call works on, as <see cref="ForCall"/>).</summary>
    internal bool IsKnownFinite => _memoize && Volatile.Read(ref _finiteState) == 1;

    /// <summary>
    /// A view of the same values, private to one call, that answers as if every entry were finite (no row has a missing
    /// entry) before anyone checked: for a pass that checks the values as it goes (<see cref="DeferredFiniteCheck"/>).
    /// </summary>
    internal DataMatrix ProvisionallyFiniteView() => new(_values, Rows, Columns, memoize: true) { _finiteState = 1 };

    /// <summary>Remembers, when this matrix can (see <see cref="ForCall"/>), that every entry was found finite.</summary>
    internal void MarkFinite()
    {
        if (_memoize)
        {
            Volatile.Write(ref _finiteState, 1); // all finite: no row has a missing entry (HasMissing, BlockHasMissing)
        }
    }

    /// <summary>Throws the <see cref="ArgumentException"/> that names entry <paramref name="index"/> (row-major) as not finite.</summary>
    internal void ThrowNotFinite(string parameterName, long index)
    {
        double value = _values.Span[(int)index];
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"{parameterName} contains {value} at row {index / Columns}, column {index % Columns}. Remove or impute missing and infinite values before calling this method."),
            parameterName);
    }

    /// <summary>
    /// Checks data in which NaN means "not observed": throws an <see cref="ArgumentException"/> for ±∞, for a row with
    /// every entry missing, and (when <paramref name="everyColumnObserved"/>) for a column with no observed entry.
    /// </summary>
    internal void EnsureObservedOrMissing(string parameterName, bool everyColumnObserved)
    {
        var span = _values.Span;
        var observedInColumn = everyColumnObserved ? new bool[Columns] : null;
        for (int r = 0; r < Rows; r++)
        {
            bool any = false;
            for (int c = 0; c < Columns; c++)
            {
                double v = span[(r * Columns) + c];
                if (double.IsInfinity(v))
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"{parameterName} contains {v} at row {r}, column {c}. Infinite values are invalid even with missing-value support (NaN marks a missing entry); remove or replace them."),
                        parameterName);
                }

                if (!double.IsNaN(v))
                {
                    any = true;
                    if (observedInColumn is not null)
                    {
                        observedInColumn[c] = true;
                    }
                }
            }

            if (!any)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{parameterName} row {r} has every entry missing (NaN). Drop the row: it carries no information."),
                    parameterName);
            }
        }

        if (observedInColumn is not null)
        {
            int never = Array.IndexOf(observedInColumn, false);
            if (never >= 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{parameterName} column {never} is never observed (NaN in every row). Drop the column: nothing can be learned about it."),
                    parameterName);
            }
        }
    }

    /// <summary>Whether any entry is NaN.</summary>
    internal bool HasMissing =>
        _memoize ? Volatile.Read(ref _finiteState) != 1 && Array.IndexOf(MissingRows(), true) >= 0 : HasNaN(_values.Span);

    /// <summary>Whether any row in [start, start+count) has a NaN (of a view that keeps nothing: a scan of those rows only).</summary>
    internal bool BlockHasMissing(int start, int count) =>
        _memoize ? Volatile.Read(ref _finiteState) != 1 && Array.IndexOf(MissingRows(), true, start, count) >= 0 : HasNaN(RowBlock(start, count));

    /// <summary>A copy with every NaN replaced by its column's mean over the observed entries (for initialisers only).</summary>
    internal DataMatrix WithColumnMeansImputed()
    {
        var span = _values.Span;
        var sums = new double[Columns];
        var counts = new int[Columns];
        for (int i = 0; i < span.Length; i++)
        {
            if (!double.IsNaN(span[i]))
            {
                sums[i % Columns] += span[i];
                counts[i % Columns]++;
            }
        }

        var values = span.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                int c = i % Columns;
                values[i] = counts[c] > 0 ? sums[c] / counts[c] : 0;
            }
        }

        return new DataMatrix(values, Rows, Columns, memoize: true);
    }

    private bool[] MissingRows()
    {
        var known = Volatile.Read(ref _missingRows);
        if (known is not null)
        {
            return known;
        }

        var span = _values.Span;
        var rows = new bool[Rows];
        for (int r = 0; r < Rows; r++)
        {
            rows[r] = HasNaN(span.Slice(r * Columns, Columns));
        }

        Volatile.Write(ref _missingRows, rows);
        return rows;
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        // NaN is the only value not equal to itself: whole vectors are cleared at once.
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<double>.Count <= values.Length; i += Vector256<double>.Count)
            {
                var v = Vector256.Create(values.Slice(i, Vector256<double>.Count));
                if (!Vector256.EqualsAll(v, v))
                {
                    return true;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Throws unless the data has exactly <paramref name="columns"/> columns.</summary>
    internal void EnsureColumns(int columns, string parameterName)
    {
        if (Columns != columns)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{parameterName} has {Columns} columns but the model was fitted on {columns}. Pass data with the same {columns} columns, in the same order, as the training data."),
                parameterName);
        }
    }

    private static void EnsureShape(int rows, int columns, string parameterName)
    {
        if (rows == 0 || columns == 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{parameterName} has shape {rows} × {columns}. Pass at least one row and one column."),
                parameterName);
        }
    }
}
