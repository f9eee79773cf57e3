using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Bernoulli;

/// <summary>
/// Components of independent Bernoulli variables over binary rows, each with its own probabilities. The M-step is
/// φ_kd = (c_kd + α − 1) / (W_k + α + β − 2) from the weighted counts c_kd = Σₙ rₙₖ·xₙd and the weight W_k = Σₙ rₙₖ of
/// component k, for a Beta(α, β) prior (maximum a posteriori; α = β = 1 is maximum likelihood, the weighted column
/// mean), then clamped into [ε, 1 − ε] (see <see cref="BernoulliPriors"/>).
/// </summary>
/// <remarks>
/// An empty component (W_k = 0) under maximum likelihood has no data to estimate from; it gets the prior mean
/// α/(α + β) = ½ in every column, so it stays finite. With a prior (α + β &gt; 2) the formula itself stays finite and
/// gives the prior's mode.
/// </remarks>
public sealed class BernoulliFamily : IComponentFamily<BernoulliComponent, BernoulliStatistics>, IReparameterization<BernoulliComponent, BernoulliStatistics>, IBlockKernelSource<BernoulliComponent, BernoulliStatistics>, IComponentPrior<BernoulliComponent>, IDataValidator
{
    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="priors">The Beta prior and the clamp; null for <see cref="BernoulliPriors.MaximumLikelihood"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is less than 1.</exception>
    public BernoulliFamily(int dimension, BernoulliPriors? priors = null)
    {
        if (dimension < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(dimension), dimension, "Use a dimension of at least 1 (the number of binary columns).");
        }

        Dimension = dimension;
        Priors = priors ?? BernoulliPriors.MaximumLikelihood;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>The Beta prior and the clamp used by the M-step.</summary>
    public BernoulliPriors Priors { get; }

    /// <inheritdoc />
    /// <remarks>K·D: one probability per column and component.</remarks>
    public int ParameterCount(int componentCount)
    {
        if (componentCount < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(componentCount), componentCount, "Use at least one component.");
        }

        return checked(componentCount * Dimension);
    }

    /// <inheritdoc />
    /// <remarks>Bernoulli statistics need no reference point; <paramref name="current"/> is ignored.</remarks>
    public BernoulliStatistics CreateStatistics(BernoulliComponent? current) => new BernoulliStatistics(Dimension);

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="statistics"/> was not created by a Bernoulli family of this dimension.</exception>
    public void ResetStatistics(BernoulliStatistics statistics, BernoulliComponent? current) => Check(statistics, nameof(statistics)).Clear();

    /// <inheritdoc />
    IBlockKernel<BernoulliComponent, BernoulliStatistics>? IBlockKernelSource<BernoulliComponent, BernoulliStatistics>.CreateBlockKernel(int componentCount) =>
        Lanes512.IsSupported ? new BernoulliBlockKernel<Lanes512>(Dimension, componentCount)
        : Lanes256.IsSupported ? new BernoulliBlockKernel<Lanes256>(Dimension, componentCount)
        : null;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">An accumulator was not created by a Bernoulli family of this dimension, or the spans differ in length.</exception>
    public void Estimate(ReadOnlySpan<BernoulliStatistics> statistics, Span<BernoulliComponent> destination)
    {
        if (destination.Length < statistics.Length)
        {
            ThrowHelper.ThrowArgument(nameof(destination), string.Create(CultureInfo.InvariantCulture, $"destination has length {destination.Length} but there are {statistics.Length} accumulators. Pass one slot per component."));
        }

        for (int k = 0; k < statistics.Length; k++)
        {
            var probabilities = new double[Dimension];
            EstimateProbabilities(Check(statistics[k], nameof(statistics)), Priors, probabilities);
            destination[k] = BernoulliComponent.FromOwnedProbabilities(probabilities);
        }
    }

    /// <summary>
    /// The M-step of one component: φ_d = clamp((c_d + α − 1) / (W + α + β − 2), ε, 1 − ε), or the prior mean when the
    /// denominator is 0 (an empty component under maximum likelihood).
    /// </summary>
    internal static void EstimateProbabilities(BernoulliStatistics statistics, BernoulliPriors priors, Span<double> destination)
    {
        double a = priors.Alpha - 1, b = priors.Beta - 1, epsilon = priors.Epsilon;
        var counts = statistics.WeightedCounts;
        for (int d = 0; d < destination.Length; d++)
        {
            double denominator = statistics.ObservedWeight(d) + a + b; // W when complete; the observed rows' weight W_d otherwise
            double p = denominator > 0 ? (counts[d] + a) / denominator : priors.PriorMean;
            if (double.IsNaN(p))
            {
                p = priors.PriorMean;
            }

            destination[d] = Math.Clamp(p, epsilon, 1 - epsilon);
        }
    }

    /// <summary>K·D: the log-odds η_kd = log(φ_kd / (1 − φ_kd)), component-major (component k at [k·D, (k + 1)·D)).</summary>
    int IReparameterization<BernoulliComponent, BernoulliStatistics>.UnconstrainedLength(int componentCount) => ParameterCount(componentCount);

    /// <summary>Writes the cached log-odds of every component (the exact inverse of the stored probabilities, to rounding).</summary>
    void IReparameterization<BernoulliComponent, BernoulliStatistics>.ToUnconstrained(ReadOnlySpan<BernoulliComponent> components, Span<double> destination)
    {
        int d = Dimension;
        for (int k = 0; k < components.Length; k++)
        {
            components[k].LogOdds.CopyTo(destination.Slice(k * d, d));
        }
    }

    /// <summary>
    /// φ_kd = clamp(1 / (1 + e^(−η_kd)), ε, 1 − ε) with the clamp ε of <see cref="Priors"/> (the M-step's clamp, so that
    /// every probability the M-step stores maps back to itself). False only for a NaN or infinite value.
    /// </summary>
    bool IReparameterization<BernoulliComponent, BernoulliStatistics>.TryFromUnconstrained(ReadOnlySpan<double> values, Span<BernoulliComponent> destination)
    {
        int d = Dimension;
        double epsilon = Priors.Epsilon;
        for (int k = 0; k < destination.Length; k++)
        {
            var probabilities = new double[d];
            for (int i = 0; i < d; i++)
            {
                double eta = values[(k * d) + i];
                if (!double.IsFinite(eta))
                {
                    return false;
                }

                probabilities[i] = Math.Clamp(Logistic(eta), epsilon, 1 - epsilon);
            }

            destination[k] = BernoulliComponent.FromOwnedProbabilities(probabilities);
        }

        return true;
    }

    /// <summary>
    /// ∂F/∂η_kd = c_kd − W_kd·φ_kd, with c_kd the weighted count of ones and W_kd the weight of the rows in which column d
    /// was observed (all rows without missing entries): the derivative of Σₙ c_nk log p_k(xₙ) over the observed
    /// entries. The clamp [ε, 1 − ε] is ignored: the gradient is that of the unclamped logistic map.
    /// </summary>
    void IReparameterization<BernoulliComponent, BernoulliStatistics>.Gradient(ReadOnlySpan<BernoulliStatistics> statistics, ReadOnlySpan<BernoulliComponent> components, Span<double> destination)
    {
        int d = Dimension;
        for (int k = 0; k < components.Length; k++)
        {
            var s = Check(statistics[k], nameof(statistics));
            var counts = s.WeightedCounts;
            var probabilities = components[k].Probabilities;
            for (int i = 0; i < d; i++)
            {
                destination[(k * d) + i] = counts[i] - (s.ObservedWeight(i) * probabilities[i]);
            }
        }
    }

    /// <summary>
    /// The Beta(α, β) prior of <see cref="Priors"/>: Σ_kd (α − 1)·log φ_kd + (β − 1)·log(1 − φ_kd), whose log-odds gradient
    /// is (α − 1)(1 − φ_kd) − (β − 1)·φ_kd; 0 under maximum likelihood. With the likelihood gradient it vanishes exactly
    /// at the M-step's φ = (c + α − 1) / (W + α + β − 2).
    /// </summary>
    double IReparameterization<BernoulliComponent, BernoulliStatistics>.AddLogPrior(ReadOnlySpan<BernoulliComponent> components, double scale, Span<double> destination)
    {
        if (Priors.IsMaximumLikelihood)
        {
            return 0;
        }

        double a = Priors.Alpha - 1, b = Priors.Beta - 1, value = 0;
        int d = Dimension;
        for (int k = 0; k < components.Length; k++)
        {
            var probabilities = components[k].Probabilities;
            for (int i = 0; i < d; i++)
            {
                double p = probabilities[i];
                value += (a * Math.Log(p)) + (b * Math.Log(1 - p));
                destination[(k * d) + i] += scale * ((a * (1 - p)) - (b * p));
            }
        }

        return value;
    }

    /// <summary>1 / (1 + e^(−η)), evaluated without overflow on either side.</summary>
    internal static double Logistic(double eta)
    {
        if (eta >= 0)
        {
            return 1 / (1 + Math.Exp(-eta));
        }

        double e = Math.Exp(eta);
        return e / (1 + e);
    }

    private BernoulliStatistics Check(BernoulliStatistics statistics, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(statistics, parameterName);
        if (statistics.Dimension != Dimension)
        {
            ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} holds Bernoulli statistics of dimension {statistics.Dimension}, not {Dimension}. Pass accumulators created by this family's CreateStatistics."));
        }

        return statistics;
    }

    /// <inheritdoc />
    double IComponentPrior<BernoulliComponent>.LogPrior(ReadOnlySpan<BernoulliComponent> components) => LogPriorValue.Of(this, components);

    /// <inheritdoc />
    /// <remarks>Every value must be exactly 0 or 1 (or NaN when <paramref name="allowMissing"/>).</remarks>
    public void Validate(DataMatrix data, string parameterName, bool allowMissing) => BernoulliData.EnsureBinary(data, parameterName, allowMissing);
}
