using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussians, each with its own general covariance: Σ_k = scatter_k / N_k + reg·I (with an isotropic <see cref="CovariancePrior"/>, (scatter_k + α·s₀·I) / (N_k + α) + reg·I; with mclust's Normal-inverse-Wishart one, its VVV M-step).</summary>
public sealed class FullCovarianceFamily : GaussianFamily, IReparameterization<GaussianComponent, GaussianStatistics>, IStandardizedReparameterization<GaussianComponent>, IBlockKernelSource<GaussianComponent, GaussianStatistics>
{
    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">reg_covar, finite and non-negative.</param>
    /// <param name="prior">The prior on the covariances, or null (the default) for maximum likelihood.</param>
    public FullCovarianceFamily(int dimension, double regularization, CovariancePrior? prior = null)
        : base(dimension, regularization, prior)
    {
    }

    /// <inheritdoc />
    public override CovarianceType CovarianceType => CovarianceType.Full;

    /// <inheritdoc />
    public override int ParameterCount(int componentCount) => componentCount * (Dimension + (Dimension * (Dimension + 1) / 2));

    /// <inheritdoc />
    /// <remarks>
    /// The statistics remember <paramref name="current"/>: <see cref="GaussianStatistics.AccumulateIncomplete"/> takes
    /// the conditional mean and covariance of missing entries under it (for tied covariance, under the shared
    /// covariance every current component carries). Without it (the initial M-step) that method throws.
    /// </remarks>
    public override GaussianStatistics CreateStatistics(GaussianComponent? current) =>
        new FullScatterStatistics(Dimension, current is null ? default : current.Mean) { Current = current };

    /// <inheritdoc />
    IBlockKernel<GaussianComponent, GaussianStatistics>? IBlockKernelSource<GaussianComponent, GaussianStatistics>.CreateBlockKernel(int componentCount) =>
        Lanes512.IsSupported ? new FullBlockKernel<Lanes512>(Dimension, componentCount)
        : Lanes256.IsSupported ? new FullBlockKernel<Lanes256>(Dimension, componentCount)
        : null;

    /// <inheritdoc />
    public override void Estimate(ReadOnlySpan<GaussianStatistics> statistics, Span<GaussianComponent> destination)
    {
        int d = Dimension;
        for (int k = 0; k < statistics.Length; k++)
        {
            var s = (FullScatterStatistics)statistics[k];
            var covariance = new double[d * d];
            s.AddCentredScatter(covariance);
            var mean = MeanOf(s);
            double weight = s.TotalWeight + MixtureConstants.EmptyComponentWeight;
            if (Prior is { IsConjugate: true } prior)
            {
                ShrinkMeanAddScatter(covariance, mean, weight);
                ConjugateScatterToCovariance(covariance, weight + prior.FullOffset);
            }
            else
            {
                ScatterToCovariance(covariance, weight);
            }

            if (!FullGaussian.TryCreate(mean, covariance, out var component))
            {
                ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
            }

            destination[k] = component;
        }
    }

    /// <inheritdoc />
    /// <remarks>Per component: μ (D values), then the upper triangle of P row by row, log Pᵢᵢ in place of each diagonal entry.</remarks>
    int IReparameterization<GaussianComponent, GaussianStatistics>.UnconstrainedLength(int componentCount) =>
        componentCount * (Dimension + GaussianReparameterization.TriangleLength(Dimension));

    /// <inheritdoc />
    void IReparameterization<GaussianComponent, GaussianStatistics>.ToUnconstrained(ReadOnlySpan<GaussianComponent> components, Span<double> destination)
    {
        int d = Dimension, block = d + GaussianReparameterization.TriangleLength(d);
        for (int k = 0; k < components.Length; k++)
        {
            var component = (FullGaussian)components[k];
            var target = destination.Slice(k * block, block);
            component.Mean.CopyTo(target);
            GaussianReparameterization.PackPrecisionCholesky(component.PrecisionCholeskySpan, d, target[d..]);
        }
    }

    /// <inheritdoc />
    bool IReparameterization<GaussianComponent, GaussianStatistics>.TryFromUnconstrained(ReadOnlySpan<double> values, Span<GaussianComponent> destination)
    {
        int d = Dimension, block = d + GaussianReparameterization.TriangleLength(d);
        if (!GaussianReparameterization.AllFinite(values[..(destination.Length * block)]))
        {
            return false;
        }

        var built = new GaussianComponent[destination.Length];
        for (int k = 0; k < built.Length; k++)
        {
            var source = values.Slice(k * block, block);
            var p = GaussianReparameterization.UnpackPrecisionCholesky(source[d..], d);
            if (p is null || !GaussianReparameterization.PrecisionFinite(p) || !FullGaussian.TryFromPrecisionCholesky(source[..d].ToArray(), p, out var component))
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
    /// ∂F/∂μ_k = Λ_k s_μ and ∂F/∂P_k = W·diag(1/Pᵢᵢ) − S_μ P_k (upper triangle; diagonal entries times Pᵢᵢ for log Pᵢᵢ),
    /// from the moments of statistics_k moved to μ_k. The plain likelihood: the regularisation does not enter.
    /// </remarks>
    void IReparameterization<GaussianComponent, GaussianStatistics>.Gradient(ReadOnlySpan<GaussianStatistics> statistics, ReadOnlySpan<GaussianComponent> components, Span<double> destination)
    {
        int d = Dimension, block = d + GaussianReparameterization.TriangleLength(d);
        var gradient = new double[d * d];
        for (int k = 0; k < components.Length; k++)
        {
            var component = (FullGaussian)components[k];
            var target = destination.Slice(k * block, block);
            Array.Clear(gradient);
            GaussianReparameterization.FullGradient((FullScatterStatistics)statistics[k], component.Mean, component.PrecisionCholeskySpan, target[..d], gradient);
            GaussianReparameterization.PackPrecisionCholeskyGradient(gradient, component.PrecisionCholeskySpan, d, target[d..]);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// With an isotropic <see cref="GaussianFamily.Prior"/>: Σ_k (α·Σᵢ log P_k,ii − (α·s₀/2)·‖P_k‖²), one Wishart term per
    /// component; with a Normal-inverse-Wishart one, Σ_k (a·Σᵢ log P_k,ii − ½·tr(Λ P_k P_kᵀ) − (κ/2)·‖P_kᵀ(μ_k − μ_P)‖²), a = ν + D + 2.
    /// </remarks>
    double IReparameterization<GaussianComponent, GaussianStatistics>.AddLogPrior(ReadOnlySpan<GaussianComponent> components, double scale, Span<double> destination)
    {
        if (Prior is null)
        {
            return 0;
        }

        int d = Dimension, block = d + GaussianReparameterization.TriangleLength(d);
        double value = 0;
        if (Prior.IsConjugate)
        {
            for (int k = 0; k < components.Length; k++)
            {
                var component = (FullGaussian)components[k];
                var target = destination.Slice(k * block, block);
                value += Prior.AddConjugatePrecisionLogPrior(component.PrecisionCholeskySpan, d, Prior.FullOffset, component.Mean, 1, scale, target[..d], target[d..]);
            }

            return value;
        }

        for (int k = 0; k < components.Length; k++)
        {
            value += Prior.AddPrecisionCholeskyLogPrior(((FullGaussian)components[k]).PrecisionCholeskySpan, d, scale, destination.Slice((k * block) + d, block - d));
        }

        return value;
    }

    /// <inheritdoc />
    /// <remarks>Per component, with s_j = √Σ_jj of the start: μ_j factor s_j, log Pᵢᵢ factor 1, Pᵢⱼ factor 1/sᵢ (P = S⁻¹P').</remarks>
    void IStandardizedReparameterization<GaussianComponent>.StandardizingScales(ReadOnlySpan<GaussianComponent> start, Span<double> destination)
    {
        int d = Dimension, block = d + GaussianReparameterization.TriangleLength(d);
        for (int k = 0; k < start.Length; k++)
        {
            var target = destination.Slice(k * block, block);
            var scales = GaussianReparameterization.DiagonalScales(((FullGaussian)start[k]).CovarianceSpan, d);
            GaussianReparameterization.StandardizingScales(scales, target[..d], target[d..]);
        }
    }

    /// <inheritdoc />
    bool IStandardizedReparameterization<GaussianComponent>.HasCollapsed(ReadOnlySpan<GaussianComponent> components, ReadOnlySpan<double> columnScales, double floor, out int component)
    {
        for (int k = 0; k < components.Length; k++)
        {
            if (GaussianReparameterization.PrecisionCholeskyCollapsed(((FullGaussian)components[k]).PrecisionCholeskySpan, columnScales, floor))
            {
                component = k;
                return true;
            }
        }

        component = 0;
        return false;
    }
}
