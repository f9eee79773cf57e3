using MathNet.Numerics;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// The component side of the variational Bayesian Gaussian mixture (Bishop 2006, §10.2; scikit-learn's
/// <c>BayesianGaussianMixture</c>): a Normal-Wishart (full, tied) or Normal-Gamma (diagonal, spherical) prior on each
/// component's mean and precision, and the M-step that turns the E-step's statistics into the posterior's parameters.
/// The components it produces are the Gaussians N(m_k, Σ_k) with m_k the posterior mean and Σ_k = W_k⁻¹ / ν_k (scikit-learn's
/// <c>means_</c> and <c>covariances_</c>); the posterior's other parameters, β_k = β₀ + N_k and ν_k = ν₀ + N_k (tied:
/// ν₀ + N/K), depend on the responsibility totals only, so the weight step can add the E-step's expected-log-density terms.
/// Statistics, their reset and the batched kernel are the plain Gaussian family's of the same covariance type.
/// </summary>
internal sealed class NormalWishartFamily : IComponentFamily<GaussianComponent, GaussianStatistics>, IBlockKernelSource<GaussianComponent, GaussianStatistics>
{
    private readonly GaussianFamily _inner;
    private readonly double[] _meanPrior;
    private readonly double[] _covariancePrior; // full/tied: D × D row-major; diagonal: D values; spherical: 1 value

    /// <summary>Creates the family; the arguments are checked by the estimator.</summary>
    /// <param name="covarianceType">The covariance shape.</param>
    /// <param name="dimension">D.</param>
    /// <param name="regularization">reg_covar, added to the diagonal of each component's scatter / N_k.</param>
    /// <param name="meanPrecisionPrior">β₀ &gt; 0.</param>
    /// <param name="meanPrior">m₀, length D.</param>
    /// <param name="degreesOfFreedomPrior">ν₀ &gt; D − 1.</param>
    /// <param name="covariancePrior">W₀⁻¹: D × D row-major (full, tied), D values (diagonal) or one value (spherical).</param>
    public NormalWishartFamily(CovarianceType covarianceType, int dimension, double regularization, double meanPrecisionPrior, double[] meanPrior, double degreesOfFreedomPrior, double[] covariancePrior)
    {
        _inner = GaussianFamily.Create(covarianceType, dimension, regularization);
        CovarianceType = covarianceType;
        MeanPrecisionPrior = meanPrecisionPrior;
        _meanPrior = meanPrior;
        DegreesOfFreedomPrior = degreesOfFreedomPrior;
        _covariancePrior = covariancePrior;
    }

    /// <inheritdoc />
    public int Dimension => _inner.Dimension;

    /// <summary>The covariance shape.</summary>
    public CovarianceType CovarianceType { get; }

    /// <summary>reg_covar.</summary>
    public double Regularization => _inner.Regularization;

    /// <summary>β₀.</summary>
    public double MeanPrecisionPrior { get; }

    /// <summary>m₀.</summary>
    public ReadOnlySpan<double> MeanPrior => _meanPrior;

    /// <summary>ν₀.</summary>
    public double DegreesOfFreedomPrior { get; }

    /// <summary>W₀⁻¹ in its compact shape (see the constructor).</summary>
    public ReadOnlySpan<double> CovariancePrior => _covariancePrior;

    /// <inheritdoc />
    public int ParameterCount(int componentCount) => _inner.ParameterCount(componentCount);

    /// <inheritdoc />
    public GaussianStatistics CreateStatistics(GaussianComponent? current) => _inner.CreateStatistics(current);

    /// <inheritdoc />
    public void ResetStatistics(GaussianStatistics statistics, GaussianComponent? current) => _inner.ResetStatistics(statistics, current);

    /// <inheritdoc />
    public IBlockKernel<GaussianComponent, GaussianStatistics>? CreateBlockKernel(int componentCount) =>
        (_inner as IBlockKernelSource<GaussianComponent, GaussianStatistics>)?.CreateBlockKernel(componentCount);

    /// <summary>β_k = β₀ + n_k, with n_k = N_k + 10ε.</summary>
    public double MeanPrecision(double totalWithFloor) => MeanPrecisionPrior + totalWithFloor;

    /// <summary>ν_k = ν₀ + n_k (full, diagonal, spherical) or ν₀ + Σ_j n_j / K (tied), into <paramref name="destination"/>.</summary>
    public void DegreesOfFreedom(ReadOnlySpan<double> totalsWithFloor, Span<double> destination)
    {
        if (CovarianceType == CovarianceType.Tied)
        {
            double shared = DegreesOfFreedomPrior + (Sum(totalsWithFloor) / totalsWithFloor.Length);
            destination[..totalsWithFloor.Length].Fill(shared);
            return;
        }

        for (int k = 0; k < totalsWithFloor.Length; k++)
        {
            destination[k] = DegreesOfFreedomPrior + totalsWithFloor[k];
        }
    }

    /// <summary>
    /// E_q[log N(x | μ_k, Λ_k)] − log N(x | m_k, Σ_k): ½(Σᵢ ψ((ν − i)/2) + D log 2 − D log ν − D/β), the term the E-step adds
    /// to each component's plug-in log-density (scikit-learn's <c>_estimate_log_prob</c>).
    /// </summary>
    public double ExpectedLogDensityOffset(double degreesOfFreedom, double meanPrecision)
    {
        int d = Dimension;
        double digammaSum = 0;
        for (int i = 0; i < d; i++)
        {
            digammaSum += SpecialFunctions.DiGamma(0.5 * (degreesOfFreedom - i));
        }

        double logLambda = (d * Math.Log(2.0)) + digammaSum;
        return (-0.5 * d * Math.Log(degreesOfFreedom)) + (0.5 * (logLambda - (d / meanPrecision)));
    }

    /// <summary>
    /// The part of scikit-learn's lower bound that depends on the components after the M-step:
    /// −Σ_k log B(W_k, ν_k) − ½ D Σ_k log β_k, with log B the Wishart normaliser of scikit-learn's <c>_log_wishart_norm</c>
    /// (tied: K times the shared one).
    /// </summary>
    public double ComponentBound(ReadOnlySpan<GaussianComponent> components, ReadOnlySpan<double> totalsWithFloor)
    {
        int k = components.Length, d = Dimension;
        Span<double> nu = k <= 256 ? stackalloc double[k] : new double[k];
        DegreesOfFreedom(totalsWithFloor, nu);
        double logWishart = 0;
        int distinct = CovarianceType == CovarianceType.Tied ? 1 : k;
        for (int j = 0; j < distinct; j++)
        {
            double logDet = LogDeterminantPrecisionCholesky(components[j]) - (0.5 * d * Math.Log(nu[j]));
            logWishart += LogWishartNorm(nu[j], logDet);
        }

        if (CovarianceType == CovarianceType.Tied)
        {
            logWishart *= k;
        }

        double logBeta = 0;
        for (int j = 0; j < k; j++)
        {
            logBeta += Math.Log(MeanPrecision(totalsWithFloor[j]));
        }

        return -logWishart - (0.5 * d * logBeta);
    }

    /// <summary>log|P| = Σᵢ log Pᵢᵢ of the component's precision Cholesky factor.</summary>
    public static double LogDeterminantPrecisionCholesky(GaussianComponent component) => component switch
    {
        FullGaussian full => full.LogDeterminantPrecisionCholesky,
        DiagonalGaussian diagonal => SumHalfLog(diagonal.Precisions),
        SphericalGaussian spherical => 0.5 * spherical.Dimension * Math.Log(spherical.Precision),
        _ => throw new InvalidOperationException($"Unexpected component type {component.GetType().Name}."),
    };

    /// <inheritdoc />
    /// <remarks>
    /// With n_k = N_k + 10ε, x̄_k the weighted mean and S_k = scatter_k / n_k + reg·I (scikit-learn's
    /// <c>_estimate_gaussian_parameters</c>): β_k = β₀ + n_k, m_k = (β₀ m₀ + n_k x̄_k) / β_k, ν_k = ν₀ + n_k and
    /// Σ_k = (W₀⁻¹ + n_k S_k + (n_k β₀ / β_k)(x̄_k − m₀)(x̄_k − m₀)ᵀ) / ν_k; tied: ν = ν₀ + Σ n_k / K and
    /// Σ = (W₀⁻¹ + S Σ n_k / K + (β₀ / K) Σ_k (n_k / β_k)(x̄_k − m₀)(x̄_k − m₀)ᵀ) / ν with S the pooled S_k; diagonal and
    /// spherical take the diagonal, or its mean, of the same.
    /// </remarks>
    public void Estimate(ReadOnlySpan<GaussianStatistics> statistics, Span<GaussianComponent> destination)
    {
        int kCount = statistics.Length, d = Dimension;
        var totals = new double[kCount];
        var means = new double[kCount][];
        var posteriorMeans = new double[kCount][];
        for (int k = 0; k < kCount; k++)
        {
            totals[k] = statistics[k].TotalWeight + MixtureConstants.EmptyComponentWeight;
            means[k] = new double[d];
            statistics[k].ComputeMean(means[k]);
            double beta = MeanPrecision(totals[k]);
            posteriorMeans[k] = new double[d];
            for (int i = 0; i < d; i++)
            {
                posteriorMeans[k][i] = ((MeanPrecisionPrior * _meanPrior[i]) + (totals[k] * means[k][i])) / beta;
            }
        }

        var nu = new double[kCount];
        DegreesOfFreedom(totals, nu);
        switch (CovarianceType)
        {
            case CovarianceType.Full:
                for (int k = 0; k < kCount; k++)
                {
                    var covariance = new double[d * d];
                    ((FullScatterStatistics)statistics[k]).AddCentredScatter(covariance);
                    double nk = totals[k];
                    double shrink = nk * MeanPrecisionPrior / MeanPrecision(nk);
                    for (int i = 0; i < d; i++)
                    {
                        for (int j = 0; j < d; j++)
                        {
                            double sk = (covariance[(i * d) + j] / nk) + (i == j ? Regularization : 0);
                            double di = means[k][i] - _meanPrior[i], dj = means[k][j] - _meanPrior[j];
                            covariance[(i * d) + j] = (_covariancePrior[(i * d) + j] + (nk * sk) + (shrink * di * dj)) / nu[k];
                        }
                    }

                    if (!FullGaussian.TryCreate(posteriorMeans[k], covariance, out var component))
                    {
                        ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
                    }

                    destination[k] = component;
                }

                break;

            case CovarianceType.Tied:
            {
                var pooled = new double[d * d];
                for (int k = 0; k < kCount; k++)
                {
                    ((FullScatterStatistics)statistics[k]).AddCentredScatter(pooled);
                }

                double total = Sum(totals);
                var spread = new double[d * d];
                for (int k = 0; k < kCount; k++)
                {
                    double factor = totals[k] / MeanPrecision(totals[k]);
                    for (int i = 0; i < d; i++)
                    {
                        for (int j = 0; j < d; j++)
                        {
                            spread[(i * d) + j] += factor * (means[k][i] - _meanPrior[i]) * (means[k][j] - _meanPrior[j]);
                        }
                    }
                }

                var covariance = new double[d * d];
                for (int i = 0; i < d; i++)
                {
                    for (int j = 0; j < d; j++)
                    {
                        double sk = (pooled[(i * d) + j] / total) + (i == j ? Regularization : 0);
                        covariance[(i * d) + j] = (_covariancePrior[(i * d) + j] + (sk * total / kCount) + (MeanPrecisionPrior / kCount * spread[(i * d) + j])) / nu[0];
                    }
                }

                if (!FullGaussian.TryCreate(posteriorMeans[0], covariance, out var first))
                {
                    ThrowHelper.ThrowNotPositiveDefinite(0, Regularization);
                }

                destination[0] = first;
                for (int k = 1; k < kCount; k++)
                {
                    destination[k] = FullGaussian.WithSharedCovariance(posteriorMeans[k], first);
                }

                break;
            }

            case CovarianceType.Diagonal:
            case CovarianceType.Spherical:
                for (int k = 0; k < kCount; k++)
                {
                    var scatter = new double[d];
                    ((DiagonalScatterStatistics)statistics[k]).CentredScatter(scatter);
                    double nk = totals[k];
                    double ratio = MeanPrecisionPrior / MeanPrecision(nk);
                    if (CovarianceType == CovarianceType.Diagonal)
                    {
                        var variances = new double[d];
                        for (int i = 0; i < d; i++)
                        {
                            double sk = (scatter[i] / nk) + Regularization;
                            double di = means[k][i] - _meanPrior[i];
                            variances[i] = (_covariancePrior[i] + (nk * (sk + (ratio * di * di)))) / nu[k];
                        }

                        if (!DiagonalGaussian.TryCreate(posteriorMeans[k], variances, out var diagonal))
                        {
                            ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
                        }

                        destination[k] = diagonal;
                    }
                    else
                    {
                        double sk = 0, squared = 0;
                        for (int i = 0; i < d; i++)
                        {
                            sk += (scatter[i] / nk) + Regularization;
                            double di = means[k][i] - _meanPrior[i];
                            squared += di * di;
                        }

                        sk /= d;
                        squared /= d;
                        double variance = (_covariancePrior[0] + (nk * (sk + (ratio * squared)))) / nu[k];
                        if (!SphericalGaussian.TryCreate(posteriorMeans[k], variance, out var spherical))
                        {
                            ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
                        }

                        destination[k] = spherical;
                    }
                }

                break;

            default:
                throw new InvalidOperationException($"Unexpected covariance type {CovarianceType}.");
        }
    }

    /// <summary>
    /// log B(W, ν) as scikit-learn's <c>_log_wishart_norm</c> writes it, from ν and log|P| − ½ D log ν:
    /// −(ν·logDet + ν·D·½·log 2 + Σᵢ log Γ((ν − i)/2)).
    /// </summary>
    private double LogWishartNorm(double degreesOfFreedom, double logDetPrecisionCholesky)
    {
        int d = Dimension;
        double gammaSum = 0;
        for (int i = 0; i < d; i++)
        {
            gammaSum += SpecialFunctions.GammaLn(0.5 * (degreesOfFreedom - i));
        }

        return -((degreesOfFreedom * logDetPrecisionCholesky) + (degreesOfFreedom * d * 0.5 * Math.Log(2.0)) + gammaSum);
    }

    private static double SumHalfLog(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += 0.5 * Math.Log(v);
        }

        return sum;
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum;
    }
}
