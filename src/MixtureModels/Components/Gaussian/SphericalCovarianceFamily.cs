using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussians, each with one variance: σ²_k = mean over columns of (scatter_kd / N_k + reg) (with mclust's Normal-inverse-Wishart <see cref="CovariancePrior"/>, its VII M-step; with an isotropic one, one prior term per direction: (Σ_d scatter_kd + D·α·s₀) / (D·(N_k + α)) + reg).</summary>
public sealed class SphericalCovarianceFamily : GaussianFamily, IReparameterization<GaussianComponent, GaussianStatistics>, IStandardizedReparameterization<GaussianComponent>, IBlockKernelSource<GaussianComponent, GaussianStatistics>
{
    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">reg_covar, finite and non-negative.</param>
    /// <param name="prior">The prior on the covariances, or null (the default) for maximum likelihood.</param>
    public SphericalCovarianceFamily(int dimension, double regularization, CovariancePrior? prior = null)
        : base(dimension, regularization, prior)
    {
    }

    /// <inheritdoc />
    public override CovarianceType CovarianceType => CovarianceType.Spherical;

    /// <inheritdoc />
    public override int ParameterCount(int componentCount) => componentCount * (Dimension + 1);

    /// <inheritdoc />
    public override GaussianStatistics CreateStatistics(GaussianComponent? current) => new DiagonalScatterStatistics(Dimension, current is null ? default : current.Mean);

    /// <inheritdoc />
    IBlockKernel<GaussianComponent, GaussianStatistics>? IBlockKernelSource<GaussianComponent, GaussianStatistics>.CreateBlockKernel(int componentCount) =>
        Lanes512.IsSupported ? new DiagonalBlockKernel<Lanes512>(Dimension, componentCount, spherical: true)
        : Lanes256.IsSupported ? new DiagonalBlockKernel<Lanes256>(Dimension, componentCount, spherical: true)
        : null;

    /// <inheritdoc />
    public override void Estimate(ReadOnlySpan<GaussianStatistics> statistics, Span<GaussianComponent> destination)
    {
        for (int k = 0; k < statistics.Length; k++)
        {
            var diagonal = (DiagonalScatterStatistics)statistics[k];
            var mean = new double[Dimension];
            diagonal.ComputeObservedMean(mean); // MeanOf when nothing was missing
            double variance;
            if (Prior is { IsConjugate: true })
            {
                var scatter = new double[Dimension];
                diagonal.CentredScatter(scatter);
                variance = ConjugateDiagonal(diagonal, mean, scatter, spherical: true);
            }
            else
            {
                variance = PooledVariance(diagonal);
            }
            if (!SphericalGaussian.TryCreate(mean, variance, out var component))
            {
                ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
            }

            destination[k] = component;
        }
    }

    /// <summary>
    /// σ² = Σ_d scatter_d / Σ_d (W_d + 10ε) + reg (with a prior, (Σ_d scatter_d + D·α·s₀) / (Σ_d (W_d + 10ε) + D·α) + reg),
    /// with each column's scatter about its own observed mean: the exact maximiser of the expected log-likelihood (or
    /// posterior) of the observed entries; with complete data, the mean of the columns' scatter / (W + 10ε), plus reg.
    /// </summary>
    private double PooledVariance(DiagonalScatterStatistics statistics)
    {
        var scatter = new double[Dimension];
        statistics.CentredScatter(scatter);
        double total = 0, weight = 0;
        for (int i = 0; i < Dimension; i++)
        {
            total += scatter[i];
            weight += statistics.ObservedWeight(i) + MixtureConstants.EmptyComponentWeight;
        }

        return ScatterToVariance(total, weight, Dimension);
    }

    /// <inheritdoc />
    /// <remarks>Per component: μ (D values), then log σ².</remarks>
    int IReparameterization<GaussianComponent, GaussianStatistics>.UnconstrainedLength(int componentCount) => componentCount * (Dimension + 1);

    /// <inheritdoc />
    void IReparameterization<GaussianComponent, GaussianStatistics>.ToUnconstrained(ReadOnlySpan<GaussianComponent> components, Span<double> destination)
    {
        int d = Dimension;
        for (int k = 0; k < components.Length; k++)
        {
            var component = (SphericalGaussian)components[k];
            var target = destination.Slice(k * (d + 1), d + 1);
            component.Mean.CopyTo(target);
            target[d] = Math.Log(component.Variance);
        }
    }

    /// <inheritdoc />
    bool IReparameterization<GaussianComponent, GaussianStatistics>.TryFromUnconstrained(ReadOnlySpan<double> values, Span<GaussianComponent> destination)
    {
        int d = Dimension;
        if (!GaussianReparameterization.AllFinite(values[..(destination.Length * (d + 1))]))
        {
            return false;
        }

        var built = new GaussianComponent[destination.Length];
        for (int k = 0; k < built.Length; k++)
        {
            var source = values.Slice(k * (d + 1), d + 1);
            double variance = Math.Exp(source[d]);
            if (!GaussianReparameterization.VarianceUsable(variance) || !SphericalGaussian.TryCreate(source[..d].ToArray(), variance, out var component))
            {
                return false;
            }

            built[k] = component;
        }

        built.CopyTo(destination);
        return true;
    }

    /// <inheritdoc />
    /// <remarks>
    /// ∂F/∂μ_d = s_μ,d/σ² and ∂F/∂(log σ²) = Σ_d (−W_d/2 + S_μ,dd/(2σ²)), with W_d the weight of the rows where column d
    /// was observed. The plain likelihood: the regularisation does not enter.
    /// </remarks>
    void IReparameterization<GaussianComponent, GaussianStatistics>.Gradient(ReadOnlySpan<GaussianStatistics> statistics, ReadOnlySpan<GaussianComponent> components, Span<double> destination)
    {
        int d = Dimension;
        Span<double> perColumn = d <= 128 ? stackalloc double[d] : new double[d];
        for (int k = 0; k < components.Length; k++)
        {
            var component = (SphericalGaussian)components[k];
            var target = destination.Slice(k * (d + 1), d + 1);
            GaussianReparameterization.DiagonalGradient((DiagonalScatterStatistics)statistics[k], component.Mean, [component.Variance], target[..d], perColumn);
            double sum = 0;
            foreach (double g in perColumn)
            {
                sum += g;
            }

            target[d] = sum;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// With an isotropic <see cref="GaussianFamily.Prior"/>: −(D·α/2)·(log σ²_k + s₀/σ²_k) per component, one term per
    /// direction; with a Normal-inverse-Wishart one, −(a/2)·log σ²_k − (s + κ‖μ_k − μ_P‖²)/(2σ²_k), a = ν + D + 2, s = tr Λ / D.
    /// </remarks>
    double IReparameterization<GaussianComponent, GaussianStatistics>.AddLogPrior(ReadOnlySpan<GaussianComponent> components, double scale, Span<double> destination)
    {
        if (Prior is null)
        {
            return 0;
        }

        int d = Dimension;
        double value = 0;
        if (Prior.IsConjugate)
        {
            for (int k = 0; k < components.Length; k++)
            {
                var component = (SphericalGaussian)components[k];
                var target = destination.Slice(k * (d + 1), d + 1);
                value += Prior.AddConjugateVarianceLogPrior(component.Variance, Prior.SphericalOffset, component.Mean, 0, scale, target[..d], ref target[d]);
            }

            return value;
        }

        for (int k = 0; k < components.Length; k++)
        {
            value += Prior.AddVarianceLogPrior(((SphericalGaussian)components[k]).Variance, d, scale, ref destination[(k * (d + 1)) + d]);
        }

        return value;
    }

    /// <inheritdoc />
    /// <remarks>With s_k = σ_k at the start (one scale for every column keeps σ²·I spherical): μ_kj factor s_k, log σ²_k factor 1.</remarks>
    void IStandardizedReparameterization<GaussianComponent>.StandardizingScales(ReadOnlySpan<GaussianComponent> start, Span<double> destination)
    {
        int d = Dimension;
        for (int k = 0; k < start.Length; k++)
        {
            var target = destination.Slice(k * (d + 1), d + 1);
            target[..d].Fill(GaussianReparameterization.Scale(((SphericalGaussian)start[k]).Variance));
            target[d] = 1;
        }
    }

    /// <inheritdoc />
    /// <remarks>The smallest standardised variance of σ²·I is σ² / max_j s_j².</remarks>
    bool IStandardizedReparameterization<GaussianComponent>.HasCollapsed(ReadOnlySpan<GaussianComponent> components, ReadOnlySpan<double> columnScales, double floor, out int component)
    {
        double largest = 0;
        foreach (double s in columnScales)
        {
            largest = Math.Max(largest, s * s);
        }

        for (int k = 0; k < components.Length; k++)
        {
            if (!(((SphericalGaussian)components[k]).Variance / largest >= floor))
            {
                component = k;
                return true;
            }
        }

        component = 0;
        return false;
    }
}
