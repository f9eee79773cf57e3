using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// The weight step and the objective of the variational Bayesian Gaussian mixture, on the generic EM engine.
/// <para>
/// Weight step: the E-step's log-weight of component k must be E[log π_k] plus the component's expected-log-density
/// offset (<see cref="NormalWishartFamily.ExpectedLogDensityOffset"/>); both depend on the responsibility totals only.
/// <see cref="Estimate"/> therefore writes the normalised weights π̃_k = exp(e_k − c), e_k that sum and
/// c = log Σ_j exp(e_j), so that the E-step's log π̃_k differs from e_k by the constant c, which leaves the
/// responsibilities unchanged and shifts every row's log-normaliser by c.
/// </para>
/// <para>
/// Objective: scikit-learn's lower bound after the M-step, −Σₙ wₙ Σ_k r_nk log r_nk − Σ_k log B(W_k, ν_k) −
/// log_norm_weight − ½ D Σ_k log β_k, the entropy term from the engine's E-step, row by row as scikit-learn sums it.
/// </para>
/// </summary>
internal sealed class VariationalGaussianStep : IWeightStep, IEmObjective<GaussianComponent, GaussianStatistics>
{
    private readonly NormalWishartFamily _family;

    /// <summary>Creates the step.</summary>
    /// <param name="family">The component side (β₀, ν₀, D).</param>
    /// <param name="priorType">Dirichlet distribution or process.</param>
    /// <param name="concentrationPrior">α₀ or γ, positive.</param>
    public VariationalGaussianStep(NormalWishartFamily family, WeightConcentrationPriorType priorType, double concentrationPrior)
    {
        _family = family;
        PriorType = priorType;
        ConcentrationPrior = concentrationPrior;
    }

    /// <summary>The weight prior's type.</summary>
    public WeightConcentrationPriorType PriorType { get; }

    /// <summary>α₀ or γ.</summary>
    public double ConcentrationPrior { get; }

    /// <inheritdoc />
    public void LogWeights(ReadOnlySpan<double> weights, Span<double> destination)
    {
        for (int k = 0; k < weights.Length; k++)
        {
            destination[k] = Math.Log(weights[k]);
        }
    }

    /// <inheritdoc />
    public void Estimate(ReadOnlySpan<double> responsibilityTotals, Span<double> destination)
    {
        double c = ExpectedLogWeights(responsibilityTotals, destination);
        for (int k = 0; k < responsibilityTotals.Length; k++)
        {
            destination[k] = Math.Exp(destination[k] - c);
        }
    }

    /// <summary>
    /// Writes e_k = E[log π_k] + offset_k (scikit-learn's <c>_estimate_log_weights</c> + the constant part of
    /// <c>_estimate_log_prob</c>) for the totals N_k, and returns c = log Σ_k exp(e_k).
    /// </summary>
    public double ExpectedLogWeights(ReadOnlySpan<double> responsibilityTotals, Span<double> destination)
    {
        int kCount = responsibilityTotals.Length;
        var totals = WithFloor(responsibilityTotals);
        var first = new double[kCount];
        var second = new double[kCount];
        VariationalWeightPosterior.Concentration(PriorType, ConcentrationPrior, totals, first, second);
        VariationalWeightPosterior.ExpectedLogWeights(PriorType, first, second, destination);
        var nu = new double[kCount];
        _family.DegreesOfFreedom(totals, nu);
        double max = double.NegativeInfinity;
        for (int k = 0; k < kCount; k++)
        {
            destination[k] += _family.ExpectedLogDensityOffset(nu[k], _family.MeanPrecision(totals[k]));
            max = Math.Max(max, destination[k]);
        }

        double sum = 0;
        for (int k = 0; k < kCount; k++)
        {
            sum += Math.Exp(destination[k] - max);
        }

        return max + Math.Log(sum);
    }

    /// <inheritdoc />
    /// <remarks>The variational weights have no point-estimate prior: 0 (the gradient algorithms are not offered for this fit).</remarks>
    public double AddLogPrior(ReadOnlySpan<double> weights, double scale, Span<double> logitGradient) => 0;

    /// <inheritdoc />
    public double AfterMStep(double logNormalizerSum, double responsibilityEntropy, ReadOnlySpan<double> previousWeights, ReadOnlySpan<GaussianComponent> previousComponents, ReadOnlySpan<GaussianStatistics> statistics, ReadOnlySpan<double> weights, ReadOnlySpan<GaussianComponent> components)
    {
        int kCount = statistics.Length;
        var totals = new double[kCount];
        for (int k = 0; k < kCount; k++)
        {
            totals[k] = statistics[k].TotalWeight + MixtureConstants.EmptyComponentWeight;
        }

        var first = new double[kCount];
        var second = new double[kCount];
        VariationalWeightPosterior.Concentration(PriorType, ConcentrationPrior, totals, first, second);
        return responsibilityEntropy + VariationalWeightPosterior.BoundTerm(PriorType, first, second) + _family.ComponentBound(components, totals);
    }

    /// <summary>n_k = N_k + 10ε, as scikit-learn's <c>_estimate_gaussian_parameters</c>.</summary>
    public static double[] WithFloor(ReadOnlySpan<double> responsibilityTotals)
    {
        var totals = new double[responsibilityTotals.Length];
        for (int k = 0; k < totals.Length; k++)
        {
            totals[k] = responsibilityTotals[k] + MixtureConstants.EmptyComponentWeight;
        }

        return totals;
    }
}
