using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Poisson;

/// <summary>
/// Poisson components over one column. The M-step is the weighted maximum-likelihood rate
/// λ = max(S / (W + 10ε), <see cref="MinimumRate"/>), with S = Σ rₙ xₙ and W = Σ rₙ.
/// </summary>
/// <remarks>
/// The floor keeps log λ finite when a component only holds zeros; an empty component (W = 0) gets
/// λ = <see cref="MinimumRate"/>, so no estimate is ever NaN or infinite.
/// </remarks>
public sealed class PoissonFamily : IComponentFamily<PoissonComponent, PoissonStatistics>, IReparameterization<PoissonComponent, PoissonStatistics>, IComponentPrior<PoissonComponent>
{
    /// <summary>Smallest rate the M-step returns: 1e-10 (log λ ≈ −23).</summary>
    public const double MinimumRate = 1e-10;

    /// <summary>Creates the family.</summary>
    public PoissonFamily()
    {
    }

    /// <summary>Always 1: the family models one column.</summary>
    public int Dimension => 1;

    /// <summary>K: one rate per component.</summary>
    /// <param name="componentCount">K, non-negative.</param>
    /// <returns>K.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="componentCount"/> is negative.</exception>
    public int ParameterCount(int componentCount)
    {
        ArgumentChecks.AtLeast(componentCount, 0, nameof(componentCount), "Use a non-negative number of components.");
        return componentCount;
    }

    /// <summary>Creates empty <see cref="PoissonStatistics"/>.</summary>
    /// <param name="current">Ignored: Poisson statistics need no reference point.</param>
    /// <returns>The accumulator.</returns>
    public PoissonStatistics CreateStatistics(PoissonComponent? current) => new PoissonStatistics();

    /// <summary>Clears <paramref name="statistics"/>.</summary>
    /// <param name="statistics">Statistics created by <see cref="CreateStatistics"/>.</param>
    /// <param name="current">Ignored: Poisson statistics need no reference point.</param>
    /// <exception cref="ArgumentException"><paramref name="statistics"/> is not a <see cref="PoissonStatistics"/>.</exception>
    public void ResetStatistics(PoissonStatistics statistics, PoissonComponent? current) => Check(statistics, 0).Clear();

    /// <summary>Writes λ_k = max(S_k / (W_k + 10ε), <see cref="MinimumRate"/>) for every accumulator.</summary>
    /// <param name="statistics">K <see cref="PoissonStatistics"/>.</param>
    /// <param name="destination">Receives K components; at least as long as <paramref name="statistics"/>.</param>
    /// <exception cref="ArgumentException">An accumulator is not a <see cref="PoissonStatistics"/>, or <paramref name="destination"/> is too short.</exception>
    public void Estimate(ReadOnlySpan<PoissonStatistics> statistics, Span<PoissonComponent> destination)
    {
        if (destination.Length < statistics.Length)
        {
            ThrowHelper.ThrowArgument(nameof(destination), string.Create(CultureInfo.InvariantCulture, $"destination has length {destination.Length} but there are {statistics.Length} accumulators. Pass one slot per accumulator."));
        }

        for (int k = 0; k < statistics.Length; k++)
        {
            destination[k] = PoissonComponent.WithRate(EstimateRate(Check(statistics[k], k)));
        }
    }

    /// <summary>The floored weighted mean count of one accumulator.</summary>
    internal static double EstimateRate(PoissonStatistics statistics)
    {
        double rate = statistics.WeightedSum / (statistics.TotalWeight + MixtureConstants.EmptyComponentWeight);
        return rate >= MinimumRate ? rate : MinimumRate;
    }

    /// <summary>K: the log-rate log λ_k of every component.</summary>
    int IReparameterization<PoissonComponent, PoissonStatistics>.UnconstrainedLength(int componentCount) => ParameterCount(componentCount);

    /// <summary>Writes log λ_k.</summary>
    void IReparameterization<PoissonComponent, PoissonStatistics>.ToUnconstrained(ReadOnlySpan<PoissonComponent> components, Span<double> destination)
    {
        for (int k = 0; k < components.Length; k++)
        {
            destination[k] = Math.Log(components[k].Rate);
        }
    }

    /// <summary>
    /// λ_k = max(e^(u_k), <see cref="MinimumRate"/>) (the M-step's floor, so every rate it stores maps back to itself);
    /// false when u_k is NaN or e^(u_k) overflows.
    /// </summary>
    bool IReparameterization<PoissonComponent, PoissonStatistics>.TryFromUnconstrained(ReadOnlySpan<double> values, Span<PoissonComponent> destination)
    {
        for (int k = 0; k < destination.Length; k++)
        {
            double rate = Math.Exp(values[k]);
            if (!double.IsFinite(rate)) // NaN, or e^u overflowed
            {
                return false;
            }

            destination[k] = PoissonComponent.WithRate(rate >= MinimumRate ? rate : MinimumRate);
        }

        return true;
    }

    /// <summary>
    /// ∂F/∂log λ_k = Σₙ c_nk xₙ − W_k·λ_k over the observed rows. The floor <see cref="MinimumRate"/> is ignored: this is
    /// the gradient of the plain exponential map.
    /// </summary>
    void IReparameterization<PoissonComponent, PoissonStatistics>.Gradient(ReadOnlySpan<PoissonStatistics> statistics, ReadOnlySpan<PoissonComponent> components, Span<double> destination)
    {
        for (int k = 0; k < components.Length; k++)
        {
            var s = Check(statistics[k], k);
            destination[k] = s.WeightedSum - (s.TotalWeight * components[k].Rate);
        }
    }

    /// <summary>Poisson components have no prior (the rate is only floored): returns 0 and adds nothing.</summary>
    double IReparameterization<PoissonComponent, PoissonStatistics>.AddLogPrior(ReadOnlySpan<PoissonComponent> components, double scale, Span<double> destination) => 0;

    private static PoissonStatistics Check(PoissonStatistics statistics, int index)
    {
        if (statistics is null)
        {
            ThrowHelper.ThrowArgument("statistics", string.Create(CultureInfo.InvariantCulture, $"statistics[{index}] is null. Pass accumulators created by this family's CreateStatistics."));
        }

        return statistics;
    }

    /// <inheritdoc />
    double IComponentPrior<PoissonComponent>.LogPrior(ReadOnlySpan<PoissonComponent> components) => LogPriorValue.Of(this, components);
}
