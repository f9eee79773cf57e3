using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussians, each with its own diagonal covariance: σ²_kd = scatter_kd / N_k + reg (with an isotropic <see cref="CovariancePrior"/>, (scatter_kd + α·s₀) / (N_k + α) + reg; with mclust's Normal-inverse-Wishart one, its VVI M-step).</summary>
public sealed class DiagonalCovarianceFamily : GaussianFamily, IReparameterization<GaussianComponent, GaussianStatistics>, IStandardizedReparameterization<GaussianComponent>, IBlockKernelSource<GaussianComponent, GaussianStatistics>
{
    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">reg_covar, finite and non-negative.</param>
    /// <param name="prior">The prior on the covariances, or null (the default) for maximum likelihood.</param>
    public DiagonalCovarianceFamily(int dimension, double regularization, CovariancePrior? prior = null)
        : base(dimension, regularization, prior)
    {
    }

    /// <inheritdoc />
    public override CovarianceType CovarianceType => CovarianceType.Diagonal;

    /// <inheritdoc />
    public override int ParameterCount(int componentCount) => componentCount * 2 * Dimension;

    /// <inheritdoc />
    public override GaussianStatistics CreateStatistics(GaussianComponent? current) => new DiagonalScatterStatistics(Dimension, current is null ? default : current.Mean);

    /// <inheritdoc />
    IBlockKernel<GaussianComponent, GaussianStatistics>? IBlockKernelSource<GaussianComponent, GaussianStatistics>.CreateBlockKernel(int componentCount) =>
        Lanes512.IsSupported ? new DiagonalBlockKernel<Lanes512>(Dimension, componentCount, spherical: false)
        : Lanes256.IsSupported ? new DiagonalBlockKernel<Lanes256>(Dimension, componentCount, spherical: false)
        : null;

    /// <inheritdoc />
    public override void Estimate(ReadOnlySpan<GaussianStatistics> statistics, Span<GaussianComponent> destination)
    {
        for (int k = 0; k < statistics.Length; k++)
        {
            var variances = Variances((DiagonalScatterStatistics)statistics[k]);
            var diagonal = (DiagonalScatterStatistics)statistics[k];
            var mean = new double[Dimension];
            diagonal.ComputeObservedMean(mean); // MeanOf when nothing was missing
            if (Prior is { IsConjugate: true })
            {
                ConjugateDiagonal(diagonal, mean, variances, spherical: false);
            }
            if (!DiagonalGaussian.TryCreate(mean, variances, out var component))
            {
                ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
            }

            destination[k] = component;
        }
    }

    /// <summary>Per-column variances scatter / (W + 10ε) + reg (with a prior, (scatter + α·s₀) / (W + 10ε + α) + reg).</summary>
    private double[] Variances(DiagonalScatterStatistics statistics)
    {
        var variances = new double[statistics.Dimension];
        statistics.CentredScatter(variances);
        double nk = statistics.TotalWeight + MixtureConstants.EmptyComponentWeight;
        for (int i = 0; i < variances.Length; i++)
        {
            // With missing entries each column is normalised by the weight of its observed rows, W_d + 10ε.
            double n = statistics.HasMissing ? statistics.ObservedWeight(i) + MixtureConstants.EmptyComponentWeight : nk;
            variances[i] = Prior is { IsConjugate: true } ? variances[i] : ScatterToVariance(variances[i], n);
        }

        return variances;
    }

    /// <inheritdoc />
    /// <remarks>Per component: μ (D values), then log σ²_d (D values).</remarks>
    int IReparameterization<GaussianComponent, GaussianStatistics>.UnconstrainedLength(int componentCount) => componentCount * 2 * Dimension;

    /// <inheritdoc />
    void IReparameterization<GaussianComponent, GaussianStatistics>.ToUnconstrained(ReadOnlySpan<GaussianComponent> components, Span<double> destination)
    {
        int d = Dimension;
        for (int k = 0; k < components.Length; k++)
        {
            var component = (DiagonalGaussian)components[k];
            var target = destination.Slice(k * 2 * d, 2 * d);
            component.Mean.CopyTo(target);
            var variances = component.Variances;
            for (int i = 0; i < d; i++)
            {
                target[d + i] = Math.Log(variances[i]);
            }
        }
    }

    /// <inheritdoc />
    bool IReparameterization<GaussianComponent, GaussianStatistics>.TryFromUnconstrained(ReadOnlySpan<double> values, Span<GaussianComponent> destination)
    {
        int d = Dimension;
        if (!GaussianReparameterization.AllFinite(values[..(destination.Length * 2 * d)]))
        {
            return false;
        }

        var built = new GaussianComponent[destination.Length];
        for (int k = 0; k < built.Length; k++)
        {
            var source = values.Slice(k * 2 * d, 2 * d);
            var variances = new double[d];
            for (int i = 0; i < d; i++)
            {
                variances[i] = Math.Exp(source[d + i]);
                if (!GaussianReparameterization.VarianceUsable(variances[i]))
                {
                    return false;
                }
            }

            if (!DiagonalGaussian.TryCreate(source[..d].ToArray(), variances, out var component))
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
    /// ∂F/∂μ_d = s_μ,d/σ²_d and ∂F/∂(log σ²_d) = −W_d/2 + S_μ,dd/(2σ²_d), with W_d the weight of the rows where column
    /// d was observed (the exact gradient of the observed-data likelihood when entries were missing). The plain
    /// likelihood: the regularisation does not enter.
    /// </remarks>
    void IReparameterization<GaussianComponent, GaussianStatistics>.Gradient(ReadOnlySpan<GaussianStatistics> statistics, ReadOnlySpan<GaussianComponent> components, Span<double> destination)
    {
        int d = Dimension;
        for (int k = 0; k < components.Length; k++)
        {
            var component = (DiagonalGaussian)components[k];
            var target = destination.Slice(k * 2 * d, 2 * d);
            GaussianReparameterization.DiagonalGradient((DiagonalScatterStatistics)statistics[k], component.Mean, component.Variances, target[..d], target[d..]);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// With an isotropic <see cref="GaussianFamily.Prior"/>: −(α/2)·(log σ²_kd + s₀/σ²_kd) summed over components and
    /// columns; with a Normal-inverse-Wishart one, −(a/2)·log σ²_kd − (s + κ(μ_kd − μ_P,d)²)/(2σ²_kd), a = ν + 3, s = tr Λ / D.
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
            double offset = Prior.DiagonalOffset;
            for (int k = 0; k < components.Length; k++)
            {
                var component = (DiagonalGaussian)components[k];
                var variances = component.Variances;
                var target = destination.Slice(k * 2 * d, 2 * d);
                for (int i = 0; i < d; i++)
                {
                    value += Prior.AddConjugateVarianceLogPrior(variances[i], offset, component.Mean.Slice(i, 1), i, scale, target.Slice(i, 1), ref target[d + i]);
                }
            }

            return value;
        }

        for (int k = 0; k < components.Length; k++)
        {
            var variances = ((DiagonalGaussian)components[k]).Variances;
            for (int i = 0; i < d; i++)
            {
                value += Prior.AddVarianceLogPrior(variances[i], 1, scale, ref destination[(k * 2 * d) + d + i]);
            }
        }

        return value;
    }

    /// <inheritdoc />
    /// <remarks>With s_kj = σ_kj at the start: μ_kj = c_kj + s_kj·μ'_kj (factor s_kj); log σ²_kj = log σ'²_kj + 2 log s_kj (factor 1).</remarks>
    void IStandardizedReparameterization<GaussianComponent>.StandardizingScales(ReadOnlySpan<GaussianComponent> start, Span<double> destination)
    {
        int d = Dimension;
        for (int k = 0; k < start.Length; k++)
        {
            var target = destination.Slice(k * 2 * d, 2 * d);
            var variances = ((DiagonalGaussian)start[k]).Variances;
            for (int i = 0; i < d; i++)
            {
                target[i] = GaussianReparameterization.Scale(variances[i]);
            }

            target[d..].Fill(1);
        }
    }

    /// <inheritdoc />
    bool IStandardizedReparameterization<GaussianComponent>.HasCollapsed(ReadOnlySpan<GaussianComponent> components, ReadOnlySpan<double> columnScales, double floor, out int component)
    {
        for (int k = 0; k < components.Length; k++)
        {
            var variances = ((DiagonalGaussian)components[k]).Variances;
            for (int i = 0; i < variances.Length; i++)
            {
                if (!(variances[i] / (columnScales[i] * columnScales[i]) >= floor))
                {
                    component = k;
                    return true;
                }
            }
        }

        component = 0;
        return false;
    }
}
