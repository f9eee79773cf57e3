using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// The first pass of an out-of-core fit: counts the rows, checks them as <see cref="InputValidation.TrainingData"/>
/// checks rows in memory (finite, or NaN only as a missing entry; no all-missing row; every column observed; squared
/// spread finite; the family's own check) with messages that name the source row, and draws the initialisation sample:
/// a uniform reservoir sample (Vitter's algorithm R, row by row in source order, from a generator seeded with the
/// options' seed) of at most <see cref="MixtureOptions.SourceSampleRows"/> rows. Row by row in order, the sample does
/// not depend on how the source cuts its blocks; a source of no more rows than that yields all its rows, in order.
/// </summary>
internal sealed class SourceScan
{
    private readonly int _capacity;
    private readonly MissingValueHandling _missingValues;
    private readonly Random _random;
    private double[] _sample = [];
    private int _sampleRows;
    private long _seen;
    private double[] _min = [];
    private double[] _max = [];
    private bool[] _observed = [];

    private SourceScan(int capacity, MissingValueHandling missingValues, int seed)
    {
        _capacity = capacity;
        _missingValues = missingValues;
        _random = new Random(seed);
    }

    /// <summary>Rows of the source.</summary>
    public int Rows { get; private set; }

    /// <summary>Columns of the source.</summary>
    public int Columns { get; private set; }

    /// <summary>The initialisation sample: every row when the source has at most the sample size, in source order.</summary>
    public DataMatrix Sample => DataMatrix.FromRowMajor(_sample.AsMemory(0, _sampleRows * Columns), Columns);

    /// <summary>Whether the sample holds every row of the source.</summary>
    public bool SampleIsComplete => _sampleRows == Rows;

    /// <summary>Reads the source once; <paramref name="validatorFor"/> gives the family's check for the column count (or null).</summary>
    public static SourceScan Run(RowFeed feed, MixtureOptions options, Func<int, IDataValidator?> validatorFor, CancellationToken cancellationToken)
    {
        var scan = new SourceScan(options.SourceSampleRows, options.MissingValues, options.Seed);
        IDataValidator? validator = null;
        bool marginalize = options.MissingValues == MissingValueHandling.Marginalize;
        var (rows, columns) = feed.Pass(-1, -1, (batch, firstRow) =>
        {
            if (scan.Columns == 0)
            {
                scan.Start(batch.Columns);
                validator = validatorFor(batch.Columns);
            }

            scan.Check(batch, firstRow);
            if (validator is not null)
            {
                try
                {
                    validator.Validate(batch, "source", marginalize);
                }
                catch (ArgumentException e)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"In the source's rows from {firstRow} (rows below counted from there): {e.Message}"), "source", e);
                }
            }

            scan.Add(batch);
        }, cancellationToken);
        scan.Rows = rows;
        scan.Columns = columns;
        scan.Finish();
        return scan;
    }

    private void Start(int columns)
    {
        Columns = columns;
        _min = new double[columns];
        _max = new double[columns];
        _observed = new bool[columns];
        Array.Fill(_min, double.PositiveInfinity);
        Array.Fill(_max, double.NegativeInfinity);
        _sample = new double[Math.Min(_capacity, 4096) * columns];
    }

    private void Check(DataMatrix batch, int firstRow)
    {
        var values = batch.Values;
        int d = Columns;
        for (int r = 0; r < batch.Rows; r++)
        {
            bool any = false;
            for (int c = 0; c < d; c++)
            {
                double v = values[(r * d) + c];
                if (double.IsFinite(v))
                {
                    any = true;
                    _observed[c] = true;
                    _min[c] = Math.Min(_min[c], v);
                    _max[c] = Math.Max(_max[c], v);
                }
                else if (_missingValues != MissingValueHandling.Marginalize)
                {
                    ThrowHelper.ThrowArgument("source", string.Create(CultureInfo.InvariantCulture, $"source contains {v} at row {firstRow + r}, column {c}. Remove or impute missing and infinite values, or set MissingValues = Marginalize if NaN marks a missing entry."));
                }
                else if (double.IsInfinity(v))
                {
                    ThrowHelper.ThrowArgument("source", string.Create(CultureInfo.InvariantCulture, $"source contains {v} at row {firstRow + r}, column {c}. Infinite values are invalid even with missing-value support (NaN marks a missing entry); remove or replace them."));
                }
            }

            if (!any)
            {
                ThrowHelper.ThrowArgument("source", string.Create(CultureInfo.InvariantCulture, $"source row {firstRow + r} has every entry missing (NaN). Drop the row: it carries no information."));
            }
        }
    }

    /// <summary>Algorithm R: the first rows fill the reservoir; row i (from 0) then replaces a uniform slot j ≤ i when j falls inside it.</summary>
    private void Add(DataMatrix batch)
    {
        int d = Columns;
        var values = batch.Values;
        for (int r = 0; r < batch.Rows; r++, _seen++)
        {
            int slot;
            if (_seen < _capacity)
            {
                slot = _sampleRows++;
                if (_sample.Length < _sampleRows * d)
                {
                    Array.Resize(ref _sample, (int)Math.Min((long)_capacity * d, 2L * _sample.Length));
                }
            }
            else
            {
                long j = _random.NextInt64(_seen + 1);
                if (j >= _capacity)
                {
                    continue;
                }

                slot = (int)j;
            }

            values.Slice(r * d, d).CopyTo(_sample.AsSpan(slot * d, d));
        }
    }

    private void Finish()
    {
        int never = Array.IndexOf(_observed, false);
        if (never >= 0 && _missingValues == MissingValueHandling.Marginalize)
        {
            ThrowHelper.ThrowArgument("source", string.Create(CultureInfo.InvariantCulture, $"source column {never} is never observed (NaN in every row). Drop the column: nothing can be learned about it."));
        }

        double spread = 0;
        int widest = 0;
        for (int j = 0; j < Columns; j++)
        {
            double range = _observed[j] ? _max[j] - _min[j] : 0;
            spread += range * range;
            if (range > _max[widest] - _min[widest])
            {
                widest = j;
            }
        }

        if (!double.IsFinite(spread))
        {
            ThrowHelper.ThrowArgument("source", string.Create(CultureInfo.InvariantCulture, $"source spans [{_min[widest]}, {_max[widest]}] in column {widest}, so squared distances and variances overflow: scale the data (for example divide every column by its standard deviation) before fitting."));
        }
    }
}
