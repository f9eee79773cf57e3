using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// A weak conjugate prior on every Gaussian covariance (and every univariate normal variance): α pseudo-observations
/// of variance s₀ in every direction, spread about the component's own mean. It keeps the maximum of the penalised
/// likelihood finite — a component can no longer collapse onto one point or a lower-dimensional set and drive the
/// likelihood to +∞ — and it is the same objective for EM and for the gradient algorithms (exactly so with reg_covar = 0,
/// since EM adds reg_covar after its M-step and the gradient objective does not contain it).
/// </summary>
/// <remarks>
/// <para>
/// On the precision Λ = Σ⁻¹ of each covariance the log prior is (α/2)·log det Λ − (α·s₀/2)·tr Λ (a Wishart density
/// up to constants, with ν = α + D + 1 degrees of freedom; for a diagonal or spherical covariance, a Gamma(α/2 + 1,
/// α·s₀/2) prior on each precision 1/σ²). The M-step then
/// maximises the posterior: Σ = (S + α·s₀·I) / (N + α) + reg, with S the component's weighted scatter about its mean
/// and N its weight (a tied covariance gets one prior: (Σₖ Sₖ + α·s₀·I) / (N + α)). The means and mixing weights are
/// not affected. The gradient algorithms minimise −(1/W)·(log-likelihood + log prior), whose stationary points are
/// exactly the fixed points of that M-step.
/// </para>
/// <para>
/// The smallest variance the posterior can reach in any direction is α·s₀ / (N + α), so the penalised objective
/// is bounded. Reported lower bounds (<c>FitReport.LowerBound</c>) stay the mean log-likelihood alone, so with a
/// prior they may fall slightly between iterations. A weak prior has α small next to the component sizes, for
/// example α = 1 with s₀ from <see cref="FromData"/>; it moves a well-supported covariance by about α/N relative.
/// </para>
/// </remarks>
public sealed record CovariancePrior
{
    private readonly double _pseudoObservations;
    private readonly double _variance;

    /// <summary>Creates the prior.</summary>
    /// <param name="pseudoObservations">α, finite and positive: the prior's weight in observations.</param>
    /// <param name="variance">s₀, finite and positive: the variance the prior pulls every direction towards, in the data's squared units.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is not finite and positive.</exception>
    public CovariancePrior(double pseudoObservations, double variance)
    {
        // Checked under the constructor's parameter names; the init accessors check the same under the property names.
        _pseudoObservations = Positive(pseudoObservations, nameof(pseudoObservations), "Use a finite, positive number of pseudo-observations such as 1 (a weak prior).");
        _variance = Positive(variance, nameof(variance), "Use a finite, positive variance, for example from CovariancePrior.FromData.");
    }

    /// <summary>α·s₀, the scatter the prior adds to every diagonal entry; finite (checked when the prior is used).</summary>
    internal double AddedScatter
    {
        get
        {
            double added = _pseudoObservations * _variance;
            if (!double.IsFinite(added))
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(Variance), _variance, string.Create(CultureInfo.InvariantCulture, $"PseudoObservations × Variance = {_pseudoObservations} × {_variance} overflows. Use a smaller variance or fewer pseudo-observations (or scale the data)."));
            }

            return added;
        }
    }

    /// <summary>α: how many observations of variance <see cref="Variance"/> the prior is worth (finite, positive).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite and positive.</exception>
    public double PseudoObservations
    {
        get => _pseudoObservations;
        init => _pseudoObservations = Positive(value, nameof(PseudoObservations), "Use a finite, positive number of pseudo-observations such as 1 (a weak prior).");
    }

    /// <summary>s₀: the variance the prior pulls every direction towards, in the data's squared units (finite, positive).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite and positive.</exception>
    public double Variance
    {
        get => _variance;
        init => _variance = Positive(value, nameof(Variance), "Use a finite, positive variance, for example from CovariancePrior.FromData.");
    }

    /// <summary>
    /// A weak prior scaled to the data, like the scale of mclust's default prior: s₀ = (mean of the columns' variances) /
    /// K^(2/D), the variance of one of K equal clusters that split the data's volume, with α pseudo-observations.
    /// </summary>
    /// <remarks>
    /// Each column's variance is taken about its mean over its observed entries (missing ones, NaN, are skipped, and a
    /// column with none is left out), with every row weighing the same.
    /// </remarks>
    /// <param name="data">The training data (rows × D); missing entries (NaN) are skipped.</param>
    /// <param name="componentCount">K, at least 1.</param>
    /// <param name="pseudoObservations">α, finite and positive; default 1.</param>
    /// <returns>The prior.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="componentCount"/> is below 1 or <paramref name="pseudoObservations"/> is not finite and positive.</exception>
    /// <exception cref="ArgumentException">The data holds ±∞ or a row with every entry missing, a column's variance overflows, or no column varies.</exception>
    public static CovariancePrior FromData(DataMatrix data, int componentCount, double pseudoObservations = 1)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentChecks.AtLeast(componentCount, 1, nameof(componentCount), "Use the number of components the mixture will have (at least 1).");
        Positive(pseudoObservations, nameof(pseudoObservations), "Use a finite, positive number of pseudo-observations such as 1 (a weak prior).");
        data.EnsureObservedOrMissing(nameof(data), everyColumnObserved: false);
        double variance = ColumnVariance.Mean(data, null, out int columns);
        if (double.IsPositiveInfinity(variance))
        {
            ThrowHelper.ThrowArgument(nameof(data), "data has a column whose variance overflows. Scale the data (for example to unit variance) before deriving a prior.");
        }

        variance /= Math.Pow(componentCount, 2.0 / Math.Max(columns, 1));
        if (!(variance > 0))
        {
            ThrowHelper.ThrowArgument(nameof(data), string.Create(CultureInfo.InvariantCulture, $"data has no spread to scale a prior by (mean column variance {variance}). Give data whose columns vary, or choose the variance yourself with new CovariancePrior(α, s₀)."));
        }

        return new CovariancePrior(pseudoObservations, variance);
    }

    /// <summary>The M-step's denominator N + α for a component (or column) of weight N.</summary>
    internal double Denominator(double weight) => weight + _pseudoObservations;

    /// <summary>
    /// The M-step's variance for a scatter of total weight N that stands for <paramref name="multiplicity"/>
    /// directions: S / N + reg without a prior, (S + m·α·s₀) / (N + m·α) + reg with one.
    /// </summary>
    internal static double PosteriorVariance(CovariancePrior? prior, double scatter, double weight, double regularization, int multiplicity = 1) =>
        prior is null
            ? (scatter / weight) + regularization
            : ((scatter + (multiplicity * prior.AddedScatter)) / (weight + (multiplicity * prior._pseudoObservations))) + regularization;


    /// <summary>
    /// For a precision Cholesky factor P (upper, D × D row-major; Λ = PPᵀ): returns the log prior α·Σ log Pᵢᵢ −
    /// (α·s₀/2)·Σ P²ᵢⱼ and adds <paramref name="scale"/> × its gradient in the packed coordinates of
    /// <see cref="GaussianReparameterization.PackPrecisionCholesky"/> (α − α·s₀·P²ᵢᵢ for log Pᵢᵢ, −α·s₀·Pᵢⱼ off the
    /// diagonal) to <paramref name="packedGradient"/>.
    /// </summary>
    internal double AddPrecisionCholeskyLogPrior(ReadOnlySpan<double> p, int d, double scale, Span<double> packedGradient)
    {
        double alpha = _pseudoObservations, alphaS0 = AddedScatter;
        double logDiagonal = 0, squares = 0;
        int index = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = p[(i * d) + j];
                squares += v * v;
                if (j == i)
                {
                    logDiagonal += Math.Log(v);
                    packedGradient[index++] += scale * (alpha - (alphaS0 * v * v));
                }
                else
                {
                    packedGradient[index++] += scale * -alphaS0 * v;
                }
            }
        }

        return (alpha * logDiagonal) - (0.5 * alphaS0 * squares);
    }

    /// <summary>
    /// For one variance σ² that stands for <paramref name="multiplicity"/> directions (1 for a diagonal entry or a
    /// univariate normal, D for a spherical covariance): returns the log prior −(m·α/2)·(log σ² + s₀/σ²) and adds
    /// <paramref name="scale"/> × its derivative with respect to log σ², (m·α/2)·(s₀/σ² − 1), to
    /// <paramref name="logVarianceGradient"/>.
    /// </summary>
    internal double AddVarianceLogPrior(double variance, int multiplicity, double scale, ref double logVarianceGradient)
    {
        double half = 0.5 * multiplicity * _pseudoObservations;
        double ratio = _variance / variance;
        logVarianceGradient += scale * half * (ratio - 1);
        return -half * (Math.Log(variance) + ratio);
    }

    private static double Positive(double value, string name, string fix)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            ThrowHelper.ThrowArgumentOutOfRange(name, value, fix);
        }

        return value;
    }
}
