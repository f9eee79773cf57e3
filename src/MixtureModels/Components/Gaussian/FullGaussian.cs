using System.Collections.Concurrent;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// A Gaussian with a general covariance matrix Σ. It caches the precision Cholesky factor P = L⁻ᵀ (Σ = L·Lᵀ) and
/// evaluates log N(x) = −½(D·log 2π + ‖(x − μ)ᵀP‖²) + Σ log Pᵢᵢ.
/// </summary>
public sealed class FullGaussian : GaussianComponent
{
    private readonly double[] _covariance;          // D×D row-major
    private readonly double[] _precisionCholesky;   // P = L⁻ᵀ, upper
    private readonly double _logDetPrecisionCholesky;
    private readonly ConditioningCache _conditionings; // shared by every component with this covariance (tied)
    private readonly DerivedFactors _derived;          // L and a padded P, built on first use; shared like _conditionings

    private FullGaussian(double[] mean, double[] covariance, double[]? covarianceCholesky, double[] precisionCholesky, ConditioningCache? conditionings = null, DerivedFactors? derived = null)
        : base(mean)
    {
        int d = mean.Length;
        _conditionings = conditionings ?? new ConditioningCache();
        _covariance = covariance;
        _precisionCholesky = precisionCholesky;
        _derived = derived ?? new DerivedFactors(covarianceCholesky);

        double logDet = 0;
        for (int i = 0; i < d; i++)
        {
            logDet += Math.Log(precisionCholesky[(i * d) + i]);
        }

        _logDetPrecisionCholesky = logDet;
    }

    /// <inheritdoc />
    public override int ParameterCount => Dimension + (Dimension * (Dimension + 1) / 2);

    /// <summary>Σ log Pᵢᵢ = −½ log det Σ.</summary>
    public double LogDeterminantPrecisionCholesky => _logDetPrecisionCholesky;

    /// <summary>Creates N(μ, Σ) from a mean and a symmetric positive-definite covariance matrix.</summary>
    /// <param name="mean">μ, length D.</param>
    /// <param name="covariance">Σ, D × D, symmetric positive definite.</param>
    /// <exception cref="ArgumentException">The shapes disagree, a value is not finite, or Σ is not symmetric positive definite.</exception>
    public static FullGaussian WithMeanCovariance(ReadOnlySpan<double> mean, Matrix<double> covariance)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        var m = GaussianValidation.Mean(mean, nameof(mean));
        var c = GaussianValidation.SymmetricMatrix(covariance, m.Length, nameof(covariance));
        if (!TryCreate(m, c, out var result))
        {
            ThrowHelper.ThrowArgument(nameof(covariance), "covariance is not positive definite. Pass a symmetric positive-definite matrix (add a small value to its diagonal if it is singular).");
        }

        return result;
    }

    /// <summary>Creates N(μ, Λ⁻¹) from a mean and a symmetric positive-definite precision matrix Λ.</summary>
    /// <param name="mean">μ, length D.</param>
    /// <param name="precision">Λ = Σ⁻¹, D × D, symmetric positive definite.</param>
    /// <exception cref="ArgumentException">The shapes disagree, a value is not finite, or Λ is not symmetric positive definite.</exception>
    public static FullGaussian WithMeanPrecision(ReadOnlySpan<double> mean, Matrix<double> precision)
    {
        ArgumentNullException.ThrowIfNull(precision);
        var m = GaussianValidation.Mean(mean, nameof(mean));
        var covariance = GaussianValidation.InvertSymmetricPositiveDefinite(precision, m.Length, nameof(precision));
        if (!TryCreate(m, covariance, out var result))
        {
            ThrowHelper.ThrowArgument(nameof(precision), "precision is too ill-conditioned to invert. Pass a better-conditioned symmetric positive-definite matrix.");
        }

        return result;
    }

    /// <inheritdoc />
    public override Matrix<double> GetCovariance() => Matrix<double>.Build.Dense(Dimension, Dimension, (i, j) => _covariance[(i * Dimension) + j]);

    /// <inheritdoc />
    public override Matrix<double> GetPrecisionCholesky() => Matrix<double>.Build.Dense(Dimension, Dimension, (i, j) => _precisionCholesky[(i * Dimension) + j]);

    /// <inheritdoc />
    internal override void LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        int d = Dimension, count = destination.Length;
        int dp = FullCovarianceKernel.PaddedDimension(d);
        FullCovarianceKernel.QuadraticForms(rows, count, MeanArray, dp, _derived.PaddedPrecisionCholesky(_precisionCholesky, d), destination);
        double constant = (-0.5 * d * LogTwoPi) + _logDetPrecisionCholesky;
        for (int n = 0; n < count; n++)
        {
            destination[n] = constant - (0.5 * destination[n]);
        }
    }

    /// <inheritdoc />
    internal override double LogDensityUnchecked(ReadOnlySpan<double> row)
    {
        int d = Dimension;
        double quad = 0;
        for (int j = 0; j < d; j++)
        {
            double y = 0;
            for (int i = 0; i <= j; i++)
            {
                y += (row[i] - MeanArray[i]) * _precisionCholesky[(i * d) + j];
            }

            quad += y * y;
        }

        return (-0.5 * ((d * LogTwoPi) + quad)) + _logDetPrecisionCholesky;
    }

    /// <inheritdoc />
    internal override void SampleUnchecked(Random random, Span<double> destination)
    {
        int d = Dimension;
        Span<double> z = d <= 64 ? stackalloc double[d] : new double[d];
        StandardNormal.Fill(random, z);
        var lower = _derived.CovarianceCholesky(_covariance, d);
        for (int i = 0; i < d; i++)
        {
            double s = MeanArray[i];
            for (int k = 0; k <= i; k++)
            {
                s += lower[(i * d) + k] * z[k];
            }

            destination[i] = s;
        }
    }

    /// <summary>Builds the component from μ and Σ (both owned by the result afterwards); false if Σ is not positive definite.</summary>
    /// <remarks>Only Σ and P are kept: L is factored again on the first <see cref="GaussianComponent.Sample"/> (the same computation, so the same bits), which keeps an M-step's allocation at two D × D arrays per component.</remarks>
    internal static bool TryCreate(double[] mean, double[] covariance, out FullGaussian result)
    {
        int d = mean.Length;
        double[] lower = System.Buffers.ArrayPool<double>.Shared.Rent(d * d);
        try
        {
            if (!Cholesky.TryFactor(covariance, d, lower.AsSpan(0, d * d)))
            {
                result = null!;
                return false;
            }

            var precisionCholesky = new double[d * d];
            Cholesky.InverseTranspose(lower.AsSpan(0, d * d), d, precisionCholesky);
            result = new FullGaussian(mean, covariance, null, precisionCholesky);
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(lower);
        }
    }

    /// <summary>Σ (D × D row-major), the array the component owns. Never write to it.</summary>
    internal ReadOnlySpan<double> CovarianceSpan => _covariance;

    /// <summary>P (upper triangular, D × D row-major, P·Pᵀ = Σ⁻¹), the array the component owns. Never write to it.</summary>
    internal ReadOnlySpan<double> PrecisionCholeskySpan => _precisionCholesky;

    /// <summary>
    /// Builds the component from μ and an upper-triangular precision Cholesky factor P (both owned by the result
    /// afterwards; the strict lower triangle of P is zeroed): Σ = (P·Pᵀ)⁻¹ = L·Lᵀ with L = P⁻ᵀ. False when a diagonal
    /// entry of P is not finite and positive, or L or Σ is not finite (P too close to singular or too large).
    /// </summary>
    internal static bool TryFromPrecisionCholesky(double[] mean, double[] precisionCholesky, out FullGaussian result)
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

        // Pᵀ is lower triangular; InverseTranspose(Pᵀ) = P⁻¹ (upper); L = (P⁻¹)ᵀ.
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

        foreach (double v in lower)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        var covariance = new double[d * d];
        Cholesky.MultiplyByTranspose(lower, d, covariance);
        for (int i = 0; i < d; i++)
        {
            if (!(covariance[(i * d) + i] > 0))
            {
                return false;
            }
        }

        foreach (double v in covariance)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        result = new FullGaussian(mean, covariance, lower, precisionCholesky);
        return true;
    }

    /// <summary>A component with its own mean that shares the covariance factors of <paramref name="shared"/> (tied covariance).</summary>
    internal static FullGaussian WithSharedCovariance(double[] mean, FullGaussian shared) =>
        new(mean, shared._covariance, null, shared._precisionCholesky, shared._conditionings, shared._derived);

    /// <inheritdoc />
    internal override GaussianComponent WithMean(double[] mean) => WithSharedCovariance(mean, this);

    /// <inheritdoc />
    /// <remarks>
    /// For a row with observed set O this is log N(x_O | μ_O, Σ_OO), from a Cholesky factor of the sub-matrix Σ_OO
    /// (cached per missingness pattern and shared by the components of a tied covariance); rows without NaN use
    /// <see cref="GaussianComponent.LogDensity(ReadOnlySpan{double})"/>.
    /// </remarks>
    internal override void MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        int d = Dimension;
        Conditioning? last = null;
        for (int n = 0; n < destination.Length; n++)
        {
            var row = rows.Slice(n * d, d);
            if (!HasMissing(row))
            {
                destination[n] = LogDensityUnchecked(row);
                continue;
            }

            last = GetConditioning(row, last);
            destination[n] = ObservedLogDensity(row, last);
        }
    }

    /// <inheritdoc />
    /// <remarks>x̂_M = μ_M + Σ_MO Σ_OO⁻¹ (x_O − μ_O); observed entries are copied.</remarks>
    internal override void ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination)
    {
        int d = Dimension;
        row = row[..d];
        if (!HasMissing(row))
        {
            row.CopyTo(destination);
            return;
        }

        CompleteRow(row, GetConditioning(row, null), destination);
    }

    /// <summary>Whether the row holds a NaN.</summary>
    internal static bool HasMissing(ReadOnlySpan<double> row)
    {
        foreach (double v in row)
        {
            if (double.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The factorisation for the missingness pattern of <paramref name="row"/> (which must hold a NaN and an observed
    /// entry): <paramref name="last"/> when it has the same pattern, else a cached or new one.
    /// </summary>
    internal Conditioning GetConditioning(ReadOnlySpan<double> row, Conditioning? last)
    {
        if (last is not null && last.Matches(row))
        {
            return last;
        }

        int d = Dimension;
        if (d > 64)
        {
            return Conditioning.Create(_covariance, row);
        }

        ulong mask = 0;
        for (int j = 0; j < d; j++)
        {
            if (double.IsNaN(row[j]))
            {
                mask |= 1UL << j;
            }
        }

        var cache = _conditionings.Get();
        if (cache.TryGetValue(mask, out var cached))
        {
            return cached;
        }

        var created = Conditioning.Create(_covariance, row);
        if (cache.Count < Math.Max(16, (1 << 20) / (d * d)))
        {
            cache.TryAdd(mask, created);
        }

        return created;
    }

    /// <summary>log N(x_O | μ_O, Σ_OO) for a row with the pattern of <paramref name="c"/>.</summary>
    internal double ObservedLogDensity(ReadOnlySpan<double> row, Conditioning c)
    {
        var observed = c.Observed;
        int o = observed.Length;
        Span<double> y = o <= 64 ? stackalloc double[o] : new double[o];
        c.Whiten(row, MeanArray, y);
        double quad = 0;
        for (int i = 0; i < o; i++)
        {
            quad += y[i] * y[i];
        }

        return (-0.5 * ((o * LogTwoPi) + quad)) - c.LogDeterminantCholesky;
    }

    /// <summary>Writes (x_O, E[x_M | x_O]) for a row with the pattern of <paramref name="c"/>.</summary>
    internal void CompleteRow(ReadOnlySpan<double> row, Conditioning c, Span<double> destination)
    {
        int d = Dimension;
        var observed = c.Observed;
        var missing = c.Missing;
        int o = observed.Length;
        Span<double> z = o <= 64 ? stackalloc double[o] : new double[o];
        c.Whiten(row, MeanArray, z);
        c.SolveTransposed(z); // z = Σ_OO⁻¹ (x_O − μ_O)
        row[..d].CopyTo(destination);
        foreach (int m in missing)
        {
            double s = MeanArray[m];
            var covarianceRow = _covariance.AsSpan(m * d, d);
            for (int i = 0; i < o; i++)
            {
                s += covarianceRow[observed[i]] * z[i];
            }

            destination[m] = s;
        }
    }

    /// <summary>The conditional covariance Σ_MM − Σ_MO Σ_OO⁻¹ Σ_OM (m × m row-major) for the pattern of <paramref name="c"/>.</summary>
    internal ReadOnlySpan<double> ConditionalCovariance(Conditioning c) => c.ConditionalCovariance(_covariance, Dimension);

    /// <summary>Per-covariance cache of the factorisations of the missingness patterns met, keyed by the bit mask of the missing columns (D ≤ 64).</summary>
    internal sealed class ConditioningCache
    {
        private ConcurrentDictionary<ulong, Conditioning>? _cache;

        /// <summary>The dictionary, created on first use.</summary>
        public ConcurrentDictionary<ulong, Conditioning> Get()
        {
            var cache = Volatile.Read(ref _cache);
            if (cache is not null)
            {
                return cache;
            }

            Interlocked.CompareExchange(ref _cache, new ConcurrentDictionary<ulong, Conditioning>(), null);
            return _cache!;
        }
    }

    /// <summary>
    /// What a missingness pattern needs of a covariance Σ: the observed and missing columns (ascending), the Cholesky
    /// factor L of Σ_OO and, on demand, the conditional covariance of the missing entries. Immutable once published.
    /// </summary>
    internal sealed class Conditioning
    {
        private double[]? _conditionalCovariance;

        private Conditioning(int[] observed, int[] missing, double[] cholesky, double logDeterminant)
        {
            Observed = observed;
            Missing = missing;
            ObservedCholesky = cholesky;
            LogDeterminantCholesky = logDeterminant;
        }

        /// <summary>Observed columns, ascending.</summary>
        public int[] Observed { get; }

        /// <summary>Missing columns, ascending.</summary>
        public int[] Missing { get; }

        /// <summary>L with L·Lᵀ = Σ_OO, o × o row-major, lower.</summary>
        public double[] ObservedCholesky { get; }

        /// <summary>Σ log Lᵢᵢ = ½ log det Σ_OO.</summary>
        public double LogDeterminantCholesky { get; }

        /// <summary>Builds the factorisation for the pattern of <paramref name="row"/> from Σ (D × D row-major).</summary>
        public static Conditioning Create(double[] covariance, ReadOnlySpan<double> row)
        {
            int d = row.Length, m = 0;
            foreach (double v in row)
            {
                if (double.IsNaN(v))
                {
                    m++;
                }
            }

            int o = d - m;
            var observed = new int[o];
            var missing = new int[m];
            for (int j = 0, io = 0, im = 0; j < d; j++)
            {
                if (double.IsNaN(row[j]))
                {
                    missing[im++] = j;
                }
                else
                {
                    observed[io++] = j;
                }
            }

            var sub = new double[o * o];
            for (int a = 0; a < o; a++)
            {
                for (int b = 0; b < o; b++)
                {
                    sub[(a * o) + b] = covariance[(observed[a] * d) + observed[b]];
                }
            }

            var lower = new double[o * o];
            if (o == 0 || !Cholesky.TryFactor(sub, o, lower))
            {
                throw new InvalidOperationException(o == 0
                    ? "A row has every entry missing (NaN); it carries no information. Drop it."
                    : "The covariance restricted to a row's observed entries is not numerically positive definite. Increase the covariance regularisation.");
            }

            double logDet = 0;
            for (int a = 0; a < o; a++)
            {
                logDet += Math.Log(lower[(a * o) + a]);
            }

            return new Conditioning(observed, missing, lower, logDet);
        }

        /// <summary>Whether <paramref name="row"/> has exactly this pattern of missing entries.</summary>
        public bool Matches(ReadOnlySpan<double> row)
        {
            int p = 0;
            for (int j = 0; j < row.Length; j++)
            {
                bool isMissing = p < Missing.Length && Missing[p] == j;
                if (double.IsNaN(row[j]) != isMissing)
                {
                    return false;
                }

                if (isMissing)
                {
                    p++;
                }
            }

            return p == Missing.Length;
        }

        /// <summary>Writes y = L⁻¹ (x_O − μ_O) (forward substitution).</summary>
        public void Whiten(ReadOnlySpan<double> row, ReadOnlySpan<double> mean, Span<double> y)
        {
            int o = Observed.Length;
            for (int a = 0; a < o; a++)
            {
                int j = Observed[a];
                double s = row[j] - mean[j];
                var la = ObservedCholesky.AsSpan(a * o, a);
                for (int b = 0; b < a; b++)
                {
                    s -= la[b] * y[b];
                }

                y[a] = s / ObservedCholesky[(a * o) + a];
            }
        }

        /// <summary>Replaces y by L⁻ᵀ y (back substitution), so that a whitened residual becomes Σ_OO⁻¹ (x_O − μ_O).</summary>
        public void SolveTransposed(Span<double> y)
        {
            int o = Observed.Length;
            for (int a = o - 1; a >= 0; a--)
            {
                double s = y[a];
                for (int b = a + 1; b < o; b++)
                {
                    s -= ObservedCholesky[(b * o) + a] * y[b];
                }

                y[a] = s / ObservedCholesky[(a * o) + a];
            }
        }

        /// <summary>Σ_MM − Σ_MO Σ_OO⁻¹ Σ_OM (m × m row-major), computed once (a benign race: every thread computes the same values).</summary>
        public ReadOnlySpan<double> ConditionalCovariance(double[] covariance, int d)
        {
            var known = Volatile.Read(ref _conditionalCovariance);
            if (known is not null)
            {
                return known;
            }

            int o = Observed.Length, m = Missing.Length;
            // W = L⁻¹ Σ_OM (o × m), column by column.
            var w = new double[o * m];
            for (int c = 0; c < m; c++)
            {
                int mc = Missing[c];
                for (int a = 0; a < o; a++)
                {
                    double s = covariance[(Observed[a] * d) + mc];
                    for (int b = 0; b < a; b++)
                    {
                        s -= ObservedCholesky[(a * o) + b] * w[(b * m) + c];
                    }

                    w[(a * m) + c] = s / ObservedCholesky[(a * o) + a];
                }
            }

            var result = new double[m * m];
            for (int p = 0; p < m; p++)
            {
                for (int q = p; q < m; q++)
                {
                    double s = covariance[(Missing[p] * d) + Missing[q]];
                    for (int a = 0; a < o; a++)
                    {
                        s -= w[(a * m) + p] * w[(a * m) + q];
                    }

                    result[(p * m) + q] = s;
                    result[(q * m) + p] = s;
                }
            }

            Volatile.Write(ref _conditionalCovariance, result);
            return result;
        }
    }

    /// <summary>
    /// The factors a component derives from Σ and P only when a slower path needs them — L for sampling, P with padded
    /// rows for the per-component density — built once, thread-safely, and shared by the components of a tied covariance.
    /// </summary>
    private sealed class DerivedFactors(double[]? covarianceCholesky)
    {
        private double[]? _covarianceCholesky = covarianceCholesky;
        private double[]? _paddedPrecisionCholesky;

        /// <summary>L with L·Lᵀ = Σ, lower triangular, D × D row-major.</summary>
        public double[] CovarianceCholesky(double[] covariance, int d)
        {
            if (Volatile.Read(ref _covarianceCholesky) is { } built)
            {
                return built;
            }

            var lower = new double[d * d];
            Cholesky.TryFactor(covariance, d, lower);
            return Interlocked.CompareExchange(ref _covarianceCholesky, lower, null) ?? lower;
        }

        /// <summary>P with its row stride rounded up to the kernel's vector width.</summary>
        public double[] PaddedPrecisionCholesky(double[] precisionCholesky, int d)
        {
            if (Volatile.Read(ref _paddedPrecisionCholesky) is { } built)
            {
                return built;
            }

            int dp = FullCovarianceKernel.PaddedDimension(d);
            var padded = new double[dp * dp];
            for (int i = 0; i < d; i++)
            {
                precisionCholesky.AsSpan(i * d, d).CopyTo(padded.AsSpan(i * dp, d));
            }

            return Interlocked.CompareExchange(ref _paddedPrecisionCholesky, padded, null) ?? padded;
        }
    }
}
