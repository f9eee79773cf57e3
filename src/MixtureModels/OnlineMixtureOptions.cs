using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// Settings of online (stepwise) EM (Cappé &amp; Moulines, 2009) in <see cref="OnlineMixtureEstimator{TComponent, TStatistics}"/>
/// and <see cref="OnlineGaussianMixture"/>: after t blocks have been absorbed, block t + 1's statistics s enter the running
/// statistics S with the step size ρ_t = (t + <see cref="StepSizeOffset"/>)^(−<see cref="StepSizeExponent"/>), as
/// S ← (1 − ρ_t)·S + ρ_t·s, and the M-step follows at once. The first block's statistics are taken whole (there is
/// nothing to interpolate with yet).
/// </summary>
public sealed record OnlineMixtureOptions
{
    /// <summary>α in (0.5, 1] (default 0.6): larger forgets old blocks faster at first and averages more later; 1 makes S the plain average of the blocks' statistics once t0 = 1.</summary>
    public double StepSizeExponent { get; init; } = 0.6;

    /// <summary>t0 ≥ 1 (default 2, as ρ_t = (t + 2)^−α): larger damps the first steps. ρ_t ≤ 1 for every t ≥ 0.</summary>
    public double StepSizeOffset { get; init; } = 2;

    /// <summary>
    /// The total weight one block's statistics are scaled to before they enter S (each block counts alike, whatever its
    /// size): by default (null) the first block's total weight (its row count when unweighted). It matters only for what
    /// depends on the statistics' scale: a covariance or weight prior's pseudo-observations, and the 10ε that keeps an
    /// empty component alive. Set it to the data's row count to give a prior the weight it has in the batch fit.
    /// </summary>
    public double? NominalBlockWeight { get; init; }

    /// <summary>ρ_t for a block that follows <paramref name="absorbedBlocks"/> absorbed blocks.</summary>
    /// <param name="absorbedBlocks">t ≥ 0.</param>
    /// <returns>(t + t0)^(−α), in (0, 1].</returns>
    public double StepSize(long absorbedBlocks) => Math.Pow(absorbedBlocks + StepSizeOffset, -StepSizeExponent);

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        if (!(StepSizeExponent > 0.5 && StepSizeExponent <= 1))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(StepSizeExponent), StepSizeExponent, "Use an exponent α in (0.5, 1], such as 0.6: then Σ ρ_t diverges and Σ ρ_t² converges, as stochastic approximation needs.");
        }

        if (!(StepSizeOffset >= 1) || !double.IsFinite(StepSizeOffset))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(StepSizeOffset), StepSizeOffset, "Use a finite offset t0 ≥ 1, such as 2, so that every step size is at most 1.");
        }

        if (NominalBlockWeight is double w && (!(w > 0) || !double.IsFinite(w)))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(NominalBlockWeight), w, "Use a finite, positive weight (such as the data's row count), or null for the first block's weight.");
        }
    }
}
