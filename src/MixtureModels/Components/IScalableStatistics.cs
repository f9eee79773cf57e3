namespace MixtureModels.Components;

/// <summary>
/// Optional capability of sufficient statistics: multiply every accumulated quantity by a factor, as if every row had
/// been accumulated with its weight times that factor. With <see cref="ISufficientStatistics{TSelf}.Merge"/> it gives
/// the interpolation S ← (1 − ρ)·S + ρ·s of online (stepwise) EM (<see cref="OnlineMixtureEstimator{TComponent, TStatistics}"/>),
/// and lets a caller reweigh statistics received from another machine. Every built-in statistics type implements it; a
/// user's statistics type implements it to be fitted online.
/// </summary>
/// <remarks>
/// Statistics linear in the row weights (Σ w, Σ w·x, Σ w·(x − a)(x − a)ᵀ, weighted counts, Σ w·u and Σ w·(log u − u) of a
/// Student-t component) are multiplied as they are; the reference point they are centred on is kept. A factor of 1
/// leaves every bit unchanged; a factor of 0 empties the statistics but keeps their reference point.
/// </remarks>
public interface IScalableStatistics
{
    /// <summary>Multiplies every accumulated quantity (the total weight included) by <paramref name="factor"/>.</summary>
    /// <param name="factor">A finite, non-negative factor.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative, NaN or infinite.</exception>
    void Scale(double factor);
}
