using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// Base of the four Gaussian families: holds the dimension, the covariance regularisation (reg_covar) that the
/// M-step adds to every covariance diagonal, and the optional <see cref="CovariancePrior"/>.
/// </summary>
public abstract class GaussianFamily : IComponentFamily<GaussianComponent, GaussianStatistics>, IComponentPrior<GaussianComponent>, IDegeneracyCheck<GaussianComponent>
{
    private protected GaussianFamily(int dimension, double regularization, CovariancePrior? prior)
    {
        if (dimension < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(dimension), dimension, "Use a dimension of at least 1.");
        }

        if (!(regularization >= 0) || !double.IsFinite(regularization))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(regularization), regularization, "Use a finite, non-negative covariance regularisation such as 1e-6.");
        }

        prior?.EnsureDimension(dimension, nameof(prior));
        Dimension = dimension;
        Regularization = regularization;
        Prior = prior;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Non-negative value added to the diagonal of every estimated covariance (scikit-learn's reg_covar).</summary>
    public double Regularization { get; }

    /// <summary>
    /// The prior on the covariances (and, for mclust's Normal-inverse-Wishart form, the means), or null for maximum
    /// likelihood. With an isotropic prior the M-step is Σ = (S + α·s₀·I) / (N + α) + reg; the Normal-inverse-Wishart
    /// form's M-step is mclust's (see <see cref="CovariancePrior"/>). The gradient algorithms add its log density to the objective.
    /// </summary>
    public CovariancePrior? Prior { get; }

    /// <summary>The covariance shape this family estimates.</summary>
    public abstract CovarianceType CovarianceType { get; }

    /// <summary>Creates the family for a covariance type.</summary>
    /// <param name="covarianceType">Shape of the covariances.</param>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">reg_covar, finite and non-negative.</param>
    /// <param name="prior">The prior on the covariances, or null (the default) for maximum likelihood.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static GaussianFamily Create(CovarianceType covarianceType, int dimension, double regularization, CovariancePrior? prior = null) => covarianceType switch
    {
        CovarianceType.Full => new FullCovarianceFamily(dimension, regularization, prior),
        CovarianceType.Tied => new TiedCovarianceFamily(dimension, regularization, prior),
        CovarianceType.Diagonal => new DiagonalCovarianceFamily(dimension, regularization, prior),
        CovarianceType.Spherical => new SphericalCovarianceFamily(dimension, regularization, prior),
        _ => throw new ArgumentOutOfRangeException(nameof(covarianceType), covarianceType, $"covarianceType = {covarianceType} is not defined. Use one of Full, Tied, Diagonal, Spherical."),
    };

    /// <inheritdoc />
    public abstract int ParameterCount(int componentCount);

    /// <inheritdoc />
    public abstract GaussianStatistics CreateStatistics(GaussianComponent? current);

    /// <inheritdoc />
    public void ResetStatistics(GaussianStatistics statistics, GaussianComponent? current)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.Dimension != Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(statistics), $"statistics has dimension {statistics.Dimension}, not {Dimension}. Pass one created by this family's CreateStatistics.");
        }

        statistics.Reset(current is null ? default : current.Mean);
        statistics.Current = current;
    }

    /// <inheritdoc />
    /// <remarks>The log density (up to a constant) of the parameters under <see cref="Prior"/>: Wishart (full, tied) or Gamma (diagonal, spherical) on the precisions, with the Normal term on the means for the Normal-inverse-Wishart form; 0 without one.</remarks>
    public double LogPrior(ReadOnlySpan<GaussianComponent> components) =>
        Prior is null ? 0 : LogPriorValue.Of((IReparameterization<GaussianComponent, GaussianStatistics>)this, components);

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="ComponentDegeneracy.VarianceAtFloor"/> when the covariance's smallest eigenvalue (full, tied), variance
    /// (diagonal) or the variance (spherical) is within <see cref="DegeneracyThresholds.FloorFactor"/> of
    /// <see cref="Regularization"/> or below <see cref="DegeneracyThresholds.RelativeFloor"/> × the largest (tied: the
    /// shared covariance, so every component or none); <see cref="ComponentDegeneracy.TooFewRows"/> when the effective row
    /// count is below the rows a non-singular estimate needs: D + 1 for full covariance (a scatter of n rows has rank at
    /// most n − 1), 2 for diagonal and spherical, 1 for tied (the component's own parameters are only its mean); with a
    /// <see cref="Prior"/>, whose pseudo-observations keep every estimate non-singular, 1 for every type.
    /// </remarks>
    /// <exception cref="ArgumentException">The spans do not have one entry per component.</exception>
    public void CheckDegeneracy(ReadOnlySpan<GaussianComponent> components, ReadOnlySpan<double> effectiveRowCounts, Span<ComponentDegeneracy> destination)
    {
        DegeneracyArguments.Check(components.Length, effectiveRowCounts.Length, destination.Length);
        // With a prior its pseudo-observations make every estimate non-singular; a component still needs a row.
        double needed = Prior is not null ? 1 : CovarianceType switch
        {
            CovarianceType.Full => Dimension + 1,
            CovarianceType.Tied => 1,
            _ => 2,
        };
        bool sharedAtFloor = CovarianceType == CovarianceType.Tied && components.Length > 0 && IsAtFloor(components[0]);
        for (int k = 0; k < components.Length; k++)
        {
            var flags = ComponentDegeneracy.None;
            if (CovarianceType == CovarianceType.Tied ? sharedAtFloor : IsAtFloor(components[k]))
            {
                flags |= ComponentDegeneracy.VarianceAtFloor;
            }

            if (!(effectiveRowCounts[k] >= needed))
            {
                flags |= ComponentDegeneracy.TooFewRows;
            }

            destination[k] = flags;
        }
    }

    private bool IsAtFloor(GaussianComponent component)
    {
        ArgumentNullException.ThrowIfNull(component);
        double smallest, largest;
        switch (component)
        {
            case FullGaussian full:
                (smallest, largest) = SymmetricEigenvalues.Extremes(full.CovarianceSpan, full.Dimension);
                break;
            case DiagonalGaussian diagonal:
                smallest = double.PositiveInfinity;
                largest = double.NegativeInfinity;
                foreach (double v in diagonal.Variances)
                {
                    smallest = Math.Min(smallest, v);
                    largest = Math.Max(largest, v);
                }

                break;
            case SphericalGaussian spherical:
                smallest = largest = spherical.Variance;
                break;
            default:
                (smallest, largest) = SymmetricEigenvalues.Extremes(component.GetCovariance());
                break;
        }

        return DegeneracyThresholds.IsAtFloor(smallest, largest, Regularization);
    }

    /// <inheritdoc />
    public abstract void Estimate(ReadOnlySpan<GaussianStatistics> statistics, Span<GaussianComponent> destination);

    /// <summary>
    /// Turns a D × D weighted scatter S of total weight N (row-major, in place) into the M-step's covariance
    /// S / N + reg·I, or (S + α·s₀·I) / (N + α) + reg·I with a prior.
    /// </summary>
    private protected void ScatterToCovariance(Span<double> scatter, double weight)
    {
        int d = Dimension;
        double added = Prior?.AddedScatter ?? 0;
        double denominator = Prior?.Denominator(weight) ?? weight;
        for (int i = 0; i < d; i++)
        {
            scatter[(i * d) + i] += added;
        }

        for (int i = 0; i < scatter.Length; i++)
        {
            scatter[i] /= denominator;
        }

        for (int i = 0; i < d; i++)
        {
            scatter[(i * d) + i] += Regularization;
        }
    }

    /// <summary>The M-step's variance for a scatter of total weight N standing for <paramref name="multiplicity"/> directions (see <see cref="CovariancePrior.PosteriorVariance"/>).</summary>
    private protected double ScatterToVariance(double scatter, double weight, int multiplicity = 1) =>
        CovariancePrior.PosteriorVariance(Prior, scatter, weight, Regularization, multiplicity);

    /// <summary>
    /// With a Normal-inverse-Wishart prior: moves the weighted mean x̄ (weight N, the same for every column) to the
    /// posterior mean (N·x̄ + κ·μ_P)/(N + κ) in place and adds c·(x̄ − μ_P)(x̄ − μ_P)ᵀ, c = κN/(N + κ), to the D × D
    /// <paramref name="scatter"/>.
    /// </summary>
    private protected void ShrinkMeanAddScatter(Span<double> scatter, double[] mean, double weight)
    {
        int d = Dimension;
        var prior = Prior!;
        Span<double> offset = d <= 64 ? stackalloc double[d] : new double[d];
        Span<double> weights = d <= 64 ? stackalloc double[d] : new double[d];
        weights.Fill(weight);
        prior.ShrinkMean(mean, weights, offset);
        double c = prior.MeanScatterWeight(weight);
        if (c == 0)
        {
            return;
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                scatter[(i * d) + j] += c * offset[i] * offset[j];
            }
        }
    }

    /// <summary>With a Normal-inverse-Wishart prior: (scatter + Λ) / denominator + reg·I, in place.</summary>
    private protected void ConjugateScatterToCovariance(Span<double> scatter, double denominator)
    {
        int d = Dimension;
        Prior!.AddScale(scatter);
        for (int i = 0; i < scatter.Length; i++)
        {
            scatter[i] /= denominator;
        }

        for (int i = 0; i < d; i++)
        {
            scatter[(i * d) + i] += Regularization;
        }
    }

    /// <summary>
    /// With a Normal-inverse-Wishart prior, the diagonal and spherical M-step from per-column scatters about the observed
    /// means (weights W_d, the observed weight of each column): moves <paramref name="mean"/> to the posterior mean in
    /// place and returns, for diagonal, each σ²_d = (s + S_d + c_d·e_d²)/(W_d + a) + reg in <paramref name="scatter"/>
    /// (and 0), for spherical σ² = (s + Σ_d (S_d + c_d·e_d²))/(Σ_d W_d + a) + reg.
    /// </summary>
    private protected double ConjugateDiagonal(DiagonalScatterStatistics statistics, double[] mean, double[] scatter, bool spherical)
    {
        int d = Dimension;
        var prior = Prior!;
        var weights = new double[d];
        var offset = new double[d];
        for (int i = 0; i < d; i++)
        {
            weights[i] = statistics.ObservedWeight(i) + MixtureConstants.EmptyComponentWeight;
        }

        prior.ShrinkMean(mean, weights, offset);
        double s = prior.ScalarScale;
        if (!spherical)
        {
            double a = prior.DiagonalOffset;
            for (int i = 0; i < d; i++)
            {
                scatter[i] = ((s + scatter[i] + (prior.MeanScatterWeight(weights[i]) * offset[i] * offset[i])) / (weights[i] + a)) + Regularization;
            }

            return 0;
        }

        double total = s, weight = prior.SphericalOffset;
        for (int i = 0; i < d; i++)
        {
            total += scatter[i] + (prior.MeanScatterWeight(weights[i]) * offset[i] * offset[i]);
            weight += weights[i];
        }

        return (total / weight) + Regularization;
    }

    /// <summary>Means of every accumulator, as arrays the new components will own.</summary>
    private protected double[] MeanOf(GaussianStatistics statistics)
    {
        var mean = new double[Dimension];
        statistics.ComputeMean(mean);
        return mean;
    }
}
