using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// Everything conditioning a Gaussian mixture on columns a needs, computed once per component (once for tied
/// covariance): the Cholesky factor L of Σ_aa and its log-determinant, the regression matrix B = Σ_ba Σ_aa⁻¹, the
/// conditional covariance C = Σ_bb − B Σ_ab and a component with that covariance to re-centre. Per row only the weights
/// π_k N(x_a | μ_ka, Σ_kaa) and the means μ_kb + B (x_a − μ_ka) remain. Immutable; safe to use from many threads.
/// </summary>
internal sealed class GaussianConditioner
{
    private readonly double[] _logWeights;
    private readonly Factors[] _factors;        // one per component, or one shared by all (tied)
    private readonly double[][] _meanA;
    private readonly double[][] _meanB;

    public GaussianConditioner(IReadOnlyList<double> weights, IReadOnlyList<GaussianComponent> components, CovarianceType type, double regularization, int[] inputColumns, int[] outputColumns)
    {
        InputColumns = inputColumns;
        OutputColumns = outputColumns;
        int k = components.Count;
        _logWeights = new double[k];
        _meanA = new double[k][];
        _meanB = new double[k][];
        for (int c = 0; c < k; c++)
        {
            _logWeights[c] = Math.Log(weights[c]);
            var mean = components[c].Mean;
            _meanA[c] = Pick(mean, inputColumns);
            _meanB[c] = Pick(mean, outputColumns);
        }

        if (type == CovarianceType.Tied)
        {
            var shared = new Factors(components[0], 0, regularization, type, inputColumns, outputColumns);
            _factors = new Factors[k];
            Array.Fill(_factors, shared);
        }
        else
        {
            _factors = new Factors[k];
            for (int c = 0; c < k; c++)
            {
                _factors[c] = new Factors(components[c], c, regularization, type, inputColumns, outputColumns);
            }
        }
    }

    /// <summary>The conditioning columns a, in the caller's order.</summary>
    public int[] InputColumns { get; }

    /// <summary>The remaining columns b, ascending.</summary>
    public int[] OutputColumns { get; }

    /// <summary>Number of components K.</summary>
    public int ComponentCount => _factors.Length;

    /// <summary>|a|.</summary>
    public int InputCount => InputColumns.Length;

    /// <summary>|b|.</summary>
    public int OutputCount => OutputColumns.Length;

    /// <summary>The conditional covariance C_k (|b| × |b| row-major) of component <paramref name="component"/>.</summary>
    public ReadOnlySpan<double> ConditionalCovariance(int component) => _factors[component].Conditional;

    /// <summary>Component k's conditional Gaussian, centred on <paramref name="mean"/> (owned by the result afterwards).</summary>
    public GaussianComponent ConditionalComponent(int component, double[] mean) => _factors[component].Template.WithMean(mean);

    /// <summary>
    /// For one row x_a: the normalised conditional weights w_k (summing to 1, from log-sum-exp) into <paramref name="weights"/>
    /// and each component's conditional mean into <paramref name="means"/> (K × |b| row-major).
    /// </summary>
    /// <returns>False when every component gives x_a zero density (the weights are then undefined).</returns>
    public bool Evaluate(ReadOnlySpan<double> inputs, Span<double> weights, Span<double> means, Span<double> scratch)
    {
        int a = InputCount;
        int b = OutputCount;
        double max = double.NegativeInfinity;
        for (int c = 0; c < _factors.Length; c++)
        {
            var f = _factors[c];
            var meanA = _meanA[c];
            var diff = scratch[..a];
            var y = scratch.Slice(a, a);
            for (int i = 0; i < a; i++)
            {
                diff[i] = inputs[i] - meanA[i];
            }

            // Forward substitution L y = diff; log N = −½(a log 2π + ‖y‖²) − log det L.
            double squared = 0;
            for (int i = 0; i < a; i++)
            {
                double s = diff[i];
                var row = f.Lower.AsSpan(i * a, i);
                for (int j = 0; j < i; j++)
                {
                    s -= row[j] * y[j];
                }

                y[i] = s / f.Lower[(i * a) + i];
                squared += y[i] * y[i];
            }

            double logp = _logWeights[c] - (0.5 * ((a * GaussianComponent.LogTwoPi) + squared)) - f.LogDeterminantLower;
            weights[c] = logp;
            if (logp > max)
            {
                max = logp;
            }

            var m = means.Slice(c * b, b);
            var meanB = _meanB[c];
            for (int i = 0; i < b; i++)
            {
                double s = meanB[i];
                var regression = f.Regression.AsSpan(i * a, a);
                for (int j = 0; j < a; j++)
                {
                    s += regression[j] * diff[j];
                }

                m[i] = s;
            }
        }

        if (!double.IsFinite(max))
        {
            return false;
        }

        double total = 0;
        for (int c = 0; c < _factors.Length; c++)
        {
            double e = Math.Exp(weights[c] - max);
            weights[c] = e;
            total += e;
        }

        for (int c = 0; c < _factors.Length; c++)
        {
            weights[c] /= total;
        }

        return true;
    }

    /// <summary>
    /// The moments of a mixture of Gaussians with weights w_k, means m_k (K × |b|) and covariances C_k: the mean
    /// Σ_k w_k m_k and, when <paramref name="covariance"/> is not empty, Σ_k w_k (C_k + m_k m_kᵀ) − m mᵀ.
    /// </summary>
    public void Moments(ReadOnlySpan<double> weights, ReadOnlySpan<double> means, Span<double> mean, Span<double> covariance)
    {
        MixtureMoments(weights, means, OutputCount, ConditionalCovariance, mean, covariance);
    }

    /// <summary>Mixture moments for any K Gaussians of dimension <paramref name="d"/>; see <see cref="Moments"/>.</summary>
    public static void MixtureMoments(ReadOnlySpan<double> weights, ReadOnlySpan<double> means, int d, CovarianceSource covariances, Span<double> mean, Span<double> covariance)
    {
        mean.Clear();
        for (int c = 0; c < weights.Length; c++)
        {
            var m = means.Slice(c * d, d);
            for (int i = 0; i < d; i++)
            {
                mean[i] += weights[c] * m[i];
            }
        }

        if (covariance.IsEmpty)
        {
            return;
        }

        covariance.Clear();
        for (int c = 0; c < weights.Length; c++)
        {
            double w = weights[c];
            if (w == 0)
            {
                continue;
            }

            var m = means.Slice(c * d, d);
            var cov = covariances(c);
            for (int i = 0; i < d; i++)
            {
                // Centre on the mixture mean: Σ_k w_k (C_k + (m_k − m)(m_k − m)ᵀ), the same value without cancellation.
                double di = m[i] - mean[i];
                for (int j = 0; j < d; j++)
                {
                    covariance[(i * d) + j] += w * (cov[(i * d) + j] + (di * (m[j] - mean[j])));
                }
            }
        }
    }

    /// <summary>The covariance (row-major) of component <paramref name="component"/>.</summary>
    public delegate ReadOnlySpan<double> CovarianceSource(int component);

    private static double[] Pick(ReadOnlySpan<double> values, int[] columns)
    {
        var result = new double[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            result[i] = values[columns[i]];
        }

        return result;
    }

    private sealed class Factors
    {
        public Factors(GaussianComponent component, int index, double regularization, CovarianceType type, int[] a, int[] b)
        {
            var sigma = component.GetCovariance();
            var saa = Matrix<double>.Build.Dense(a.Length, a.Length, (i, j) => sigma[a[i], a[j]]);
            var sab = Matrix<double>.Build.Dense(a.Length, b.Length, (i, j) => sigma[a[i], b[j]]);
            var sbb = Matrix<double>.Build.Dense(b.Length, b.Length, (i, j) => sigma[b[i], b[j]]);
            var cholesky = saa.Cholesky();
            var lower = cholesky.Factor;
            Lower = new double[a.Length * a.Length];
            double logDet = 0;
            for (int i = 0; i < a.Length; i++)
            {
                for (int j = 0; j <= i; j++)
                {
                    Lower[(i * a.Length) + j] = lower[i, j];
                }

                logDet += Math.Log(lower[i, i]);
            }

            LogDeterminantLower = logDet;
            var solved = cholesky.Solve(sab);               // Σ_aa⁻¹ Σ_ab, a × b
            var conditional = sbb - (sab.TransposeThisAndMultiply(solved));
            Regression = new double[b.Length * a.Length];
            Conditional = new double[b.Length * b.Length];
            for (int i = 0; i < b.Length; i++)
            {
                for (int j = 0; j < a.Length; j++)
                {
                    Regression[(i * a.Length) + j] = solved[j, i];
                }

                for (int j = 0; j < b.Length; j++)
                {
                    Conditional[(i * b.Length) + j] = i == j ? conditional[i, i] : 0.5 * (conditional[i, j] + conditional[j, i]);
                }
            }

            var zero = new double[b.Length];
            Template = type switch
            {
                CovarianceType.Diagonal => DiagonalGaussian.WithMeanVariances(zero, Sub(((DiagonalGaussian)component).Variances, b)),
                CovarianceType.Spherical => SphericalGaussian.WithMeanVariance(zero, ((SphericalGaussian)component).Variance),
                _ => FullGaussian.TryCreate(zero, (double[])Conditional.Clone(), out var full)
                    ? full
                    : throw new CovarianceNotPositiveDefiniteException(index, regularization, "The conditional covariance Σ_bb − Σ_ba Σ_aa⁻¹ Σ_ab is not positive definite: the conditioning columns determine the others almost exactly. Condition on fewer columns, or refit with a larger Regularization."),
            };
        }

        public double[] Lower { get; }

        public double LogDeterminantLower { get; }

        public double[] Regression { get; }

        public double[] Conditional { get; }

        public GaussianComponent Template { get; }

        private static double[] Sub(ReadOnlySpan<double> values, int[] columns)
        {
            var result = new double[columns.Length];
            for (int i = 0; i < columns.Length; i++)
            {
                result[i] = values[columns[i]];
            }

            return result;
        }
    }
}
