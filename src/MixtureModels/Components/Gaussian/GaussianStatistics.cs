using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// Weighted first and second moments of rows, accumulated about a reference point a (not about the origin,
/// so that data with a large offset keeps its precision): W = Σ wₙ, s = Σ wₙ(xₙ − a), and a scatter
/// Σ wₙ(xₙ − a)(xₙ − a)ᵀ whose shape (full or diagonal) the derived type decides.
/// </summary>
public abstract class GaussianStatistics : ISufficientStatistics<GaussianStatistics>, IMissingValueStatistics, IScalableStatistics
{
    private readonly double[] _sum;
    private double[]? _reference;

    private protected GaussianStatistics(int dimension, ReadOnlySpan<double> reference)
    {
        if (dimension < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(dimension), dimension, "Use a dimension of at least 1.");
        }

        Dimension = dimension;
        _sum = new double[dimension];
        if (!reference.IsEmpty)
        {
            if (reference.Length != dimension)
            {
                ThrowHelper.ThrowArgument(nameof(reference), $"reference has length {reference.Length}; it must have length {dimension}.");
            }

            _reference = reference.ToArray();
        }
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public double TotalWeight { get; private set; }

    /// <summary>The reference point a the moments are centred on; empty until the first row or merge sets it.</summary>
    public ReadOnlySpan<double> Reference => _reference;

    /// <summary>s = Σ wₙ(xₙ − a).</summary>
    public ReadOnlySpan<double> WeightedSum => _sum;

    /// <inheritdoc />
    public void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int count = weights.Length;
        if (count == 0)
        {
            return;
        }

        _reference ??= rows[..Dimension].ToArray();
        double total = VectorKernels.Sum(weights);
        if (total == 0)
        {
            return;
        }

        TotalWeight += total;
        AccumulateMoments(rows[..(count * Dimension)], weights, _reference, _sum);
    }

    /// <inheritdoc />
    /// <remarks>Full and diagonal scatter statistics do not mix: <paramref name="other"/> must be of the same derived type.</remarks>
    public void Merge(GaussianStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.GetType() != GetType() || other.Dimension != Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(other), string.Create(CultureInfo.InvariantCulture, $"Cannot merge {other.GetType().Name} (dimension {other.Dimension}) into {GetType().Name} (dimension {Dimension}). Merge statistics created by the same family."));
        }

        var o = other;
        if (o._reference is null)
        {
            return; // nothing was ever accumulated there
        }

        _reference ??= (double[])o._reference.Clone();
        int d = Dimension;
        Span<double> shift = d <= 128 ? stackalloc double[d] : new double[d];
        bool shifted = false;
        for (int i = 0; i < d; i++)
        {
            shift[i] = o._reference[i] - _reference[i];
            shifted |= shift[i] != 0;
        }

        // Σ w(x − a) = Σ w(x − b) + W·(b − a) for o's reference b and ours a.
        for (int i = 0; i < d; i++)
        {
            _sum[i] += o._sum[i] + (o.TotalWeight * shift[i]);
        }

        AddScatter(o, shifted ? shift : default);
        TotalWeight += o.TotalWeight;
    }

    /// <inheritdoc />
    public void Clear()
    {
        TotalWeight = 0;
        Array.Clear(_sum);
        ClearScatter();
    }

    /// <inheritdoc />
    public void Scale(double factor)
    {
        ScaleFactor.Check(factor);
        TotalWeight *= factor;
        ScaleFactor.Apply(_sum, factor);
        ScaleScatter(factor);
    }

    /// <summary>Multiplies the scatter (and any other accumulated quantity of the derived type) by <paramref name="factor"/>.</summary>
    private protected abstract void ScaleScatter(double factor);

    /// <summary>Sets the state from stored values (deserialisation); checks the lengths and finiteness.</summary>
    private protected void Restore(double totalWeight, ReadOnlySpan<double> reference, ReadOnlySpan<double> weightedSum)
    {
        if (!(totalWeight >= 0) || !double.IsFinite(totalWeight))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(totalWeight), totalWeight, "Use the finite, non-negative TotalWeight of saved statistics.");
        }

        if (weightedSum.Length != Dimension || !AllFinite(weightedSum))
        {
            ThrowHelper.ThrowArgument(nameof(weightedSum), $"weightedSum must hold {Dimension} finite values (the saved WeightedSum).");
        }

        if (totalWeight > 0 && reference.IsEmpty)
        {
            ThrowHelper.ThrowArgument(nameof(reference), "reference is empty but totalWeight is positive. Pass the saved Reference.");
        }

        if (!AllFinite(reference))
        {
            ThrowHelper.ThrowArgument(nameof(reference), "reference contains a value that is not finite. Pass the saved Reference.");
        }

        TotalWeight = totalWeight;
        weightedSum.CopyTo(_sum);
    }

    /// <summary>Whether every value is finite.</summary>
    private protected static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Empties the statistics and centres them on a new reference point (length D), or, when it is empty, on the first row they will see.</summary>
    internal void Reset(ReadOnlySpan<double> reference)
    {
        Clear();
        if (reference.IsEmpty)
        {
            _reference = null;
            return;
        }

        _reference ??= new double[Dimension];
        reference.CopyTo(_reference);
    }

    /// <summary>Writes the weighted mean μ = a + s/(W + 10ε) into <paramref name="destination"/>.</summary>
    internal void ComputeMean(Span<double> destination)
    {
        double nk = TotalWeight + MixtureConstants.EmptyComponentWeight;
        for (int i = 0; i < Dimension; i++)
        {
            destination[i] = (_reference?[i] ?? 0) + (_sum[i] / nk);
        }
    }

    /// <summary>The coefficient c of the centring correction: scatter about the mean = scatter about a − c·s·sᵀ.</summary>
    internal double CentringCoefficient
    {
        get
        {
            double nk = TotalWeight + MixtureConstants.EmptyComponentWeight;
            return (2.0 / nk) - (TotalWeight / (nk * nk));
        }
    }

    /// <summary>Adds Σₙ wₙ(xₙ − a) to <paramref name="sum"/> and Σₙ wₙ(xₙ − a)(xₙ − a)ᵀ to the scatter this type keeps.</summary>
    private protected abstract void AccumulateMoments(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum);

    /// <summary>Adds the scatter of <paramref name="other"/>, first moving it from its reference b to ours a when <paramref name="shift"/> = b − a is not empty.</summary>
    private protected abstract void AddScatter(GaussianStatistics other, ReadOnlySpan<double> shift);

    /// <summary>Zeroes the scatter.</summary>
    private protected abstract void ClearScatter();

    /// <inheritdoc />
    public abstract void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights);

    /// <summary>
    /// The component being re-estimated (set by the family's CreateStatistics and ResetStatistics), under which
    /// <see cref="AccumulateIncomplete"/> takes the expectations of missing entries; null for the initial M-step.
    /// Kept by <see cref="Clear"/>; not carried by <see cref="Merge"/>.
    /// </summary>
    internal GaussianComponent? Current { get; set; }

    /// <summary>The reference point, set to <paramref name="fallback"/> first if nothing has set it yet.</summary>
    private protected ReadOnlySpan<double> EnsureReference(ReadOnlySpan<double> fallback)
    {
        _reference ??= fallback.ToArray();
        return _reference;
    }

    /// <summary>s = Σ wₙ(xₙ − a), writable, for derived accumulators.</summary>
    private protected Span<double> WeightedSumAccumulator => _sum;

    /// <summary>Adds <paramref name="weight"/> to <see cref="TotalWeight"/>.</summary>
    private protected void AddTotalWeight(double weight) => TotalWeight += weight;
}
