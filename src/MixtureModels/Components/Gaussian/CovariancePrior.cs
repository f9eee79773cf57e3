using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// A conjugate prior on every Gaussian covariance (and every univariate normal variance), in one of two forms
/// (<see cref="Form"/>). It keeps the maximum of the penalised likelihood finite — a component can no longer collapse
/// onto one point or a lower-dimensional set and drive the likelihood to +∞ — and EM then maximises the posterior
/// (maximum a posteriori, MAP). It is the same objective for EM and for the gradient algorithms (exactly so with
/// reg_covar = 0, since EM adds reg_covar after its M-step and the gradient objective does not contain it).
/// </summary>
/// <remarks>
/// <para>
/// <b>mclust's default prior</b> (<see cref="CovariancePriorForm.NormalInverseWishart"/>, from <see cref="FromData"/>
/// or <see cref="NormalInverseWishart"/>; Fraley &amp; Raftery 2007, "Bayesian regularization for normal mixture
/// estimation and model-based clustering"): μ_k | Σ_k ~ N(μ_P, Σ_k/κ) and Σ_k ~ inverse-Wishart(ν, Λ). With W_k the
/// scatter of component k about its weighted mean x̄_k, N_k its weight, d_k = x̄_k − μ_P and c_k = κN_k/(N_k + κ), the
/// M-step is mclust's (its Fortran <c>msvvvp</c>, <c>mseeep</c>, <c>msvvip</c>, <c>msviip</c>):
/// μ_k = (N_k·x̄_k + κ·μ_P)/(N_k + κ) for every covariance type, and
/// full (VVV): Σ_k = (Λ + W_k + c_k·d_k·d_kᵀ) / (ν + N_k + D + 2);
/// tied (EEE): Σ = (Λ + Σ_k (W_k + c_k·d_k·d_kᵀ)) / (ν + N + D + 1 + K);
/// diagonal (VVI): σ²_kj = (s + W_k,jj + c_k·d_kj²) / (ν + N_k + 3);
/// spherical (VII): σ²_k = (s + tr W_k + c_k·‖d_k‖²) / (ν + D·N_k + D + 2);
/// with s = tr(Λ)/D, the scalar scale mclust's <c>defaultPrior</c> gives its diagonal and spherical models (the mean
/// column variance / K^(2/D)). With κ = 0 the mean prior is absent: the means are the weighted means and the terms
/// that count it drop out (full: ν + N_k + D + 1, tied: ν + N + D + 1, diagonal: ν + N_k + 2, spherical: ν + D·N_k + 2;
/// mclust's full-covariance routine keeps its + 2 there, the others drop it as here). The mixing weights are not
/// affected (mclust's are the maximum-likelihood ones; a <see cref="DirichletWeightPrior"/> adds a prior on them).
/// The log prior is the matching density up to a constant: per component (per column for diagonal)
/// −(a/2)·log det Σ − ½·tr(Λ Σ⁻¹) − (κ/2)·(μ − μ_P)ᵀ Σ⁻¹ (μ − μ_P), with a the denominator's offset above.
/// mclust's BIC with a prior is 2·log L(θ̂_MAP) − p·log n: the log-likelihood at the MAP estimate, without the log prior
/// and with the usual parameter count; the fitted model's BIC is that (times −1, our sign convention).
/// </para>
/// <para>
/// <b>Isotropic</b> (<see cref="CovariancePriorForm.Isotropic"/>, <c>new CovariancePrior(α, s₀)</c>): α
/// pseudo-observations of variance s₀ in every direction, spread about the component's own mean. On the precision
/// Λ = Σ⁻¹ of each covariance the log prior is (α/2)·log det Λ − (α·s₀/2)·tr Λ (a Wishart density up to constants,
/// with ν = α + D + 1 degrees of freedom; for a diagonal or spherical covariance, a Gamma(α/2 + 1, α·s₀/2) prior on each
/// precision 1/σ²). The M-step then maximises the posterior: Σ = (S + α·s₀·I) / (N + α) + reg, with S the component's
/// weighted scatter about its mean and N its weight (a tied covariance gets one prior: (Σₖ Sₖ + α·s₀·I) / (N + α)). The
/// means and mixing weights are not affected. The smallest variance the posterior can reach in any direction is
/// α·s₀ / (N + α). A weak prior has α small next to the component sizes.
/// </para>
/// <para>
/// The gradient algorithms minimise −(1/W)·(log-likelihood + log prior), whose stationary points are exactly the fixed
/// points of the M-step. Reported lower bounds (<c>FitReport.LowerBound</c>) stay the mean log-likelihood alone;
/// <c>FitReport.ObjectiveHistory</c> adds log prior / W and never decreases under EM (with reg_covar = 0).
/// </para>
/// </remarks>
public sealed record CovariancePrior
{
    private readonly double _pseudoObservations;
    private readonly double _variance;

    // The Normal-inverse-Wishart form (null / 0 for the isotropic one).
    private readonly double[]? _mean;
    private readonly double[]? _scale;
    private readonly double _shrinkage;
    private readonly double _degreesOfFreedom = double.NaN;

    /// <summary>Creates the isotropic prior: α pseudo-observations of variance s₀ in every direction.</summary>
    /// <param name="pseudoObservations">α, finite and positive: the prior's weight in observations.</param>
    /// <param name="variance">s₀, finite and positive: the variance the prior pulls every direction towards, in the data's squared units.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is not finite and positive.</exception>
    public CovariancePrior(double pseudoObservations, double variance)
    {
        // Checked under the constructor's parameter names; the init accessors check the same under the property names.
        _pseudoObservations = Positive(pseudoObservations, nameof(pseudoObservations), "Use a finite, positive number of pseudo-observations such as 1 (a weak prior).");
        _variance = Positive(variance, nameof(variance), "Use a finite, positive variance, or CovariancePrior.FromData for mclust's default prior.");
    }

    private CovariancePrior(double shrinkage, double[] mean, double degreesOfFreedom, double[] scale)
    {
        _shrinkage = shrinkage;
        _mean = mean;
        _degreesOfFreedom = degreesOfFreedom;
        _scale = scale;
        _pseudoObservations = double.NaN;
        _variance = double.NaN;
    }

    /// <summary>Which form the prior has: isotropic (α, s₀) or mclust's Normal-inverse-Wishart.</summary>
    public CovariancePriorForm Form => _scale is null ? CovariancePriorForm.Isotropic : CovariancePriorForm.NormalInverseWishart;

    /// <summary>
    /// The dimension D the prior is for: the length of its mean and the order of its scale for the Normal-inverse-Wishart
    /// form; 0 for the isotropic form, which serves any dimension.
    /// </summary>
    public int Dimension => _mean?.Length ?? 0;

    /// <summary>α·s₀, the scatter the isotropic prior adds to every diagonal entry; finite (checked when the prior is used).</summary>
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

    /// <summary>
    /// α of the isotropic form: how many observations of variance <see cref="Variance"/> the prior is worth (finite,
    /// positive); NaN for the Normal-inverse-Wishart form.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite and positive.</exception>
    /// <exception cref="InvalidOperationException">Set on a Normal-inverse-Wishart prior (its parameters are κ, μ_P, ν and Λ).</exception>
    public double PseudoObservations
    {
        get => _pseudoObservations;
        init
        {
            RequireIsotropic(nameof(PseudoObservations));
            _pseudoObservations = Positive(value, nameof(PseudoObservations), "Use a finite, positive number of pseudo-observations such as 1 (a weak prior).");
        }
    }

    /// <summary>
    /// s₀ of the isotropic form: the variance the prior pulls every direction towards, in the data's squared units
    /// (finite, positive); NaN for the Normal-inverse-Wishart form.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite and positive.</exception>
    /// <exception cref="InvalidOperationException">Set on a Normal-inverse-Wishart prior (its parameters are κ, μ_P, ν and Λ).</exception>
    public double Variance
    {
        get => _variance;
        init
        {
            RequireIsotropic(nameof(Variance));
            _variance = Positive(value, nameof(Variance), "Use a finite, positive variance, or CovariancePrior.FromData for mclust's default prior.");
        }
    }

    /// <summary>κ of the Normal-inverse-Wishart form: the mean prior's weight in observations (≥ 0; 0 = no prior on the means). 0 for the isotropic form.</summary>
    public double Shrinkage => _shrinkage;

    /// <summary>ν of the Normal-inverse-Wishart form (mclust's <c>dof</c>); NaN for the isotropic form.</summary>
    public double DegreesOfFreedom => _degreesOfFreedom;

    /// <summary>μ_P of the Normal-inverse-Wishart form (a copy, D values), or null for the isotropic form.</summary>
    /// <returns>The prior mean, or null.</returns>
    public double[]? GetMean() => _mean is null ? null : (double[])_mean.Clone();

    /// <summary>Λ of the Normal-inverse-Wishart form (a copy, D × D), or null for the isotropic form.</summary>
    /// <returns>The scale matrix, or null.</returns>
    public Matrix<double>? GetScale()
    {
        if (_scale is null)
        {
            return null;
        }

        int d = _mean!.Length;
        return Matrix<double>.Build.Dense(d, d, (i, j) => _scale[(i * d) + j]);
    }

    /// <summary>
    /// mclust's default conjugate prior for the data (<c>priorControl()</c>, its function <c>defaultPrior</c>): a
    /// Normal-inverse-Wishart prior with shrinkage κ (default 0.01), mean μ_P = the column means, ν = D + 2 degrees of
    /// freedom and scale Λ = cov(x) / K^(2/D), cov the sample covariance with divisor n − 1 (R's <c>var</c>). When n ≤ D,
    /// or when entries are missing, Λ is the diagonal of the column variances / K^(2/D) (mclust's n ≤ D rule; each
    /// column's mean and variance over its observed entries). Full and tied covariances use Λ; diagonal and spherical
    /// ones use the scalar tr(Λ)/D = the mean column variance / K^(2/D), as mclust's diagonal and spherical models do.
    /// For one column this is mclust's univariate prior (ν = 3, scale var(x)/K²).
    /// </summary>
    /// <param name="data">The training data (rows × D, at least 2 rows); missing entries (NaN) are skipped.</param>
    /// <param name="componentCount">K, at least 1: the prior depends on it, as mclust's does (one prior per K).</param>
    /// <param name="shrinkage">κ, finite and non-negative; default 0.01 (mclust's); 0 removes the prior on the means.</param>
    /// <returns>The prior, for a Gaussian family of dimension D.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="componentCount"/> is below 1 or <paramref name="shrinkage"/> is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The data holds ±∞, a row with every entry missing, fewer than 2 observed entries in a column, a variance that overflows, or a constant column.</exception>
    public static CovariancePrior FromData(DataMatrix data, int componentCount, double shrinkage = 0.01)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentChecks.AtLeast(componentCount, 1, nameof(componentCount), "Use the number of components the mixture will have (at least 1).");
        ArgumentChecks.NonNegative(shrinkage, nameof(shrinkage), "Use a finite, non-negative shrinkage such as 0.01 (mclust's default), or 0 for no prior on the means.");
        data.EnsureObservedOrMissing(nameof(data), everyColumnObserved: false);
        int d = data.Columns, n = data.Rows;
        var mean = new double[d];
        var count = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (int j = 0; j < d; j++)
            {
                if (!double.IsNaN(row[j]))
                {
                    mean[j] += row[j];
                    count[j]++;
                }
            }
        }

        for (int j = 0; j < d; j++)
        {
            if (count[j] < 2)
            {
                ThrowHelper.ThrowArgument(nameof(data), string.Create(CultureInfo.InvariantCulture, $"data column {j} has {count[j]} observed entries; a prior from data needs at least 2 per column. Give more rows, or choose the prior yourself with CovariancePrior.NormalInverseWishart or new CovariancePrior(α, s₀)."));
            }

            mean[j] /= count[j];
        }

        bool full = n > d && !data.HasMissing;
        var scale = new double[d * d];
        for (int i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (int a = 0; a < d; a++)
            {
                double da = row[a] - mean[a];
                if (double.IsNaN(da))
                {
                    continue;
                }

                if (full)
                {
                    for (int b = a; b < d; b++)
                    {
                        scale[(a * d) + b] += da * (row[b] - mean[b]);
                    }
                }
                else
                {
                    scale[(a * d) + a] += da * da;
                }
            }
        }

        double factor = Math.Pow(1.0 / componentCount, 2.0 / d);
        for (int a = 0; a < d; a++)
        {
            for (int b = a; b < d; b++)
            {
                double v = factor * scale[(a * d) + b] / ((full ? n : count[a]) - 1);
                scale[(a * d) + b] = v;
                scale[(b * d) + a] = v;
            }

            double variance = scale[(a * d) + a];
            if (!double.IsFinite(variance))
            {
                ThrowHelper.ThrowArgument(nameof(data), string.Create(CultureInfo.InvariantCulture, $"data column {a} has a variance that overflows. Scale the data (for example to unit variance) before deriving a prior."));
            }

            if (!(variance > 0))
            {
                ThrowHelper.ThrowArgument(nameof(data), string.Create(CultureInfo.InvariantCulture, $"data column {a} does not vary (variance {variance}), so it gives no scale for a prior. Remove the constant column, or choose the scale yourself with CovariancePrior.NormalInverseWishart or new CovariancePrior(α, s₀)."));
            }
        }

        if (!Cholesky.TryFactor(scale, d, new double[d * d]))
        {
            ThrowHelper.ThrowArgument(nameof(data), "data has linearly dependent columns: their covariance is singular, so it cannot scale an inverse-Wishart prior. Remove the dependent columns, or choose the scale yourself with CovariancePrior.NormalInverseWishart.");
        }

        return new CovariancePrior(shrinkage, mean, d + 2, scale);
    }

    /// <summary>
    /// A Normal-inverse-Wishart prior with the given hyper-parameters (mclust's <c>priorControl(shrinkage=, mean=, dof=,
    /// scale=)</c>): μ_k | Σ_k ~ N(μ_P, Σ_k/κ), Σ_k ~ inverse-Wishart(ν, Λ). See the remarks of <see cref="CovariancePrior"/>
    /// for the M-step each covariance type gets.
    /// </summary>
    /// <param name="shrinkage">κ, finite and non-negative (0: no prior on the means).</param>
    /// <param name="mean">μ_P, D finite values.</param>
    /// <param name="degreesOfFreedom">ν, finite and greater than D − 1 (mclust's default is D + 2).</param>
    /// <param name="scale">Λ, D × D, symmetric positive definite.</param>
    /// <returns>The prior, for a Gaussian family of dimension D.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mean"/> or <paramref name="scale"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shrinkage"/> or <paramref name="degreesOfFreedom"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="mean"/> is empty or not finite, or <paramref name="scale"/> is not D × D, symmetric and positive definite.</exception>
    public static CovariancePrior NormalInverseWishart(double shrinkage, IReadOnlyList<double> mean, double degreesOfFreedom, Matrix<double> scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        ArgumentChecks.NonNegative(shrinkage, nameof(shrinkage), "Use a finite, non-negative shrinkage such as 0.01 (mclust's default), or 0 for no prior on the means.");
        int d = mean.Count;
        if (d == 0)
        {
            ThrowHelper.ThrowArgument(nameof(mean), "mean is empty. Give one prior mean per column (for example the column means).");
        }

        var m = new double[d];
        for (int j = 0; j < d; j++)
        {
            m[j] = mean[j];
            if (!double.IsFinite(m[j]))
            {
                ThrowHelper.ThrowArgument(nameof(mean), string.Create(CultureInfo.InvariantCulture, $"mean[{j}] = {m[j]} is not finite. Give finite prior means (for example the column means)."));
            }
        }

        if (!(degreesOfFreedom > d - 1) || !double.IsFinite(degreesOfFreedom))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(degreesOfFreedom), degreesOfFreedom, string.Create(CultureInfo.InvariantCulture, $"Use finite degrees of freedom above D − 1 = {d - 1}, for example D + 2 = {d + 2} (mclust's default)."));
        }

        if (scale.RowCount != d || scale.ColumnCount != d)
        {
            ThrowHelper.ThrowArgument(nameof(scale), string.Create(CultureInfo.InvariantCulture, $"scale is {scale.RowCount} × {scale.ColumnCount} but mean has {d} values. Give a {d} × {d} scale matrix."));
        }

        var s = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double v = scale[i, j];
                if (!double.IsFinite(v) || v != scale[j, i])
                {
                    ThrowHelper.ThrowArgument(nameof(scale), string.Create(CultureInfo.InvariantCulture, $"scale[{i}, {j}] = {v} is not finite or not equal to scale[{j}, {i}]. Give a finite, symmetric positive definite scale matrix."));
                }

                s[(i * d) + j] = v;
            }
        }

        if (!Cholesky.TryFactor(s, d, new double[d * d]))
        {
            ThrowHelper.ThrowArgument(nameof(scale), "scale is not positive definite. Give a symmetric positive definite scale matrix, for example the data's covariance / K^(2/D).");
        }

        return new CovariancePrior(shrinkage, m, degreesOfFreedom, s);
    }

    /// <inheritdoc />
    public bool Equals(CovariancePrior? other) =>
        other is not null
        && _pseudoObservations.Equals(other._pseudoObservations)
        && _variance.Equals(other._variance)
        && _shrinkage.Equals(other._shrinkage)
        && _degreesOfFreedom.Equals(other._degreesOfFreedom)
        && SameValues(_mean, other._mean)
        && SameValues(_scale, other._scale);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_pseudoObservations, _variance, _shrinkage, _degreesOfFreedom, _mean?.Length ?? -1, _mean is { Length: > 0 } ? _mean[0] : 0);

    /// <summary>Whether this is the Normal-inverse-Wishart form.</summary>
    internal bool IsConjugate => _scale is not null;

    /// <summary>Throws when the Normal-inverse-Wishart form is used for a family of another dimension.</summary>
    internal void EnsureDimension(int dimension, string parameterName)
    {
        if (_mean is not null && _mean.Length != dimension)
        {
            ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"the prior is for {_mean.Length} columns but the Gaussian family has dimension {dimension}. Derive the prior from the same columns (CovariancePrior.FromData on the block's data)."));
        }
    }

    /// <summary>The M-step's denominator N + α for a component (or column) of weight N (isotropic form).</summary>
    internal double Denominator(double weight) => weight + _pseudoObservations;

    /// <summary>
    /// The M-step's variance for a scatter of total weight N that stands for <paramref name="multiplicity"/>
    /// directions: S / N + reg without a prior, (S + m·α·s₀) / (N + m·α) + reg with an isotropic one.
    /// </summary>
    internal static double PosteriorVariance(CovariancePrior? prior, double scatter, double weight, double regularization, int multiplicity = 1) =>
        prior is null
            ? (scatter / weight) + regularization
            : ((scatter + (multiplicity * prior.AddedScatter)) / (weight + (multiplicity * prior._pseudoObservations))) + regularization;

    // ---- The Normal-inverse-Wishart form: M-step pieces and log prior ----

    /// <summary>κ·N/(N + κ): the weight of the mean prior's scatter term for a component (or column) of weight N.</summary>
    internal double MeanScatterWeight(double weight) => _shrinkage > 0 ? _shrinkage * weight / (weight + _shrinkage) : 0;

    /// <summary>Moves a weighted mean x̄ (weight N) to the posterior mean (N·x̄ + κ·μ_P)/(N + κ), in place; returns the old value's offset x̄ − μ_P per column into <paramref name="offset"/>.</summary>
    internal void ShrinkMean(Span<double> mean, ReadOnlySpan<double> weightPerColumn, Span<double> offset)
    {
        var prior = _mean!;
        for (int j = 0; j < mean.Length; j++)
        {
            offset[j] = mean[j] - prior[j];
            if (_shrinkage > 0)
            {
                double w = weightPerColumn[j];
                mean[j] = ((w * mean[j]) + (_shrinkage * prior[j])) / (w + _shrinkage);
            }
        }
    }

    /// <summary>Adds Λ (D × D, row-major) to <paramref name="scatter"/>.</summary>
    internal void AddScale(Span<double> scatter)
    {
        for (int i = 0; i < _scale!.Length; i++)
        {
            scatter[i] += _scale[i];
        }
    }

    /// <summary>s = tr(Λ)/D, the scalar scale of the diagonal and spherical models (mclust's).</summary>
    internal double ScalarScale
    {
        get
        {
            int d = _mean!.Length;
            double trace = 0;
            for (int i = 0; i < d; i++)
            {
                trace += _scale![(i * d) + i];
            }

            return trace / d;
        }
    }

    /// <summary>The offset a of the full-covariance denominator N_k + a: ν + D + 1, plus 1 with a mean prior.</summary>
    internal double FullOffset => _degreesOfFreedom + _mean!.Length + 1 + (_shrinkage > 0 ? 1 : 0);

    /// <summary>The offset a of the tied denominator N + a: ν + D + 1, plus K with a mean prior.</summary>
    internal double TiedOffset(int componentCount) => _degreesOfFreedom + _mean!.Length + 1 + (_shrinkage > 0 ? componentCount : 0);

    /// <summary>The offset a of the diagonal denominator N_k + a per column: ν + 2, plus 1 with a mean prior.</summary>
    internal double DiagonalOffset => _degreesOfFreedom + 2 + (_shrinkage > 0 ? 1 : 0);

    /// <summary>The offset a of the spherical denominator D·N_k + a: ν + 2, plus D with a mean prior.</summary>
    internal double SphericalOffset => _degreesOfFreedom + 2 + (_shrinkage > 0 ? _mean!.Length : 0);

    /// <summary>
    /// Normal-inverse-Wishart log prior of covariance(s) with precision Cholesky factor P (upper, D × D, Λ_prec = PPᵀ)
    /// and the given means (one for full, K for tied), up to a constant: a·Σ log Pᵢᵢ − ½·tr(Λ PPᵀ) − (κ/2)·Σ_k ‖Pᵀ(μ_k − μ_P)‖².
    /// Adds <paramref name="scale"/> × its gradient: to <paramref name="packedGradient"/> in the packed coordinates of
    /// <see cref="GaussianReparameterization.PackPrecisionCholesky"/> and to each mean's slot of <paramref name="meanGradients"/>
    /// (mean k at k·D).
    /// </summary>
    internal double AddConjugatePrecisionLogPrior(ReadOnlySpan<double> p, int d, double offset, ReadOnlySpan<double> means, int meanCount, double scale, Span<double> meanGradients, Span<double> packedGradient)
    {
        var lambda = _scale!;
        var prior = _mean!;
        double value = 0;
        var lp = new double[d * d];        // Λ·P
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double sum = 0;
                for (int m = 0; m <= j; m++)
                {
                    sum += lambda[(i * d) + m] * p[(m * d) + j];
                }

                lp[(i * d) + j] = sum;
            }
        }

        double trace = 0, logDiagonal = 0;
        for (int i = 0; i < d; i++)
        {
            logDiagonal += Math.Log(p[(i * d) + i]);
            for (int j = i; j < d; j++)
            {
                trace += lp[(i * d) + j] * p[(i * d) + j];
            }
        }

        value += (offset * logDiagonal) - (0.5 * trace);
        var gradientP = new double[d * d];   // ∂/∂P_ij (upper)
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                gradientP[(i * d) + j] = -lp[(i * d) + j];
            }
        }

        if (_shrinkage > 0)
        {
            var e = new double[d];
            var v = new double[d];
            for (int k = 0; k < meanCount; k++)
            {
                for (int j = 0; j < d; j++)
                {
                    e[j] = means[(k * d) + j] - prior[j];
                }

                double squared = 0;
                for (int j = 0; j < d; j++)
                {
                    double sum = 0;
                    for (int i = 0; i <= j; i++)
                    {
                        sum += p[(i * d) + j] * e[i];
                    }

                    v[j] = sum;
                    squared += sum * sum;
                }

                value -= 0.5 * _shrinkage * squared;
                for (int i = 0; i < d; i++)
                {
                    double pv = 0;
                    for (int j = i; j < d; j++)
                    {
                        pv += p[(i * d) + j] * v[j];
                        gradientP[(i * d) + j] -= _shrinkage * e[i] * v[j];
                    }

                    meanGradients[(k * d) + i] += scale * -_shrinkage * pv;
                }
            }
        }

        int index = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double g = gradientP[(i * d) + j];
                packedGradient[index++] += j == i ? scale * (offset + (g * p[(i * d) + i])) : scale * g;
            }
        }

        return value;
    }

    /// <summary>
    /// Normal-inverse-Wishart log prior of one variance σ² shared by the columns [<paramref name="firstColumn"/>,
    /// firstColumn + means.Length) (one column for diagonal and univariate, all D for spherical), up to a constant:
    /// −(a/2)·log σ² − (s + κ·Σ_j (μ_j − μ_P,j)²)/(2σ²). Adds <paramref name="scale"/> × its gradient to
    /// <paramref name="logVarianceGradient"/> and to <paramref name="meanGradient"/>.
    /// </summary>
    internal double AddConjugateVarianceLogPrior(double variance, double offset, ReadOnlySpan<double> means, int firstColumn, double scale, Span<double> meanGradient, ref double logVarianceGradient)
    {
        var prior = _mean!;
        double numerator = ScalarScale;
        for (int j = 0; j < means.Length; j++)
        {
            double e = means[j] - prior[firstColumn + j];
            numerator += _shrinkage * e * e;
            meanGradient[j] += scale * -_shrinkage * e / variance;
        }

        logVarianceGradient += scale * ((-0.5 * offset) + (0.5 * numerator / variance));
        return (-0.5 * offset * Math.Log(variance)) - (0.5 * numerator / variance);
    }

    /// <summary>
    /// For a precision Cholesky factor P (upper, D × D row-major; Λ = PPᵀ): returns the isotropic log prior α·Σ log Pᵢᵢ −
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
    /// univariate normal, D for a spherical covariance): returns the isotropic log prior −(m·α/2)·(log σ² + s₀/σ²) and adds
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

    private static bool SameValues(double[]? a, double[]? b) =>
        a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private void RequireIsotropic(string property)
    {
        if (_scale is not null)
        {
            throw new InvalidOperationException($"{property} belongs to the isotropic form (new CovariancePrior(α, s₀)); this prior is a Normal-inverse-Wishart one. Create a new prior with CovariancePrior.NormalInverseWishart or FromData instead of setting {property}.");
        }
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
