using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;

namespace MixtureModels.Tests;

/// <summary>
/// Parity with scikit-learn's GaussianMixture: from the same explicit start, with tol = 0 and the same number of
/// iterations, every fitted quantity must agree to 1e-8 (relative, absolute below 1). The references are written by
/// References/generate_sklearn_references.py into Data/sklearn/*.json (committed; no Python at test time).
/// </summary>
public sealed class GaussianMixtureParityTests
{
    private const double Tolerance = 1e-8;

    private readonly ITestOutputHelper _output;

    public GaussianMixtureParityTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private static readonly string[] CaseNames =
        [.. from dataset in new[] { "iris", "faithful" }
            from type in new[] { "full", "tied", "diag", "spherical" }
            from suffix in new[] { string.Empty, "_weighted" }
            select $"{dataset}_{type}{suffix}"];

    public static TheoryData<string> Cases() => new(CaseNames);

    [Fact]
    public void Every_reference_file_is_covered()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Data", "sklearn"), "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Order(StringComparer.Ordinal);
        files.Should().BeEquivalentTo(CaseNames);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_scikit_learn(string name)
    {
        var reference = Reference.Load(name);
        double[,] x = reference.Dataset == "iris" ? TestData.Iris(out _) : TestData.Faithful();
        int d = x.GetLength(1);
        int k = reference.ComponentCount;

        var options = new GaussianMixtureOptions
        {
            ComponentCount = k,
            CovarianceType = reference.CovarianceType,
            Tolerance = reference.Tol,
            MaxIterations = reference.MaxIterations,
            CovarianceRegularization = reference.RegCovar,
            InitialWeights = reference.StartWeights,
            InitialMeans = Matrix<double>.Build.DenseOfRowArrays(reference.StartMeans),
            InitialPrecisions = reference.StartPrecisions.Select(p => Matrix<double>.Build.DenseOfRowArrays(p)).ToList(),
            MaxDegreeOfParallelism = 1,
        };

        var model = new GaussianMixture(options).Fit(x, reference.SampleWeights);
        var e = reference.Expected;
        var worst = new Worst();

        model.IterationCount.Should().Be(e.NIter);
        model.Converged.Should().Be(e.Converged);
        worst.Check("lower_bound_", model.LowerBound, e.LowerBound);
        worst.Check("score", model.MeanLogLikelihood(x, reference.SampleWeights), e.Score);
        for (int c = 0; c < k; c++)
        {
            worst.Check($"weights_[{c}]", model.Weights[c], e.Weights[c]);
            var covariance = model.GetCovariance(c);
            var precisionCholesky = model.GetPrecisionCholesky(c);
            for (int i = 0; i < d; i++)
            {
                worst.Check($"means_[{c}][{i}]", model.Components[c].Mean[i], e.Means[c][i]);
                for (int j = 0; j < d; j++)
                {
                    worst.Check($"covariances_[{c}][{i},{j}]", covariance[i, j], e.Covariances[c][i][j]);
                    worst.Check($"precisions_cholesky_[{c}][{i},{j}]", precisionCholesky[i, j], e.PrecisionsCholesky[c][i][j]);
                }
            }
        }

        var logDensity = model.LogDensity(x);
        for (int n = 0; n < logDensity.Length; n++)
        {
            worst.Check($"score_samples[{n}]", logDensity[n], e.ScoreSamples[n]);
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: max scaled disagreement {worst.Value:E2} at {worst.Where}"));
        worst.Failures.Should().BeEmpty($"every quantity must match scikit-learn {reference.SklearnVersion} to {Tolerance} × max(1, |value|)");
        model.Predict(x).Should().Equal(e.Labels);
        model.TrainingLabels.Should().Equal(e.Labels);
    }

    /// <summary>Tracks the largest |actual − expected| / max(1, |expected|) and every value over the tolerance.</summary>
    private sealed class Worst
    {
        public double Value { get; private set; }

        public string Where { get; private set; } = "-";

        public List<string> Failures { get; } = [];

        public void Check(string what, double actual, double expected)
        {
            double scaled = Math.Abs(actual - expected) / Math.Max(1.0, Math.Abs(expected));
            if (!(scaled <= Tolerance))
            {
                Failures.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: ours {actual:R}, scikit-learn {expected:R} (scaled difference {scaled:E2})"));
            }

            if (!(scaled <= Value))
            {
                Value = scaled;
                Where = what;
            }
        }
    }

    private sealed record ExpectedResult(
        double[] Weights,
        double[][] Means,
        double[][][] Covariances,
        double[][][] PrecisionsCholesky,
        double LowerBound,
        double Score,
        int NIter,
        bool Converged,
        int[] Labels,
        double[] ScoreSamples);

    private sealed record Reference(
        string Dataset,
        CovarianceType CovarianceType,
        int ComponentCount,
        int MaxIterations,
        double Tol,
        double RegCovar,
        double[]? SampleWeights,
        double[] StartWeights,
        double[][] StartMeans,
        double[][][] StartPrecisions,
        ExpectedResult Expected,
        string SklearnVersion)
    {
        public static Reference Load(string name)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "sklearn", name + ".json")));
            var root = document.RootElement;
            var start = root.GetProperty("start");
            var expected = root.GetProperty("expected");
            var sampleWeights = root.GetProperty("sample_weights");
            return new Reference(
                root.GetProperty("dataset").GetString()!,
                root.GetProperty("covariance_type").GetString() switch
                {
                    "full" => CovarianceType.Full,
                    "tied" => CovarianceType.Tied,
                    "diag" => CovarianceType.Diagonal,
                    "spherical" => CovarianceType.Spherical,
                    var other => throw new InvalidDataException($"Unknown covariance_type {other} in {name}.json"),
                },
                root.GetProperty("n_components").GetInt32(),
                root.GetProperty("max_iter").GetInt32(),
                root.GetProperty("tol").GetDouble(),
                root.GetProperty("reg_covar").GetDouble(),
                sampleWeights.ValueKind == JsonValueKind.Null ? null : Vector(sampleWeights),
                Vector(start.GetProperty("weights")),
                Matrix(start.GetProperty("means")),
                Matrices(start.GetProperty("precisions")),
                new ExpectedResult(
                    Vector(expected.GetProperty("weights_")),
                    Matrix(expected.GetProperty("means_")),
                    Matrices(expected.GetProperty("covariances_")),
                    Matrices(expected.GetProperty("precisions_cholesky_")),
                    expected.GetProperty("lower_bound_").GetDouble(),
                    expected.GetProperty("score").GetDouble(),
                    expected.GetProperty("n_iter_").GetInt32(),
                    expected.GetProperty("converged_").GetBoolean(),
                    expected.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
                    Vector(expected.GetProperty("score_samples"))),
                root.GetProperty("versions").GetProperty("sklearn").GetString()!);
        }

        private static double[] Vector(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

        private static double[][] Matrix(JsonElement e) => e.EnumerateArray().Select(Vector).ToArray();

        private static double[][][] Matrices(JsonElement e) => e.EnumerateArray().Select(Matrix).ToArray();
    }
}
