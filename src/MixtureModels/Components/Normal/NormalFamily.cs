using System.Globalization;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Normal;

/// <summary>
/// Univariate normal components over one column. The M-step is the weighted maximum-likelihood estimate
/// μ = a + s / N, σ² = Σ rₙ(xₙ − μ)² / N + reg, with N = W + 10ε, computed from <see cref="NormalStatistics"/>
/// centred on the current mean; with an isotropic <see cref="CovariancePrior"/>, σ² = (Σ rₙ(xₙ − μ)² + α·s₀) / (N + α) + reg;
/// with mclust's Normal-inverse-Wishart one (of dimension 1), mclust's univariate M-step with its mean shrinkage.
/// </summary>
/// <remarks>
/// An empty component keeps its reference (the current mean) and gets σ² = reg. When σ² is not positive (all of a
/// component's weight on one value with reg = 0) the M-step throws <see cref="CovarianceNotPositiveDefiniteException"/>,
/// as the Gaussian families do.
/// </remarks>
public sealed class NormalFamily : IComponentFamily<NormalComponent, NormalStatistics>, IReparameterization<NormalComponent, NormalStatistics>, IStandardizedReparameterization<NormalComponent>, IComponentPrior<NormalComponent>, IDegeneracyCheck<NormalComponent>
{
    /// <summary>Creates the family.</summary>
    /// <param name="varianceRegularization">reg, finite and non-negative, added to every estimated variance (scikit-learn's reg_covar); default 1e-6.</param>
    /// <param name="prior">The prior on the variances, or null (the default) for maximum likelihood.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="varianceRegularization"/> is negative or not finite.</exception>
    public NormalFamily(double varianceRegularization = 1e-6, CovariancePrior? prior = null)
    {
        ArgumentChecks.NonNegative(varianceRegularization, nameof(varianceRegularization), "Use a finite, non-negative variance regularisation such as 1e-6.");
        prior?.EnsureDimension(1, nameof(prior));
        VarianceRegularization = varianceRegularization;
        Prior = prior;
    }

    /// <summary>Non-negative value added to every estimated variance.</summary>
    public double VarianceRegularization { get; }

    /// <summary>The prior on the variances, or null for maximum likelihood (see <see cref="CovariancePrior"/>).</summary>
    public CovariancePrior? Prior { get; }

    /// <summary>Always 1: the family models one column.</summary>
    public int Dimension => 1;

    /// <summary>2·K: a mean and a variance per component.</summary>
    /// <param name="componentCount">K, non-negative.</param>
    /// <returns>2·K.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="componentCount"/> is negative.</exception>
    public int ParameterCount(int componentCount)
    {
        ArgumentChecks.AtLeast(componentCount, 0, nameof(componentCount), "Use a non-negative number of components.");
        return 2 * componentCount;
    }

    /// <summary>Creates empty <see cref="NormalStatistics"/>, centred on the mean of <paramref name="current"/> when given.</summary>
    /// <param name="current">The component being re-estimated, or null (then the first row seen is the reference).</param>
    /// <returns>The accumulator.</returns>
    public NormalStatistics CreateStatistics(NormalComponent? current) => current is null ? new NormalStatistics() : new NormalStatistics(current.Mean);

    /// <summary>Empties <paramref name="statistics"/> and centres it on the mean of <paramref name="current"/>.</summary>
    /// <param name="statistics">Statistics created by <see cref="CreateStatistics"/>.</param>
    /// <param name="current">The component being re-estimated, or null to centre on the first row seen.</param>
    /// <exception cref="ArgumentException"><paramref name="statistics"/> is null.</exception>
    public void ResetStatistics(NormalStatistics statistics, NormalComponent? current) => Check(statistics, 0).Reset(current?.Mean);

    /// <summary>Writes N(μ_k, σ²_k) for every accumulator.</summary>
    /// <param name="statistics">K <see cref="NormalStatistics"/>.</param>
    /// <param name="destination">Receives K components; at least as long as <paramref name="statistics"/>.</param>
    /// <exception cref="ArgumentException">An accumulator is null, or <paramref name="destination"/> is too short.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">An estimated variance is not finite and positive.</exception>
    public void Estimate(ReadOnlySpan<NormalStatistics> statistics, Span<NormalComponent> destination)
    {
        if (destination.Length < statistics.Length)
        {
            ThrowHelper.ThrowArgument(nameof(destination), string.Create(CultureInfo.InvariantCulture, $"destination has length {destination.Length} but there are {statistics.Length} accumulators. Pass one slot per accumulator."));
        }

        for (int k = 0; k < statistics.Length; k++)
        {
            var s = Check(statistics[k], k);
            double mean = s.ComputeMean();
            double variance;
            if (Prior is { IsConjugate: true } prior)
            {
                // mclust's univariate "V" M-step: μ = (N·x̄ + κ·μ_P)/(N + κ), σ² = (s + S + c·(x̄ − μ_P)²)/(N + a) + reg.
                double n = s.TotalWeight + MixtureConstants.EmptyComponentWeight;
                Span<double> m = [mean];
                Span<double> offset = [0.0];
                prior.ShrinkMean(m, [n], offset);
                variance = ((prior.ScalarScale + s.CentredScatter() + (prior.MeanScatterWeight(n) * offset[0] * offset[0])) / (n + prior.DiagonalOffset)) + VarianceRegularization;
                mean = m[0];
            }
            else
            {
                variance = CovariancePrior.PosteriorVariance(Prior, s.CentredScatter(), s.TotalWeight + MixtureConstants.EmptyComponentWeight, VarianceRegularization);
            }

            if (!(variance > 0) || !double.IsFinite(variance) || !double.IsFinite(mean))
            {
                ThrowHelper.ThrowNotPositiveDefinite(k, VarianceRegularization);
            }

            destination[k] = NormalComponent.WithMeanVariance(mean, variance);
        }
    }

    /// <summary>2·K: (μ_k, log σ²_k) for every component, component-major.</summary>
    int IReparameterization<NormalComponent, NormalStatistics>.UnconstrainedLength(int componentCount) => ParameterCount(componentCount);

    /// <summary>Writes μ_k and log σ²_k.</summary>
    void IReparameterization<NormalComponent, NormalStatistics>.ToUnconstrained(ReadOnlySpan<NormalComponent> components, Span<double> destination)
    {
        for (int k = 0; k < components.Length; k++)
        {
            destination[2 * k] = components[k].Mean;
            destination[(2 * k) + 1] = Math.Log(components[k].Variance);
        }
    }

    /// <summary>
    /// μ_k = u_2k, σ²_k = e^(u_2k+1) (the variance as is: <see cref="VarianceRegularization"/> is not added); false when
    /// a value is not finite or σ² overflows, underflows to 0, or is too small for 1/σ² to be finite.
    /// </summary>
    bool IReparameterization<NormalComponent, NormalStatistics>.TryFromUnconstrained(ReadOnlySpan<double> values, Span<NormalComponent> destination)
    {
        for (int k = 0; k < destination.Length; k++)
        {
            double mean = values[2 * k];
            double variance = Math.Exp(values[(2 * k) + 1]);
            if (!double.IsFinite(mean) || !(variance > 0) || !double.IsFinite(variance) || !double.IsFinite(1 / variance))
            {
                return false;
            }

            destination[k] = NormalComponent.WithMeanVariance(mean, variance);
        }

        return true;
    }

    /// <summary>
    /// ∂F/∂μ = s_μ / σ² and ∂F/∂log σ² = −W/2 + S_μ / (2σ²), with s_μ = Σ c(x − μ) = s − W·δ and
    /// S_μ = Σ c(x − μ)² = S − 2δ·s + W·δ² moved from the statistics' reference a by δ = μ − a.
    /// </summary>
    void IReparameterization<NormalComponent, NormalStatistics>.Gradient(ReadOnlySpan<NormalStatistics> statistics, ReadOnlySpan<NormalComponent> components, Span<double> destination)
    {
        for (int k = 0; k < components.Length; k++)
        {
            var s = Check(statistics[k], k);
            var component = components[k];
            double w = s.TotalWeight;
            double delta = s.Reference is { } a ? component.Mean - a : 0;
            double sum = s.WeightedSum - (w * delta);
            double scatter = s.Scatter - (2 * delta * s.WeightedSum) + (w * delta * delta);
            double precision = 1 / component.Variance;
            destination[2 * k] = sum * precision;
            destination[(2 * k) + 1] = (-0.5 * w) + (0.5 * scatter * precision);
        }
    }

    /// <summary>The <see cref="Prior"/>'s −(α/2)·(log σ²_k + s₀/σ²_k) (isotropic) or −(a/2)·log σ²_k − (s + κ(μ_k − μ_P)²)/(2σ²_k) (Normal-inverse-Wishart, a = ν + 3) summed over components, with its gradient; 0 without a prior.</summary>
    double IReparameterization<NormalComponent, NormalStatistics>.AddLogPrior(ReadOnlySpan<NormalComponent> components, double scale, Span<double> destination)
    {
        if (Prior is null)
        {
            return 0;
        }

        double value = 0;
        for (int k = 0; k < components.Length; k++)
        {
            value += Prior.IsConjugate
                ? Prior.AddConjugateVarianceLogPrior(components[k].Variance, Prior.DiagonalOffset, [components[k].Mean], 0, scale, destination.Slice(2 * k, 1), ref destination[(2 * k) + 1])
                : Prior.AddVarianceLogPrior(components[k].Variance, 1, scale, ref destination[(2 * k) + 1]);
        }

        return value;
    }

    /// <inheritdoc />
    double IStandardizedReparameterization<NormalComponent>.Regularization => VarianceRegularization;

    /// <inheritdoc />
    string IStandardizedReparameterization<NormalComponent>.RegularizationOption => "varianceRegularization (Marginal.Normal's, or NormalFamily's)";

    /// <inheritdoc />
    string IStandardizedReparameterization<NormalComponent>.PriorAdvice => "the prior of Marginal.Normal(column, varianceRegularization, prior) or of NormalFamily, for example new CovariancePrior(1, s₀) with s₀ about the column's variance / k²";

    /// <inheritdoc />
    /// <remarks>With s_k = σ_k at the start: μ_k = c_k + s_k·μ'_k (factor s_k); log σ²_k = log σ'²_k + 2 log s_k (factor 1).</remarks>
    void IStandardizedReparameterization<NormalComponent>.StandardizingScales(ReadOnlySpan<NormalComponent> start, Span<double> destination)
    {
        for (int k = 0; k < start.Length; k++)
        {
            destination[2 * k] = GaussianReparameterization.Scale(start[k].Variance);
            destination[(2 * k) + 1] = 1;
        }
    }

    /// <inheritdoc />
    bool IStandardizedReparameterization<NormalComponent>.HasCollapsed(ReadOnlySpan<NormalComponent> components, ReadOnlySpan<double> columnScales, double floor, out int component)
    {
        for (int k = 0; k < components.Length; k++)
        {
            if (!(components[k].Variance / (columnScales[0] * columnScales[0]) >= floor))
            {
                component = k;
                return true;
            }
        }

        component = 0;
        return false;
    }

    private static NormalStatistics Check(NormalStatistics statistics, int index)
    {
        if (statistics is null)
        {
            ThrowHelper.ThrowArgument("statistics", string.Create(CultureInfo.InvariantCulture, $"statistics[{index}] is null. Pass accumulators created by this family's CreateStatistics."));
        }

        return statistics;
    }

    /// <inheritdoc />
    double IComponentPrior<NormalComponent>.LogPrior(ReadOnlySpan<NormalComponent> components) => LogPriorValue.Of(this, components);

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="ComponentDegeneracy.VarianceAtFloor"/> when σ² ≤ <see cref="DegeneracyThresholds.FloorFactor"/> ×
    /// <see cref="VarianceRegularization"/>; <see cref="ComponentDegeneracy.TooFewRows"/> below 2 effective rows (one row has no spread), or below 1 with a <see cref="Prior"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">The spans do not have one entry per component.</exception>
    public void CheckDegeneracy(ReadOnlySpan<NormalComponent> components, ReadOnlySpan<double> effectiveRowCounts, Span<ComponentDegeneracy> destination)
    {
        DegeneracyArguments.Check(components.Length, effectiveRowCounts.Length, destination.Length);
        for (int k = 0; k < components.Length; k++)
        {
            ArgumentNullException.ThrowIfNull(components[k], nameof(components));
            double variance = components[k].Variance;
            var flags = DegeneracyThresholds.IsAtFloor(variance, variance, VarianceRegularization) ? ComponentDegeneracy.VarianceAtFloor : ComponentDegeneracy.None;
            if (!(effectiveRowCounts[k] >= (Prior is null ? 2 : 1)))
            {
                flags |= ComponentDegeneracy.TooFewRows;
            }

            destination[k] = flags;
        }
    }
}
