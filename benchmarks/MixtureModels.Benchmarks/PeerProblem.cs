using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Benchmarks;

/// <summary>
/// A problem written by /work/shared/peers/gen_data.py: PREFIX.{x,weights,means,covariances}.npy, read into the data and
/// the options that start EM exactly where scikit-learn and Armadillo start (tolerance 0, reg_covar 1e-6).
/// </summary>
internal sealed class PeerProblem
{
    private PeerProblem(DataMatrix data, double[] values, GaussianMixtureOptions options)
    {
        Data = data;
        Values = values;
        Options = options;
    }

    /// <summary>The N × D data.</summary>
    public DataMatrix Data { get; }

    /// <summary>The row-major values behind <see cref="Data"/>.</summary>
    public double[] Values { get; }

    /// <summary>The options: the file's start, the given type and iteration count, all cores.</summary>
    public GaussianMixtureOptions Options { get; }

    /// <summary>Parses full | diag | spherical | tied, the names compare.sh uses.</summary>
    public static CovarianceType ParseCovariance(string name) => name switch
    {
        "full" => CovarianceType.Full,
        "diag" => CovarianceType.Diagonal,
        "spherical" => CovarianceType.Spherical,
        "tied" => CovarianceType.Tied,
        _ => throw new ArgumentException($"--covariance {name}: use full, diag, spherical or tied."),
    };

    /// <summary>Reads the four files of <paramref name="prefix"/>.</summary>
    public static PeerProblem Load(string prefix, CovarianceType type, int iterations)
    {
        var (xShape, xValues) = NpyReader.Read(prefix + ".x.npy");
        var (_, weights) = NpyReader.Read(prefix + ".weights.npy");
        var (meanShape, meanValues) = NpyReader.Read(prefix + ".means.npy");
        var (covShape, covValues) = NpyReader.Read(prefix + ".covariances.npy");
        int d = xShape[1], k = meanShape[0];
        if (meanShape[1] != d || covShape[0] != k || covShape[1] != d || covShape[2] != d || weights.Length != k)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The shapes of x, weights, means and covariances under {prefix} disagree."));
        }

        var means = Matrix<double>.Build.Dense(k, d, (r, c) => meanValues[(r * d) + c]);
        Matrix<double> Covariance(int c) => Matrix<double>.Build.Dense(d, d, (i, j) => covValues[(c * d * d) + (i * d) + j]);
        List<Matrix<double>> precisions = type switch
        {
            CovarianceType.Full => [.. Enumerable.Range(0, k).Select(c => Covariance(c).Inverse())],
            CovarianceType.Tied => [Covariance(0).Inverse()],
            CovarianceType.Diagonal => [.. Enumerable.Range(0, k).Select(c => Matrix<double>.Build.DenseOfDiagonalVector(Covariance(c).Diagonal().Map(v => 1.0 / v)))],
            _ => [.. Enumerable.Range(0, k).Select(c => Matrix<double>.Build.DenseIdentity(d) * (1.0 / Covariance(c)[0, 0]))],
        };

        var options = new GaussianMixtureOptions
        {
            ComponentCount = k,
            CovarianceType = type,
            Tolerance = 0,
            MaxIterations = iterations,
            CovarianceRegularization = 1e-6,
            InitialWeights = weights,
            InitialMeans = means,
            InitialPrecisions = precisions,
        };
        return new PeerProblem(DataMatrix.FromRowMajor(xValues, d), xValues, options);
    }

    /// <summary>
    /// Warm-up on a slice (JIT, tiering, thread pool), so that a timed fit measures steady-state EM, as for the
    /// precompiled peers: enough calls for every hot method to reach optimised code, then a pause for the background
    /// compiler to install it.
    /// </summary>
    public void WarmUp(int threads)
    {
        int d = Data.Columns;
        int warmRows = Math.Min(Data.Rows, Math.Max(Options.ComponentCount, 16384));
        var warmData = DataMatrix.FromRowMajor(Values.AsMemory(0, warmRows * d), d);
        for (int round = 0; round < 3; round++)
        {
            new GaussianMixture(Options with { MaxIterations = 3, MaxDegreeOfParallelism = threads }).Fit(warmData);
            Thread.Sleep(200);
        }

        QuietParent.Wait(TimeSpan.FromSeconds(10));
    }
}
