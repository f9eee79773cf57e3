using System.Text;
using System.Text.Json.Nodes;
using static MixtureModels.Tests.Serialization.SaveLoadFixtures;

namespace MixtureModels.Tests.Serialization;

/// <summary>Variational Bayesian Gaussian mixtures: bit-exact round trips, and corrupted files rejected with a message naming the field.</summary>
public sealed class BayesianGaussianSaveLoadTests
{
    private static readonly Lazy<string> FullDirichletProcessJson = new(() => Json(Model(CovarianceType.Full, WeightConcentrationPriorType.DirichletProcess)));
    private static readonly Lazy<string> DiagonalDirichletJson = new(() => Json(Model(CovarianceType.Diagonal, WeightConcentrationPriorType.DirichletDistribution)));

    /// <summary>Positive weights from a fixed stream, so the fit (and its default priors) depend on them.</summary>
    private static double[] SampleWeights(int rows)
    {
        var random = new Random(21);
        return [.. Enumerable.Range(0, rows).Select(_ => 0.25 + (1.5 * random.NextDouble()))];
    }

    private static BayesianGaussianMixtureModel Model(CovarianceType type, WeightConcentrationPriorType prior)
    {
        var x = Iris(missing: false);
        return new BayesianGaussianMixture(new BayesianGaussianMixtureOptions
        {
            ComponentCount = 4,
            CovarianceType = type,
            WeightConcentrationPriorType = prior,
            Seed = 5,
            InitializationCount = 2,
            MaxIterations = 200,
        }).Fit(x, SampleWeights(x.GetLength(0)));
    }

    private static string Json(BayesianGaussianMixtureModel model) => Encoding.UTF8.GetString(Bytes(model, (m, s) => m.Save(s)));

    private static void ShouldMatchVb(BayesianGaussianMixtureModel loaded, BayesianGaussianMixtureModel original, double[,] data)
    {
        loaded.CovarianceType.Should().Be(original.CovarianceType);
        loaded.WeightConcentrationPriorType.Should().Be(original.WeightConcentrationPriorType);
        loaded.ComponentCount.Should().Be(original.ComponentCount);
        loaded.Dimension.Should().Be(original.Dimension);

        // Posterior and priors.
        Bits(loaded.Weights).Should().Equal(Bits(original.Weights));
        Bits(loaded.WeightConcentration).Should().Equal(Bits(original.WeightConcentration));
        if (original.WeightConcentrationTail is null)
        {
            loaded.WeightConcentrationTail.Should().BeNull();
        }
        else
        {
            Bits(loaded.WeightConcentrationTail!).Should().Equal(Bits(original.WeightConcentrationTail));
        }

        Bits(loaded.MeanPrecision).Should().Equal(Bits(original.MeanPrecision));
        Bits(loaded.DegreesOfFreedom).Should().Equal(Bits(original.DegreesOfFreedom));
        Bits([loaded.WeightConcentrationPrior, loaded.MeanPrecisionPrior, loaded.DegreesOfFreedomPrior])
            .Should().Equal(Bits([original.WeightConcentrationPrior, original.MeanPrecisionPrior, original.DegreesOfFreedomPrior]));
        Bits(loaded.GetMeanPrior()).Should().Equal(Bits(original.GetMeanPrior()));
        Bits(loaded.GetCovariancePrior().ToRowMajorArray()).Should().Equal(Bits(original.GetCovariancePrior().ToRowMajorArray()));
        Bits(loaded.GetMeans().ToRowMajorArray()).Should().Equal(Bits(original.GetMeans().ToRowMajorArray()));
        for (int k = 0; k < original.ComponentCount; k++)
        {
            Bits(loaded.GetCovariance(k).ToRowMajorArray()).Should().Equal(Bits(original.GetCovariance(k).ToRowMajorArray()));
            Bits(loaded.GetPrecision(k).ToRowMajorArray()).Should().Equal(Bits(original.GetPrecision(k).ToRowMajorArray()));
            Bits(loaded.GetPrecisionCholesky(k).ToRowMajorArray()).Should().Equal(Bits(original.GetPrecisionCholesky(k).ToRowMajorArray()));
        }

        // Report and training labels.
        var a = loaded.Report;
        var b = original.Report;
        loaded.Converged.Should().Be(original.Converged);
        loaded.IterationCount.Should().Be(original.IterationCount);
        a.BestInitialization.Should().Be(b.BestInitialization);
        Bits([a.LowerBound, a.TrainingLogLikelihood, a.TrainingWeight, a.ResponsibilityEntropy, a.LogPrior])
            .Should().Equal(Bits([b.LowerBound, b.TrainingLogLikelihood, b.TrainingWeight, b.ResponsibilityEntropy, b.LogPrior]));
        Bits(a.LowerBoundHistory).Should().Equal(Bits(b.LowerBoundHistory));
        Bits(a.ObjectiveHistory).Should().Equal(Bits(b.ObjectiveHistory));
        Bits(a.InitializationLowerBounds).Should().Equal(Bits(b.InitializationLowerBounds));
        Bits(a.ComponentRowCounts).Should().Equal(Bits(b.ComponentRowCounts));
        a.ComponentDegeneracies.Should().Equal(b.ComponentDegeneracies);
        a.DegenerateInitializations.Should().Equal(b.DegenerateInitializations);
        loaded.TrainingLabels.Should().Equal(original.TrainingLabels);

        // Queries.
        Bits(loaded.LogDensity(data)).Should().Equal(Bits(original.LogDensity(data)));
        Bits(loaded.PredictProbabilities(data)).Should().Equal(Bits(original.PredictProbabilities(data)));
        loaded.Predict(data).Should().Equal(original.Predict(data));
        var weights = SampleWeights(data.GetLength(0));
        Bits([loaded.MeanLogLikelihood(data), loaded.MeanLogLikelihood(data, weights)])
            .Should().Equal(Bits([original.MeanLogLikelihood(data), original.MeanLogLikelihood(data, weights)]));
        var s = loaded.Sample(60, new Random(9));
        var t = original.Sample(60, new Random(9));
        Bits(s.Rows).Should().Equal(Bits(t.Rows));
        s.Labels.Should().Equal(t.Labels);
    }

    public static TheoryData<CovarianceType, WeightConcentrationPriorType> Cases()
    {
        var data = new TheoryData<CovarianceType, WeightConcentrationPriorType>();
        foreach (var type in Enum.GetValues<CovarianceType>())
        {
            foreach (var prior in Enum.GetValues<WeightConcentrationPriorType>())
            {
                data.Add(type, prior);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trip_is_bit_exact(CovarianceType type, WeightConcentrationPriorType prior)
    {
        var original = Model(type, prior);
        var loaded = RoundTrip(original, (m, s) => m.Save(s), BayesianGaussianMixtureModel.Load);

        // Iris itself and rows away from it, so that the queries are not only asked of the training data.
        ShouldMatchVb(loaded, original, Iris(false));
        var shifted = Iris(false);
        for (int n = 0; n < shifted.GetLength(0); n++)
        {
            shifted[n, n % 4] += 0.37 * ((n % 7) - 3);
        }

        ShouldMatchVb(loaded, original, shifted);

        // Saving the loaded model writes the same bytes.
        Bytes(loaded, (m, s) => m.Save(s)).Should().Equal(Bytes(original, (m, s) => m.Save(s)));
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void Given_priors_round_trip_bit_exact(CovarianceType type)
    {
        // A covariance prior that is symmetric only up to rounding, as the fit accepts it, and every other prior given.
        var prior = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(4) * 0.3;
        if (type is CovarianceType.Full or CovarianceType.Tied)
        {
            prior[0, 1] = 0.05;
            prior[1, 0] = 0.05 * (1 + 1e-15);
        }

        var x = Iris(missing: false);
        var original = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            WeightConcentrationPriorType = WeightConcentrationPriorType.DirichletDistribution,
            WeightConcentrationPrior = 0.01,
            MeanPrecisionPrior = 0.5,
            MeanPrior = [5.8, 3.0, 3.7, 1.2],
            DegreesOfFreedomPrior = 6.5,
            CovariancePrior = prior,
            Seed = 2,
        }).Fit(x);
        var loaded = RoundTrip(original, (m, s) => m.Save(s), BayesianGaussianMixtureModel.Load);
        ShouldMatchVb(loaded, original, x);
        loaded.MeanPrecisionPrior.Should().Be(0.5);
        loaded.DegreesOfFreedomPrior.Should().Be(6.5);
        loaded.WeightConcentrationPrior.Should().Be(0.01);
        loaded.GetMeanPrior().Should().Equal(5.8, 3.0, 3.7, 1.2);
        loaded.GetCovariancePrior()[2, 2].Should().Be(0.3);
    }

    [Fact]
    public void File_path_helpers_round_trip()
    {
        var original = Model(CovarianceType.Spherical, WeightConcentrationPriorType.DirichletProcess);
        string path = Path.Combine(Path.GetTempPath(), $"bayesian-{Guid.NewGuid():N}.json");
        try
        {
            original.Save(path);
            ShouldMatchVb(BayesianGaussianMixtureModel.Load(path), original, Iris(false));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void File_holds_the_posterior_under_readable_names()
    {
        var root = JsonNode.Parse(FullDirichletProcessJson.Value)!.AsObject();
        root["kind"]!.GetValue<string>().Should().Be("BayesianGaussianMixtureModel");
        var block = root["bayesianGaussian"]!;
        block["weightConcentrationPriorType"]!.GetValue<string>().Should().Be("DirichletProcess");
        double gamma = block["weightConcentrationPrior"]!.GetValue<double>();
        gamma.Should().Be(0.25, "the default concentration prior is 1/K");
        block["meanPrecisionPrior"]!.GetValue<double>().Should().Be(1.0, "the default β₀ is 1");
        block["degreesOfFreedomPrior"]!.GetValue<double>().Should().Be(4.0, "the default ν₀ is D");

        // The stick-breaking Beta parameters follow from the totals: a_k = 1 + n_k, b_k = γ + Σ_{j>k} n_j, n_k = N_k + 10ε.
        var totals = block["responsibilityTotals"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var first = block["weightConcentration"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var second = block["weightConcentrationTail"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        totals.Sum().Should().BeApproximately(150, 1e-9, "the sample weights are rescaled to average 1 over Iris's 150 rows");
        for (int k = 0; k < 4; k++)
        {
            first[k].Should().BeApproximately(1 + totals[k], 1e-12);
            second[k].Should().BeApproximately(gamma + totals.Skip(k + 1).Sum(), 1e-9);
        }

        var expected = block["expectedWeights"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        expected.Sum().Should().BeApproximately(1, 1e-12);
    }

    [Theory]
    [InlineData("truncated", "not valid JSON")]
    [InlineData("newer schema", "schema version 2")]
    [InlineData("missing block", "\"bayesianGaussian\" is missing")]
    [InlineData("missing mean precision", "$.bayesianGaussian: the required property \"meanPrecision\" is missing")]
    [InlineData("short degrees of freedom", "$.bayesianGaussian.degreesOfFreedom: the array has 3 elements but 4 are expected")]
    [InlineData("negative concentration", "$.bayesianGaussian.weightConcentration[1]: -2 is not positive")]
    [InlineData("negative tail", "$.bayesianGaussian.weightConcentrationTail[0]")]
    [InlineData("missing tail", "\"weightConcentrationTail\" is missing")]
    [InlineData("NaN mean prior", "$.bayesianGaussian.meanPrior[2]: expected a finite number")]
    [InlineData("infinite total", "$.bayesianGaussian.responsibilityTotals[0]: expected a finite number")]
    [InlineData("negative total", "$.bayesianGaussian.responsibilityTotals[3]")]
    [InlineData("concentration prior zero", "$.bayesianGaussian.weightConcentrationPrior: 0 is not positive")]
    [InlineData("degrees of freedom prior", "$.bayesianGaussian.degreesOfFreedomPrior")]
    [InlineData("covariance prior not positive definite", "$.bayesianGaussian.covariancePrior: the matrix is not positive definite")]
    [InlineData("covariance prior asymmetric", "$.bayesianGaussian.covariancePrior: the matrix is not symmetric")]
    [InlineData("short covariance prior", "$.bayesianGaussian.covariancePrior: the array has 15 elements but 16 are expected")]
    [InlineData("unknown prior type", "\"Chinese restaurant\" is not one of")]
    [InlineData("mean precision off the totals", "$.bayesianGaussian.meanPrecision[2]")]
    [InlineData("expected weights off the totals", "$.bayesianGaussian.expectedWeights[0]")]
    [InlineData("NaN component mean", "$.bayesianGaussian.components[1].mean[0]: expected a finite number")]
    [InlineData("parameter count", "$.parameterCount")]
    public void Corrupted_file_is_rejected_with_a_message_naming_the_field(string corruption, string expected)
    {
        string json = FullDirichletProcessJson.Value;
        string mutated = corruption == "truncated" ? json[..(json.Length * 2 / 3)] : Edit(json, root =>
        {
            var block = root["bayesianGaussian"]!;
            switch (corruption)
            {
                case "newer schema": root["schemaVersion"] = 2; break;
                case "missing block": root.Remove("bayesianGaussian"); break;
                case "missing mean precision": block.AsObject().Remove("meanPrecision"); break;
                case "short degrees of freedom": block["degreesOfFreedom"]!.AsArray().RemoveAt(3); break;
                case "negative concentration": block["weightConcentration"]![1] = -2.0; break;
                case "negative tail": block["weightConcentrationTail"]![0] = -0.5; break;
                case "missing tail": block.AsObject().Remove("weightConcentrationTail"); break;
                case "NaN mean prior": block["meanPrior"]![2] = "NaN"; break;
                case "infinite total": block["responsibilityTotals"]![0] = "Infinity"; break;
                case "negative total": block["responsibilityTotals"]![3] = -1.0; break;
                case "concentration prior zero": block["weightConcentrationPrior"] = 0.0; break;
                case "degrees of freedom prior": block["degreesOfFreedomPrior"] = 2.5; break;
                case "covariance prior not positive definite": block["covariancePrior"]![0] = -1.0; break;
                case "covariance prior asymmetric": block["covariancePrior"]![1] = block["covariancePrior"]![1]!.GetValue<double>() + 0.125; break;
                case "short covariance prior": block["covariancePrior"]!.AsArray().RemoveAt(15); break;
                case "unknown prior type": block["weightConcentrationPriorType"] = "Chinese restaurant"; break;
                case "mean precision off the totals": block["meanPrecision"]![2] = block["meanPrecision"]![2]!.GetValue<double>() * (1 + 1e-9); break;
                case "expected weights off the totals": block["expectedWeights"]![0] = block["expectedWeights"]![0]!.GetValue<double>() * (1 + 1e-9); break;
                case "NaN component mean": block["components"]![1]!["mean"]![0] = "NaN"; break;
                case "parameter count": root["parameterCount"] = root["parameterCount"]!.GetValue<int>() + 1; break;
            }
        });
        ShouldReject(() => BayesianGaussianMixtureModel.Load(Stream(mutated)), expected);
    }

    [Theory]
    [InlineData("negative diagonal prior", "$.bayesianGaussian.covariancePrior[1]: -3 is not positive")]
    [InlineData("tail present", "$.bayesianGaussian.weightConcentrationTail: a Dirichlet-distribution weight prior has one concentration array")]
    [InlineData("zero variance", "$.bayesianGaussian.components[2].variances")]
    [InlineData("degrees of freedom below D", "$.bayesianGaussian.degreesOfFreedom[0]: 1.5 is not greater than D − 1 = 3")]
    [InlineData("concentration off the totals", "$.bayesianGaussian.weightConcentration[3]")]
    public void Corrupted_diagonal_Dirichlet_file_is_rejected_with_a_message_naming_the_field(string corruption, string expected)
    {
        string mutated = Edit(DiagonalDirichletJson.Value, root =>
        {
            var block = root["bayesianGaussian"]!;
            switch (corruption)
            {
                case "negative diagonal prior": block["covariancePrior"]![1] = -3.0; break;
                case "tail present": block["weightConcentrationTail"] = new JsonArray(1.0, 1.0, 1.0, 1.0); break;
                case "zero variance": block["components"]![2]!["variances"]![0] = 0.0; break;
                case "degrees of freedom below D": block["degreesOfFreedom"]![0] = 1.5; break;
                case "concentration off the totals": block["weightConcentration"]![3] = block["weightConcentration"]![3]!.GetValue<double>() + 0.5; break;
            }
        });
        ShouldReject(() => BayesianGaussianMixtureModel.Load(Stream(mutated)), expected);
    }

    [Fact]
    public void Another_kind_is_rejected_naming_both_kinds()
    {
        ShouldReject(() => GaussianMixtureModel.Load(Stream(FullDirichletProcessJson.Value)), "holds a BayesianGaussianMixtureModel, not a GaussianMixtureModel. Load it with BayesianGaussianMixtureModel.Load");
        ShouldReject(() => StudentTMixtureModel.Load(Stream(FullDirichletProcessJson.Value)), "holds a BayesianGaussianMixtureModel, not a StudentTMixtureModel");
        string gaussian = Encoding.UTF8.GetString(Bytes(Gaussian(CovarianceType.Full, missing: false), (m, s) => m.Save(s)));
        ShouldReject(() => BayesianGaussianMixtureModel.Load(Stream(gaussian)), "holds a GaussianMixtureModel, not a BayesianGaussianMixtureModel. Load it with GaussianMixtureModel.Load");
    }

    [Fact]
    public void Null_stream_is_rejected() =>
        FluentActions.Invoking(() => BayesianGaussianMixtureModel.Load((Stream)null!)).Should().Throw<ArgumentNullException>();
}
