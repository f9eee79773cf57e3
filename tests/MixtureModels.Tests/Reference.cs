using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests;

/// <summary>Naive, independent reference formulas (written from the textbook definitions) and small data helpers.</summary>
internal static class Reference
{
    /// <summary>log N(x | μ, Σ) = −½(D log 2π + log det Σ + (x − μ)ᵀ Σ⁻¹ (x − μ)), via Math.NET's determinant and inverse.</summary>
    public static double GaussianLogDensity(ReadOnlySpan<double> x, ReadOnlySpan<double> mean, Matrix<double> covariance)
    {
        int d = x.Length;
        var diff = Vector<double>.Build.Dense(d);
        for (int i = 0; i < d; i++)
        {
            diff[i] = x[i] - mean[i];
        }

        double quad = diff * (covariance.Inverse() * diff);
        return -0.5 * ((d * Math.Log(2 * Math.PI)) + Math.Log(covariance.Determinant()) + quad);
    }

    /// <summary>log Σ_k π_k N(x | μ_k, Σ_k), summing densities directly (no log-sum-exp).</summary>
    public static double MixtureLogDensity(ReadOnlySpan<double> x, IReadOnlyList<double> weights, IReadOnlyList<GaussianComponent> components)
    {
        double p = 0;
        for (int k = 0; k < weights.Count; k++)
        {
            p += weights[k] * Math.Exp(GaussianLogDensity(x, components[k].Mean, components[k].GetCovariance()));
        }

        return Math.Log(p);
    }

    /// <summary>Posterior probabilities π_k N(x|k) / Σ_j π_j N(x|j), computed directly.</summary>
    public static double[] Responsibilities(ReadOnlySpan<double> x, IReadOnlyList<double> weights, IReadOnlyList<Matrix<double>> covariances, IReadOnlyList<double[]> means)
    {
        var r = new double[weights.Count];
        double total = 0;
        for (int k = 0; k < r.Length; k++)
        {
            r[k] = weights[k] * Math.Exp(GaussianLogDensity(x, means[k], covariances[k]));
            total += r[k];
        }

        for (int k = 0; k < r.Length; k++)
        {
            r[k] /= total;
        }

        return r;
    }

    public static double[] Row(double[,] data, int i)
    {
        var row = new double[data.GetLength(1)];
        for (int j = 0; j < row.Length; j++)
        {
            row[j] = data[i, j];
        }

        return row;
    }

    public static double[][] ToJagged(double[,] data) => Enumerable.Range(0, data.GetLength(0)).Select(i => Row(data, i)).ToArray();

    public static double[] ToRowMajor(double[,] data)
    {
        var result = new double[data.Length];
        int i = 0;
        foreach (double v in data)
        {
            result[i++] = v;
        }

        return result;
    }

    public static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>N rows of D standard-normal columns.</summary>
    public static double[,] Gaussian(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var result = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                result[i, j] = StandardNormal(random);
            }
        }

        return result;
    }

    /// <summary>Rows drawn from <paramref name="clusters"/> well-separated Gaussian blobs with different scales.</summary>
    public static double[,] Blobs(int rows, int columns, int clusters, int seed)
    {
        var random = new Random(seed);
        var centres = new double[clusters, columns];
        for (int c = 0; c < clusters; c++)
        {
            for (int j = 0; j < columns; j++)
            {
                centres[c, j] = 6.0 * StandardNormal(random);
            }
        }

        var result = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            int c = i % clusters;
            double scale = 0.5 + (0.5 * c);
            for (int j = 0; j < columns; j++)
            {
                result[i, j] = centres[c, j] + (scale * StandardNormal(random)) + (j > 0 ? 0.3 * (result[i, j - 1] - centres[c, j - 1]) : 0);
            }
        }

        return result;
    }

    /// <summary>A random symmetric positive-definite D × D matrix A·Aᵀ + δ·I.</summary>
    public static Matrix<double> RandomSpd(int d, Random random, double ridge = 0.5)
    {
        var a = Matrix<double>.Build.Dense(d, d, (_, _) => StandardNormal(random));
        return (a * a.Transpose()) + (ridge * Matrix<double>.Build.DenseIdentity(d));
    }

    public static double[] RandomVector(int d, Random random, double scale = 1) => Enumerable.Range(0, d).Select(_ => scale * StandardNormal(random)).ToArray();

    /// <summary>|actual − expected| ≤ tol·max(1, |expected|).</summary>
    public static void ShouldBeClose(this double actual, double expected, double tolerance, string because = "")
    {
        actual.Should().BeApproximately(expected, tolerance * Math.Max(1.0, Math.Abs(expected)), because);
    }

    public static void ShouldBeClose(this Matrix<double> actual, Matrix<double> expected, double tolerance, string because = "")
    {
        actual.RowCount.Should().Be(expected.RowCount);
        actual.ColumnCount.Should().Be(expected.ColumnCount);
        double scale = Math.Max(1.0, expected.Enumerate().Max(Math.Abs));
        for (int i = 0; i < expected.RowCount; i++)
        {
            for (int j = 0; j < expected.ColumnCount; j++)
            {
                actual[i, j].Should().BeApproximately(expected[i, j], tolerance * scale, $"entry [{i}, {j}] {because}");
            }
        }
    }

    /// <summary>
    /// The isotropic prior scaled to the data that CovariancePrior.FromData gave before it became mclust's default prior:
    /// α = 1 pseudo-observation of s₀ = (mean population variance of the columns) / K^(2/D). Tests of the gradient
    /// algorithms' scaling use it as a plain regulariser.
    /// </summary>
    public static CovariancePrior IsotropicPrior(double[,] x, int componentCount)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        double meanVariance = 0;
        for (int j = 0; j < d; j++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++)
            {
                mean += x[i, j];
            }

            mean /= n;
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += (x[i, j] - mean) * (x[i, j] - mean);
            }

            meanVariance += sum / n / d;
        }

        return new CovariancePrior(1, meanVariance / Math.Pow(componentCount, 2.0 / d));
    }
}
