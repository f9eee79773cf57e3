using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussians with their own means and one shared covariance: Σ = Σ_k scatter_k / Σ_k N_k + reg·I (with an isotropic <see cref="CovariancePrior"/>, one prior on the shared covariance: (Σ_k scatter_k + α·s₀·I) / (Σ_k N_k + α) + reg·I; with mclust's Normal-inverse-Wishart one, its EEE M-step).</summary>
public sealed class TiedCovarianceFamily : GaussianFamily, IReparameterization<GaussianComponent, GaussianStatistics>, IStandardizedReparameterization<GaussianComponent>, IBlockKernelSource<GaussianComponent, GaussianStatistics>
{
    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">reg_covar, finite and non-negative.</param>
    /// <param name="prior">The prior on the covariances, or null (the default) for maximum likelihood.</param>
    public TiedCovarianceFamily(int dimension, double regularization, CovariancePrior? prior = null)
        : base(dimension, regularization, prior)
    {
    }

    /// <inheritdoc />
    public override CovarianceType CovarianceType => CovarianceType.Tied;

    /// <inheritdoc />
    public override int ParameterCount(int componentCount) => (componentCount * Dimension) + (Dimension * (Dimension + 1) / 2);

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
        var covariance = new double[d * d];
        double total = 0;
        var means = new double[statistics.Length][];
        bool conjugate = Prior is { IsConjugate: true };
        for (int k = 0; k < statistics.Length; k++)
        {
            var s = (FullScatterStatistics)statistics[k];
            s.AddCentredScatter(covariance);
            double weight = s.TotalWeight + MixtureConstants.EmptyComponentWeight;
            total += weight;
            means[k] = MeanOf(s);
            if (conjugate)
            {
                ShrinkMeanAddScatter(covariance, means[k], weight);
            }
        }

        if (conjugate)
        {
            ConjugateScatterToCovariance(covariance, total + Prior!.TiedOffset(statistics.Length));
        }
        else
        {
            ScatterToCovariance(covariance, total);
        }

        if (!FullGaussian.TryCreate(means[0], covariance, out var first))
        {
            ThrowHelper.ThrowNotPositiveDefinite(-1, Regularization);
        }

        destination[0] = first;
        for (int k = 1; k < statistics.Length; k++)
        {
            destination[k] = FullGaussian.WithSharedCovariance(means[k], first);
        }
    }

    /// <inheritdoc />
    /// <remarks>The K means (K·D values), then the shared P: its upper triangle row by row, log Pᵢᵢ in place of each diagonal entry.</remarks>
    int IReparameterization<GaussianComponent, GaussianStatistics>.UnconstrainedLength(int componentCount) =>
        (componentCount * Dimension) + GaussianReparameterization.TriangleLength(Dimension);

    /// <inheritdoc />
    /// <remarks>The shared factor is read from the first component (all components of a tied family carry the same one).</remarks>
    void IReparameterization<GaussianComponent, GaussianStatistics>.ToUnconstrained(ReadOnlySpan<GaussianComponent> components, Span<double> destination)
    {
        int d = Dimension;
        for (int k = 0; k < components.Length; k++)
        {
            components[k].Mean.CopyTo(destination.Slice(k * d, d));
        }

        GaussianReparameterization.PackPrecisionCholesky(((FullGaussian)components[0]).PrecisionCholeskySpan, d, destination[(components.Length * d)..]);
    }

    /// <inheritdoc />
    bool IReparameterization<GaussianComponent, GaussianStatistics>.TryFromUnconstrained(ReadOnlySpan<double> values, Span<GaussianComponent> destination)
    {
        int d = Dimension, count = destination.Length;
        int length = (count * d) + GaussianReparameterization.TriangleLength(d);
        if (count == 0 || !GaussianReparameterization.AllFinite(values[..length]))
        {
            return false;
        }

        var p = GaussianReparameterization.UnpackPrecisionCholesky(values[(count * d)..length], d);
        if (p is null || !GaussianReparameterization.PrecisionFinite(p) || !FullGaussian.TryFromPrecisionCholesky(values[..d].ToArray(), p, out var first))
        {
            return false;
        }

        destination[0] = first;
        for (int k = 1; k < count; k++)
        {
            destination[k] = FullGaussian.WithSharedCovariance(values.Slice(k * d, d).ToArray(), first);
        }

        return true;
    }

    /// <inheritdoc />
    /// <remarks>
    /// ∂F/∂μ_k = Λ s_μ,k per component; ∂F/∂P = Σ_k (W_k·diag(1/Pᵢᵢ) − S_μ,k P) (upper triangle; diagonal entries
    /// times Pᵢᵢ for log Pᵢᵢ). The plain likelihood: the regularisation does not enter.
    /// </remarks>
    void IReparameterization<GaussianComponent, GaussianStatistics>.Gradient(ReadOnlySpan<GaussianStatistics> statistics, ReadOnlySpan<GaussianComponent> components, Span<double> destination)
    {
        int d = Dimension, count = components.Length;
        var gradient = new double[d * d];
        for (int k = 0; k < count; k++)
        {
            var component = (FullGaussian)components[k];
            GaussianReparameterization.FullGradient((FullScatterStatistics)statistics[k], component.Mean, component.PrecisionCholeskySpan, destination.Slice(k * d, d), gradient);
        }

        GaussianReparameterization.PackPrecisionCholeskyGradient(gradient, ((FullGaussian)components[0]).PrecisionCholeskySpan, d, destination[(count * d)..]);
    }

    /// <inheritdoc />
    /// <remarks>
    /// With an isotropic <see cref="GaussianFamily.Prior"/>: one Wishart term on the shared factor, α·Σᵢ log Pᵢᵢ − (α·s₀/2)·‖P‖²;
    /// with a Normal-inverse-Wishart one, a·Σᵢ log Pᵢᵢ − ½·tr(Λ PPᵀ) − (κ/2)·Σ_k ‖Pᵀ(μ_k − μ_P)‖², a = ν + D + 1 + K.
    /// </remarks>
    double IReparameterization<GaussianComponent, GaussianStatistics>.AddLogPrior(ReadOnlySpan<GaussianComponent> components, double scale, Span<double> destination)
    {
        if (Prior is null || components.Length == 0)
        {
            return 0;
        }

        int d = Dimension;
        if (Prior.IsConjugate)
        {
            var means = new double[components.Length * d];
            for (int k = 0; k < components.Length; k++)
            {
                components[k].Mean.CopyTo(means.AsSpan(k * d, d));
            }

            return Prior.AddConjugatePrecisionLogPrior(((FullGaussian)components[0]).PrecisionCholeskySpan, d, Prior.TiedOffset(components.Length), means, components.Length, scale, destination[..(components.Length * d)], destination[(components.Length * d)..]);
        }

        return Prior.AddPrecisionCholeskyLogPrior(((FullGaussian)components[0]).PrecisionCholeskySpan, d, scale, destination[(components.Length * d)..]);
    }

    /// <inheritdoc />
    /// <remarks>With s_j = √Σ_jj of the shared covariance at the start: every μ_kj factor s_j, log Pᵢᵢ factor 1, Pᵢⱼ factor 1/sᵢ.</remarks>
    void IStandardizedReparameterization<GaussianComponent>.StandardizingScales(ReadOnlySpan<GaussianComponent> start, Span<double> destination)
    {
        int d = Dimension, count = start.Length;
        if (count == 0)
        {
            return;
        }

        var scales = GaussianReparameterization.DiagonalScales(((FullGaussian)start[0]).CovarianceSpan, d);
        for (int k = 0; k < count; k++)
        {
            scales.CopyTo(destination.Slice(k * d, d));
        }

        GaussianReparameterization.StandardizingScales(scales, new double[d], destination.Slice(count * d, GaussianReparameterization.TriangleLength(d)));
    }

    /// <inheritdoc />
    bool IStandardizedReparameterization<GaussianComponent>.HasCollapsed(ReadOnlySpan<GaussianComponent> components, ReadOnlySpan<double> columnScales, double floor, out int component)
    {
        component = -1;
        return components.Length > 0 && GaussianReparameterization.PrecisionCholeskyCollapsed(((FullGaussian)components[0]).PrecisionCholeskySpan, columnScales, floor);
    }
}
