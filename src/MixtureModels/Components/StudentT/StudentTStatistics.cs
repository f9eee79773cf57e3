using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.StudentT;

/// <summary>
/// Weighted sufficient statistics of one Student-t component for the EM step of Peel and McLachlan (2000). With row
/// weights r (responsibility × sample weight) and the expected latent weights u = (ν + D)/(ν + δ²) under the component
/// being re-estimated (<see cref="Current"/>; u = 1 without one, which makes the statistics Gaussian), they hold
/// W = Σ r, U = Σ r·u, s = Σ r·u·(x − a), S = Σ r·u·(x − a)(x − a)ᵀ about a reference point a (the current location, or
/// the first row seen), and Σ r·(log u − u) for the degrees-of-freedom equation. Rows with missing entries (NaN) enter
/// through <see cref="AccumulateIncomplete"/> as their expected statistics given the observed entries (McLachlan and
/// Peel's ECM for t with missing data).
/// </summary>
public sealed class StudentTStatistics : ISufficientStatistics<StudentTStatistics>, IMissingValueStatistics, IScalableStatistics
{
    private readonly double[] _reference;
    private readonly double[] _sum;
    private readonly double[] _scatter; // D×D row-major, upper triangle accumulated
    private bool _hasReference;

    /// <summary>Creates empty statistics for re-estimating <paramref name="current"/> (or, when null, for the first M-step after an initialiser: u = 1).</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="current">The component being re-estimated, of dimension D, or null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="current"/> has another dimension.</exception>
    public StudentTStatistics(int dimension, StudentTComponent? current = null)
    {
        ArgumentChecks.AtLeast(dimension, 1, nameof(dimension), "Use the data's column count, at least 1.");
        Dimension = dimension;
        _reference = new double[dimension];
        _sum = new double[dimension];
        _scatter = new double[dimension * dimension];
        Reset(current);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>The component being re-estimated, whose expected weights u the statistics use; null for the initial M-step (u = 1).</summary>
    public StudentTComponent? Current { get; private set; }

    /// <summary>W = Σ r, the total row weight (the component's share of the data).</summary>
    public double TotalWeight { get; private set; }

    /// <summary>U = Σ r·u.</summary>
    public double ExpectedWeightSum { get; private set; }

    /// <summary>
    /// Σ r·(log u − u), the data term of the degrees-of-freedom equation. A row with |O| &lt; D observed entries adds
    /// r·(E[log u] − E[u]) − r·(ψ((ν₀ + D)/2) − log((ν₀ + D)/2)) instead, with E[u] = (ν₀ + |O|)/(ν₀ + δ_O²) and
    /// E[log u] = log E[u] + ψ((ν₀ + |O|)/2) − log((ν₀ + |O|)/2), so that the family's M-step, which adds the last term
    /// back for every row, solves the equation of the observed data.
    /// </summary>
    public double LogWeightTerm { get; private set; }

    /// <summary>The reference point a (length D); all zeros until a row has been seen when there is no current component.</summary>
    public ReadOnlySpan<double> Reference => _reference;

    /// <summary>s = Σ r·u·(x − a), length D.</summary>
    public ReadOnlySpan<double> WeightedSum => _sum;

    /// <summary>S = Σ r·u·(x − a)(x − a)ᵀ, D × D row-major (upper triangle).</summary>
    public ReadOnlySpan<double> Scatter => _scatter;

    /// <summary>The D × D scatter and the vectors: 8·(D² + 2D) bytes and a little more.</summary>
    long ISufficientStatistics.SizeInBytes => (8L * Dimension * (Dimension + 2)) + 96;

    /// <inheritdoc />
    public void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int d = Dimension;
        SpanArguments.Block(rows, weights.Length, d);
        var current = Current;
        Span<double> centred = d <= 64 ? stackalloc double[d] : new double[d];
        for (int n = 0; n < weights.Length; n++)
        {
            double r = weights[n];
            if (r == 0)
            {
                continue;
            }

            var row = rows.Slice(n * d, d);
            if (!_hasReference)
            {
                row.CopyTo(_reference);
                _hasReference = true;
            }

            double u = 1;
            if (current is not null)
            {
                u = current.ExpectedWeightOfDistance(current.MahalanobisSquared(row));
            }

            double ru = r * u;
            TotalWeight += r;
            ExpectedWeightSum += ru;
            LogWeightTerm += r * (Math.Log(u) - u);
            for (int i = 0; i < d; i++)
            {
                centred[i] = row[i] - _reference[i];
                _sum[i] += ru * centred[i];
            }

            for (int i = 0; i < d; i++)
            {
                double wi = ru * centred[i];
                var scatterRow = _scatter.AsSpan(i * d, d);
                for (int j = i; j < d; j++)
                {
                    scatterRow[j] += wi * centred[j];
                }
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Expected statistics under the component being re-estimated (McLachlan and Peel 2000, §7.5): a row with observed
    /// entries O gets u = (ν + |O|)/(ν + δ_O²), is completed as x̂ = (x_O, μ_M + Σ_MO Σ_OO⁻¹ (x_O − μ_O)), and adds r·u·(x̂ − a)
    /// to the sum and r·u·(x̂ − a)(x̂ − a)ᵀ + r·C to the scatter, C = Σ_MM − Σ_MO Σ_OO⁻¹ Σ_OM in the missing rows and
    /// columns (E[u·x_M x_Mᵀ | x_O] = u·x̂_M x̂_Mᵀ + C, since x_M | x_O, u has scale C/u). Rows without NaN add what
    /// <see cref="Accumulate"/> adds. EM's log-likelihood of the observed entries never decreases.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The statistics know no current component (the initial M-step: the fitter initialises on a copy of the data with missing entries imputed).</exception>
    public void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int d = Dimension;
        SpanArguments.Block(rows, weights.Length, d);
        var current = Current;
        if (weights.Length == 0)
        {
            return;
        }

        if (current is null)
        {
            throw new InvalidOperationException("AccumulateIncomplete needs the Student-t component being re-estimated: create the statistics with the family's CreateStatistics(current) or ResetStatistics(statistics, current). Rows with missing entries cannot enter the initial M-step; impute them first.");
        }

        Span<double> centred = d <= 64 ? stackalloc double[d] : new double[d];
        Span<double> completed = d <= 64 ? stackalloc double[d] : new double[d];
        Span<double> observedCentred = d <= 64 ? stackalloc double[d] : new double[d];
        double nu = current.DegreesOfFreedom;
        double fullTerm = DigammaTerm(nu, d);
        StudentTPattern? last = null;
        for (int n = 0; n < weights.Length; n++)
        {
            double r = weights[n];
            if (r == 0)
            {
                continue;
            }

            var row = rows.Slice(n * d, d);
            StudentTPattern? pattern = null;
            double u;
            double logTerm;
            if (SpanArguments.HasNaN(row))
            {
                pattern = last = StudentTPattern.For(row, current.ScaleSpan, last);
                int o = pattern.Observed.Length;
                double distance = pattern.Distance(row, current.Mean, observedCentred);
                pattern.Complete(row, current.Mean, observedCentred, completed);
                u = (nu + o) / (nu + distance);
                logTerm = Math.Log(u) - u + (DigammaTerm(nu, o) - fullTerm);
            }
            else
            {
                row.CopyTo(completed);
                u = current.ExpectedWeightOfDistance(current.MahalanobisSquared(row));
                logTerm = Math.Log(u) - u;
            }

            if (!_hasReference)
            {
                completed.CopyTo(_reference);
                _hasReference = true;
            }

            double ru = r * u;
            TotalWeight += r;
            ExpectedWeightSum += ru;
            LogWeightTerm += r * logTerm;
            for (int i = 0; i < d; i++)
            {
                centred[i] = completed[i] - _reference[i];
                _sum[i] += ru * centred[i];
            }

            for (int i = 0; i < d; i++)
            {
                double wi = ru * centred[i];
                var scatterRow = _scatter.AsSpan(i * d, d);
                for (int j = i; j < d; j++)
                {
                    scatterRow[j] += wi * centred[j];
                }
            }

            if (pattern is not null)
            {
                var missing = pattern.Missing;
                int m = missing.Length;
                var conditional = pattern.Conditional;
                for (int p = 0; p < m; p++)
                {
                    for (int q = p; q < m; q++)
                    {
                        _scatter[(missing[p] * d) + missing[q]] += r * conditional[(p * m) + q];
                    }
                }
            }
        }
    }

    /// <summary>
    /// The way in for the batched kernel: adds a block's W, U = Σ r·u and Σ r·(log u − u), its sum Σ r·u·(x − a) (length
    /// ≥ D) and the upper triangle of its scatter Σ r·u·(x − a)(x − a)ᵀ (row stride <paramref name="stride"/>), both
    /// about <see cref="Reference"/>, which must be set (a current component).
    /// </summary>
    internal void AddBlock(double totalWeight, double expectedWeightSum, double logWeightTerm, ReadOnlySpan<double> sum, ReadOnlySpan<double> scatter, int stride)
    {
        int d = Dimension;
        TotalWeight += totalWeight;
        ExpectedWeightSum += expectedWeightSum;
        LogWeightTerm += logWeightTerm;
        for (int i = 0; i < d; i++)
        {
            _sum[i] += sum[i];
            for (int j = i; j < d; j++)
            {
                _scatter[(i * d) + j] += scatter[(i * stride) + j];
            }
        }
    }

    /// <summary>ψ((ν + m)/2) − log((ν + m)/2): E[log u] − log E[u] given m observed entries.</summary>
    internal static double DigammaTerm(double nu, int observed)
    {
        double half = (nu + observed) / 2;
        return MathNet.Numerics.SpecialFunctions.DiGamma(half) - Math.Log(half);
    }

    /// <inheritdoc />
    public void Scale(double factor)
    {
        ScaleFactor.Check(factor);
        TotalWeight *= factor;
        ExpectedWeightSum *= factor;
        LogWeightTerm *= factor;
        ScaleFactor.Apply(_sum, factor);
        ScaleFactor.Apply(_scatter, factor);
    }

    /// <inheritdoc />
    public void Clear()
    {
        TotalWeight = 0;
        ExpectedWeightSum = 0;
        LogWeightTerm = 0;
        Array.Clear(_sum);
        Array.Clear(_scatter);
    }

    /// <inheritdoc />
    /// <remarks>The other statistics' moments are moved to this reference point; both should have been computed under the same current component.</remarks>
    public void Merge(StudentTStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Dimension != Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(other), string.Create(CultureInfo.InvariantCulture, $"other has dimension {other.Dimension} but these statistics have dimension {Dimension}. Merge statistics of the same dimension."));
        }

        if (!other._hasReference && other.TotalWeight == 0)
        {
            return;
        }

        if (!_hasReference)
        {
            other._reference.CopyTo(_reference, 0);
            _hasReference = true;
        }

        int d = Dimension;
        Span<double> shift = d <= 64 ? stackalloc double[d] : new double[d];
        for (int i = 0; i < d; i++)
        {
            shift[i] = other._reference[i] - _reference[i];
        }

        // Σ r·u·(x − a) = Σ r·u·(x − b) + U·(b − a), and likewise for the scatter.
        double uo = other.ExpectedWeightSum;
        var so = other._sum;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                _scatter[(i * d) + j] += other._scatter[(i * d) + j] + (so[i] * shift[j]) + (shift[i] * so[j]) + (uo * shift[i] * shift[j]);
            }
        }

        for (int i = 0; i < d; i++)
        {
            _sum[i] += so[i] + (uo * shift[i]);
        }

        TotalWeight += other.TotalWeight;
        ExpectedWeightSum += uo;
        LogWeightTerm += other.LogWeightTerm;
    }

    /// <summary>
    /// Rebuilds statistics from stored values (deserialisation): the current component (or null), W, U, the ν term, and the
    /// reference point (empty when none was set), s and S. Lengths and finiteness are checked.
    /// </summary>
    internal static StudentTStatistics Restore(int dimension, StudentTComponent? current, double totalWeight, double expectedWeightSum, double logWeightTerm, ReadOnlySpan<double> reference, ReadOnlySpan<double> weightedSum, ReadOnlySpan<double> scatter)
    {
        var result = new StudentTStatistics(dimension, current);
        if (!(totalWeight >= 0) || !double.IsFinite(totalWeight) || !(expectedWeightSum >= 0) || !double.IsFinite(expectedWeightSum) || !double.IsFinite(logWeightTerm))
        {
            ThrowHelper.ThrowArgument(nameof(totalWeight), "totalWeight and expectedWeightSum must be finite and non-negative, and logWeightTerm finite.");
        }

        if ((!reference.IsEmpty && reference.Length != dimension) || weightedSum.Length != dimension || scatter.Length != dimension * dimension)
        {
            ThrowHelper.ThrowArgument(nameof(weightedSum), string.Create(CultureInfo.InvariantCulture, $"reference and weightedSum must hold D = {dimension} values (reference may be empty) and scatter D × D."));
        }

        result.TotalWeight = totalWeight;
        result.ExpectedWeightSum = expectedWeightSum;
        result.LogWeightTerm = logWeightTerm;
        result._hasReference = !reference.IsEmpty;
        if (reference.IsEmpty)
        {
            Array.Clear(result._reference);
        }
        else
        {
            reference.CopyTo(result._reference);
        }

        weightedSum.CopyTo(result._sum);
        scatter.CopyTo(result._scatter);
        return result;
    }

    /// <summary>Whether the reference point has been set (by the current component, a row or a merge).</summary>
    internal bool HasReference => _hasReference;

    /// <summary>Empties the statistics and centres them on <paramref name="current"/> (or leaves the reference to the first row seen).</summary>
    internal void Reset(StudentTComponent? current)
    {
        if (current is not null && current.Dimension != Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(current), string.Create(CultureInfo.InvariantCulture, $"current has dimension {current.Dimension} but the statistics have dimension {Dimension}. Pass a component of the data's dimension."));
        }

        Clear();
        Current = current;
        if (current is null)
        {
            Array.Clear(_reference);
            _hasReference = false;
        }
        else
        {
            current.Mean.CopyTo(_reference);
            _hasReference = true;
        }
    }

    /// <summary>Writes the location Σ r·u·x / Σ r·u into <paramref name="mean"/> and adds Σ r·u·(x − μ)(x − μ)ᵀ (full symmetric) to <paramref name="scatter"/>.</summary>
    internal void CentredMoments(Span<double> mean, Span<double> scatter)
    {
        int d = Dimension;
        double u = ExpectedWeightSum + MixtureConstants.EmptyComponentWeight;
        for (int i = 0; i < d; i++)
        {
            mean[i] = _reference[i] + (_sum[i] / u);
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = _scatter[(i * d) + j] - (_sum[i] * _sum[j] / u);
                scatter[(i * d) + j] += v;
                if (j != i)
                {
                    scatter[(j * d) + i] += v;
                }
            }
        }
    }
}
