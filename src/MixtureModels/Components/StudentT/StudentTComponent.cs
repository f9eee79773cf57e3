using System.Globalization;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Components.StudentT;

/// <summary>
/// A multivariate Student-t component t(μ, Σ, ν) with a general scale matrix Σ and ν degrees of freedom: the scale
/// mixture x | u ~ N(μ, Σ/u), u ~ Gamma(ν/2, rate ν/2). It caches the precision Cholesky factor P = L⁻ᵀ (Σ = L·Lᵀ) and
/// evaluates, with δ² = ‖(x − μ)ᵀP‖²,
/// log t(x) = log Γ((ν+D)/2) − log Γ(ν/2) − (D/2)·log(νπ) + Σ log Pᵢᵢ − ((ν+D)/2)·log(1 + δ²/ν).
/// Immutable and safe to share across threads. As ν → ∞ it tends to N(μ, Σ). With missing entries (NaN) it gives the
/// marginal of the observed entries, t(μ_O, Σ_OO, ν), and their conditional mean μ_M + Σ_MO Σ_OO⁻¹ (x_O − μ_O).
/// </summary>
public sealed class StudentTComponent : IMissingValueComponent
{
    private readonly double[] _mean;
    private readonly double[] _scale;              // Σ, D×D row-major
    private readonly double[] _scaleCholesky;      // L, lower, Σ = L·Lᵀ
    private readonly double[] _precisionCholesky;  // P = L⁻ᵀ, upper
    private readonly double _logConstant;          // every term of the log-density but the last

    private StudentTComponent(double[] mean, double[] scale, double[] scaleCholesky, double[] precisionCholesky, double degreesOfFreedom)
    {
        int d = mean.Length;
        _mean = mean;
        _scale = scale;
        _scaleCholesky = scaleCholesky;
        _precisionCholesky = precisionCholesky;
        DegreesOfFreedom = degreesOfFreedom;
        double logDet = 0;
        for (int i = 0; i < d; i++)
        {
            logDet += Math.Log(precisionCholesky[(i * d) + i]);
        }

        LogDeterminantPrecisionCholesky = logDet;
        _logConstant = LogGammaRatio(degreesOfFreedom / 2, d) - (0.5 * d * Math.Log(degreesOfFreedom * Math.PI)) + logDet;
    }

    /// <inheritdoc />
    public int Dimension => _mean.Length;

    /// <summary>The location and scale parameters of a general component, D + D(D+1)/2; a fitted mixture counts its parameters by the family (diagonal, spherical or tied scales, and ν fixed, shared or per component).</summary>
    public int ParameterCount => Dimension + (Dimension * (Dimension + 1) / 2);

    /// <summary>The location μ (length D); the mean when ν &gt; 1.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>The degrees of freedom ν, finite and positive.</summary>
    public double DegreesOfFreedom { get; }

    /// <summary>Σ log Pᵢᵢ = −½ log det Σ.</summary>
    public double LogDeterminantPrecisionCholesky { get; }

    /// <summary>
    /// Creates t(μ, Σ, ν).
    /// </summary>
    /// <param name="mean">μ, length D ≥ 1, finite.</param>
    /// <param name="scale">Σ, D × D, symmetric positive definite (the covariance is Σ·ν/(ν − 2) when ν &gt; 2).</param>
    /// <param name="degreesOfFreedom">ν, finite and positive.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scale"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes disagree, a value is not finite, or Σ is not symmetric positive definite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="degreesOfFreedom"/> is not finite and positive.</exception>
    public static StudentTComponent Create(ReadOnlySpan<double> mean, Matrix<double> scale, double degreesOfFreedom)
    {
        ArgumentNullException.ThrowIfNull(scale);
        var m = GaussianValidation.Mean(mean, nameof(mean));
        var s = GaussianValidation.SymmetricMatrix(scale, m.Length, nameof(scale));
        CheckDegreesOfFreedom(degreesOfFreedom, nameof(degreesOfFreedom));
        if (!TryCreate(m, s, degreesOfFreedom, out var result))
        {
            ThrowHelper.ThrowArgument(nameof(scale), "scale is not positive definite. Pass a symmetric positive-definite matrix (add a small value to its diagonal if it is singular).");
        }

        return result;
    }

    /// <summary>Returns a new D × D matrix holding the scale matrix Σ.</summary>
    public Matrix<double> GetScale() => Matrix<double>.Build.Dense(Dimension, Dimension, (i, j) => _scale[(i * Dimension) + j]);

    /// <summary>Returns a new D × D upper-triangular matrix P with P·Pᵀ = Σ⁻¹.</summary>
    public Matrix<double> GetPrecisionCholesky() => Matrix<double>.Build.Dense(Dimension, Dimension, (i, j) => _precisionCholesky[(i * Dimension) + j]);

    /// <summary>
    /// The expected latent weight E[u | x] = (ν + D)/(ν + δ²) of a row under this component: near 1 for typical rows,
    /// small for rows far out in the tails (outliers).
    /// </summary>
    /// <param name="row">A finite row of length D.</param>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have length D, or holds NaN or ±∞.</exception>
    public double ExpectedWeight(ReadOnlySpan<double> row)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.Finite(row, Dimension, nameof(row), missingAllowedElsewhere: false);
        return ExpectedWeightOfDistance(MahalanobisSquared(row));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not destination.Length whole rows of D values, or holds NaN or ±∞.</exception>
    public void LogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        SpanArguments.Finite(rows, Dimension, nameof(rows), missingAllowedElsewhere: false);
        int d = Dimension;
        for (int n = 0; n < destination.Length; n++)
        {
            destination[n] = LogDensityOfDistance(MahalanobisSquared(rows.Slice(n * d, d)));
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have length D, or holds NaN or ±∞.</exception>
    public double LogDensity(ReadOnlySpan<double> row)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.Finite(row, Dimension, nameof(row), missingAllowedElsewhere: false);
        return LogDensityOfDistance(MahalanobisSquared(row));
    }

    /// <inheritdoc />
    /// <remarks>x = μ + L·z / √g with z ~ N(0, I) and g ~ Gamma(ν/2, rate ν/2).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have length D.</exception>
    public void Sample(Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        SpanArguments.Length(destination.Length, Dimension, nameof(destination));
        int d = Dimension;
        Span<double> z = d <= 64 ? stackalloc double[d] : new double[d];
        StandardNormal.Fill(random, z);
        double g = Gamma.Sample(random, DegreesOfFreedom / 2, DegreesOfFreedom / 2);
        double factor = 1 / Math.Sqrt(g);
        for (int i = 0; i < d; i++)
        {
            double s = 0;
            for (int k = 0; k <= i; k++)
            {
                s += _scaleCholesky[(i * d) + k] * z[k];
            }

            destination[i] = _mean[i] + (factor * s);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// A sub-vector of a multivariate t is t with the same ν: with |O| observed entries and δ_O² = (x_O − μ_O)ᵀ Σ_OO⁻¹ (x_O − μ_O),
    /// log t(x_O) = log Γ((ν+|O|)/2) − log Γ(ν/2) − (|O|/2)·log(νπ) − ½ log det Σ_OO − ((ν+|O|)/2)·log(1 + δ_O²/ν).
    /// Complete rows give exactly <see cref="LogDensity(ReadOnlySpan{double}, Span{double})"/>.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not destination.Length whole rows of D values, holds ±∞, or a row has every entry missing.</exception>
    public void MarginalLogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        SpanArguments.ObservedOrMissing(rows, Dimension, nameof(rows));
        int d = Dimension;
        StudentTPattern? last = null;
        Span<double> centred = d <= 64 ? stackalloc double[d] : new double[d];
        for (int n = 0; n < destination.Length; n++)
        {
            var row = rows.Slice(n * d, d);
            if (!SpanArguments.HasNaN(row))
            {
                destination[n] = LogDensityOfDistance(MahalanobisSquared(row));
                continue;
            }

            last = StudentTPattern.For(row, _scale, last);
            double distance = last.Distance(row, _mean, centred);
            destination[n] = ObservedLogDensity(last.Observed.Length, last.LogDeterminantLower, distance);
        }
    }

    /// <inheritdoc />
    /// <remarks>E[x_M | x_O] = μ_M + Σ_MO Σ_OO⁻¹ (x_O − μ_O), the location of the conditional t (its mean when ν + |O| &gt; 1).</remarks>
    /// <exception cref="ArgumentException"><paramref name="row"/> or <paramref name="destination"/> does not have length D, the row holds ±∞, or every entry is missing.</exception>
    public void ConditionalMean(ReadOnlySpan<double> row, Span<double> destination)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.Length(destination.Length, Dimension, nameof(destination));
        SpanArguments.ObservedOrMissing(row, Dimension, nameof(row));
        if (!SpanArguments.HasNaN(row))
        {
            row.CopyTo(destination);
            return;
        }

        var pattern = StudentTPattern.For(row, _scale, null);
        Span<double> centred = pattern.Observed.Length <= 64 ? stackalloc double[pattern.Observed.Length] : new double[pattern.Observed.Length];
        pattern.Distance(row, _mean, centred);
        pattern.Complete(row, _mean, centred, destination);
    }

    /// <summary>The expected latent weight (ν + |O|)/(ν + δ_O²) of a row that may hold NaN (no checks; at least one observed entry).</summary>
    internal double ExpectedWeightOfObserved(ReadOnlySpan<double> row, ref StudentTPattern? last)
    {
        if (!SpanArguments.HasNaN(row))
        {
            return ExpectedWeightOfDistance(MahalanobisSquared(row));
        }

        last = StudentTPattern.For(row, _scale, last);
        Span<double> centred = row.Length <= 64 ? stackalloc double[row.Length] : new double[row.Length];
        double distance = last.Distance(row, _mean, centred);
        return (DegreesOfFreedom + last.Observed.Length) / (DegreesOfFreedom + distance);
    }

    /// <summary>log t of |O| observed entries given Σ log Lᵢᵢ of Σ_OO and δ_O².</summary>
    internal double ObservedLogDensity(int observed, double logDeterminantLower, double mahalanobisSquared) =>
        LogGammaRatio(DegreesOfFreedom / 2, observed) - (0.5 * observed * Math.Log(DegreesOfFreedom * Math.PI)) - logDeterminantLower
        - (0.5 * (DegreesOfFreedom + observed) * LogOnePlus(mahalanobisSquared / DegreesOfFreedom));

    /// <summary>Σ, D × D row-major. Never write to it.</summary>
    internal ReadOnlySpan<double> ScaleSpan => _scale;

    /// <summary>P = L⁻ᵀ (upper), D × D row-major. Never write to it.</summary>
    internal ReadOnlySpan<double> PrecisionCholeskySpan => _precisionCholesky;

    /// <summary>The same scale centred on <paramref name="mean"/> (owned by the result afterwards) with ν = <paramref name="degreesOfFreedom"/>; the scale arrays are shared (never written).</summary>
    internal StudentTComponent With(double[] mean, double degreesOfFreedom) =>
        new(mean, _scale, _scaleCholesky, _precisionCholesky, degreesOfFreedom);

    /// <summary>
    /// Builds t(μ, (P·Pᵀ)⁻¹, ν) from an upper-triangular precision Cholesky factor (both arrays owned by the result; the
    /// strict lower part of P is zeroed); false when P has a non-positive diagonal or Σ is not finite.
    /// </summary>
    internal static bool TryFromPrecisionCholesky(double[] mean, double[] precisionCholesky, double degreesOfFreedom, out StudentTComponent result)
    {
        result = null!;
        int d = mean.Length;
        for (int i = 0; i < d; i++)
        {
            double pii = precisionCholesky[(i * d) + i];
            if (!(pii > 0) || !double.IsFinite(pii))
            {
                return false;
            }

            for (int j = 0; j < i; j++)
            {
                precisionCholesky[(i * d) + j] = 0;
            }
        }

        // Pᵀ is lower triangular; InverseTranspose(Pᵀ) = P⁻¹ (upper); L = (P⁻¹)ᵀ; Σ = L·Lᵀ.
        var transposed = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                transposed[(j * d) + i] = precisionCholesky[(i * d) + j];
            }
        }

        var inverse = new double[d * d];
        Cholesky.InverseTranspose(transposed, d, inverse);
        var lower = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                lower[(j * d) + i] = inverse[(i * d) + j];
            }
        }

        var scale = new double[d * d];
        Cholesky.MultiplyByTranspose(lower, d, scale);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++)
            {
                scale[(j * d) + i] = scale[(i * d) + j];
            }

            if (!(scale[(i * d) + i] > 0))
            {
                return false;
            }
        }

        foreach (double v in scale)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        foreach (double v in lower)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        result = new StudentTComponent(mean, scale, lower, precisionCholesky, degreesOfFreedom);
        return true;
    }

    /// <summary>δ² = ‖(x − μ)ᵀP‖² for a row of length D (no checks).</summary>
    internal double MahalanobisSquared(ReadOnlySpan<double> row)
    {
        int d = _mean.Length;
        double quad = 0;
        for (int j = 0; j < d; j++)
        {
            double y = 0;
            for (int i = 0; i <= j; i++)
            {
                y += (row[i] - _mean[i]) * _precisionCholesky[(i * d) + j];
            }

            quad += y * y;
        }

        return quad;
    }

    /// <summary>log t(x) given δ².</summary>
    internal double LogDensityOfDistance(double mahalanobisSquared) =>
        _logConstant - (0.5 * (DegreesOfFreedom + Dimension) * LogOnePlus(mahalanobisSquared / DegreesOfFreedom));

    /// <summary>log(1 + x) for x ≥ 0, accurate also when x is tiny (large ν).</summary>
    internal static double LogOnePlus(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>
    /// log Γ(a + D/2) − log Γ(a), accurate also for large a (large ν), where the difference of two log Γ values of
    /// about a·log a would lose every digit: a sum of logarithms for the integer part of D/2, and for the half,
    /// log Γ(a + ½) − log Γ(a) = ½ log a − 1/(8a) + 1/(192a³) + O(a⁻⁵) when a ≥ 10⁴.
    /// </summary>
    internal static double LogGammaRatio(double a, int d)
    {
        double result = 0;
        double b = a;
        if (d % 2 == 1)
        {
            result = a >= 1e4
                ? (0.5 * Math.Log(a)) - (1 / (8 * a)) + (1 / (192 * a * a * a))
                : SpecialFunctions.GammaLn(a + 0.5) - SpecialFunctions.GammaLn(a);
            b = a + 0.5;
        }

        for (int i = 0; i < d / 2; i++)
        {
            result += Math.Log(b + i);
        }

        return result;
    }

    /// <summary>u = (ν + D)/(ν + δ²).</summary>
    internal double ExpectedWeightOfDistance(double mahalanobisSquared) =>
        (DegreesOfFreedom + Dimension) / (DegreesOfFreedom + mahalanobisSquared);

    /// <summary>The mean as the array the component owns. Never write to it.</summary>
    internal double[] MeanArray => _mean;

    /// <summary>Builds the component from μ and Σ (both owned by the result afterwards); false if Σ is not positive definite.</summary>
    internal static bool TryCreate(double[] mean, double[] scale, double degreesOfFreedom, out StudentTComponent result)
    {
        int d = mean.Length;
        var lower = new double[d * d];
        if (!Cholesky.TryFactor(scale, d, lower))
        {
            result = null!;
            return false;
        }

        var precisionCholesky = new double[d * d];
        Cholesky.InverseTranspose(lower, d, precisionCholesky);
        for (int i = 0; i < d; i++)
        {
            if (!(precisionCholesky[(i * d) + i] > 0) || !double.IsFinite(precisionCholesky[(i * d) + i]))
            {
                result = null!;
                return false;
            }
        }

        result = new StudentTComponent(mean, scale, lower, precisionCholesky, degreesOfFreedom);
        return true;
    }

    /// <summary>Throws unless ν is finite and positive.</summary>
    internal static void CheckDegreesOfFreedom(double value, string parameterName)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            ThrowHelper.ThrowArgumentOutOfRange(parameterName, value.ToString(CultureInfo.InvariantCulture), "Use finite, positive degrees of freedom (for example 10; large values approach a Gaussian).");
        }
    }

    /// <summary>The degrees of freedom and the location, for example "StudentT(D = 2, ν = 4.5, μ = [0, 1])" (at most six entries of μ).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"StudentT(D = {Dimension}, ν = {DegreesOfFreedom.ToString("G6", CultureInfo.InvariantCulture)}, μ = {DisplayText.Vector(Mean)})");
}
