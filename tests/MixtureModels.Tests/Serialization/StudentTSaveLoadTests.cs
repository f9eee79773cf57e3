using System.Text;
using static MixtureModels.Tests.Serialization.SaveLoadFixtures;

namespace MixtureModels.Tests.Serialization;

/// <summary>Student-t models: bit-exact round trips, and corrupted files rejected with a message naming the problem.</summary>
public sealed class StudentTSaveLoadTests
{
    private static readonly Lazy<string> FullJson = new(() => Json(Model(CovarianceType.Full, DegreesOfFreedomEstimation.PerComponent, missing: false)));

    private static StudentTMixtureModel Model(CovarianceType type, DegreesOfFreedomEstimation mode, bool missing, FittingAlgorithm algorithm = FittingAlgorithm.ExpectationMaximization) =>
        new StudentTMixture(new StudentTMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            DegreesOfFreedomEstimation = mode,
            Seed = 3,
            InitializationCount = 2,
            MaxIterations = algorithm == FittingAlgorithm.ExpectationMaximization ? 100 : 40,
            Algorithm = algorithm,
            MissingValues = missing ? MissingValueHandling.Marginalize : MissingValueHandling.Reject,
        }).Fit(Iris(missing));

    private static string Json(StudentTMixtureModel model) => Encoding.UTF8.GetString(Bytes(model, (m, s) => m.Save(s)));

    private static void ShouldMatchT(StudentTMixtureModel loaded, StudentTMixtureModel original, double[,] data)
    {
        ShouldMatch(loaded, original, data);
        loaded.CovarianceType.Should().Be(original.CovarianceType);
        loaded.DegreesOfFreedomEstimation.Should().Be(original.DegreesOfFreedomEstimation);
        Bits(loaded.GetDegreesOfFreedom()).Should().Equal(Bits(original.GetDegreesOfFreedom()));
        for (int k = 0; k < original.ComponentCount; k++)
        {
            Bits(loaded.GetScale(k).ToRowMajorArray()).Should().Equal(Bits(original.GetScale(k).ToRowMajorArray()));
            Bits(loaded.Components[k].GetPrecisionCholesky().ToRowMajorArray()).Should().Equal(Bits(original.Components[k].GetPrecisionCholesky().ToRowMajorArray()));
        }

        Bits(loaded.ExpectedWeights(data)).Should().Equal(Bits(original.ExpectedWeights(data)));
    }

    public static TheoryData<CovarianceType, DegreesOfFreedomEstimation, bool> Cases() => new()
    {
        { CovarianceType.Full, DegreesOfFreedomEstimation.PerComponent, false },
        { CovarianceType.Full, DegreesOfFreedomEstimation.Shared, true },
        { CovarianceType.Diagonal, DegreesOfFreedomEstimation.Fixed, false },
        { CovarianceType.Spherical, DegreesOfFreedomEstimation.PerComponent, true },
        { CovarianceType.Tied, DegreesOfFreedomEstimation.Shared, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Round_trip_is_bit_exact(CovarianceType type, DegreesOfFreedomEstimation mode, bool missing)
    {
        var original = Model(type, mode, missing);
        var loaded = RoundTrip(original, (m, s) => m.Save(s), StudentTMixtureModel.Load);
        ShouldMatchT(loaded, original, Iris(missing, seed: 12));

        // Saving the loaded model writes the same bytes.
        Bytes(loaded, (m, s) => m.Save(s)).Should().Equal(Bytes(original, (m, s) => m.Save(s)));
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    public void Models_fitted_by_gradient_round_trip_bit_exact(CovarianceType type)
    {
        var original = Model(type, DegreesOfFreedomEstimation.PerComponent, missing: false, FittingAlgorithm.Lbfgs);
        var loaded = RoundTrip(original, (m, s) => m.Save(s), StudentTMixtureModel.Load);
        ShouldMatchT(loaded, original, Iris(false));
    }

    [Fact]
    public void File_path_helpers_round_trip()
    {
        var original = Model(CovarianceType.Diagonal, DegreesOfFreedomEstimation.PerComponent, missing: false);
        string path = Path.Combine(Path.GetTempPath(), $"studentt-{Guid.NewGuid():N}.json");
        try
        {
            original.Save(path);
            ShouldMatchT(StudentTMixtureModel.Load(path), original, Iris(false));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("truncated", "not valid JSON")]
    [InlineData("NaN location", "$.studentT.components[1].mean[2]: expected a finite number")]
    [InlineData("negative nu", "$.studentT.components[0].degreesOfFreedom")]
    [InlineData("missing nu", "\"degreesOfFreedom\" is missing")]
    [InlineData("asymmetric scale", "not symmetric")]
    [InlineData("not positive definite", "not positive definite")]
    [InlineData("foreign precision factor", "does not belong to the scale matrix")]
    [InlineData("short scale", "$.studentT.components[2].scale: the array has 15 elements but 16 are expected")]
    [InlineData("unknown estimation", "\"Sometimes\" is not one of")]
    [InlineData("starting nu out of range", "$.studentT.degreesOfFreedom")]
    [InlineData("parameter count", "$.parameterCount")]
    [InlineData("another kind", "holds a StudentTMixtureModel, not a GaussianMixtureModel")]
    public void Corrupted_file_is_rejected_with_a_message_naming_the_problem(string corruption, string expected)
    {
        string json = FullJson.Value;
        if (corruption == "another kind")
        {
            ShouldReject(() => GaussianMixtureModel.Load(Stream(json)), expected);
            return;
        }

        string mutated = corruption == "truncated" ? json[..(json.Length / 2)] : Edit(json, root =>
        {
            var block = root["studentT"]!;
            var components = block["components"]!;
            switch (corruption)
            {
                case "NaN location": components[1]!["mean"]![2] = "NaN"; break;
                case "negative nu": components[0]!["degreesOfFreedom"] = -1.0; break;
                case "missing nu": components[0]!.AsObject().Remove("degreesOfFreedom"); break;
                case "asymmetric scale": components[0]!["scale"]![1] = components[0]!["scale"]![1]!.GetValue<double>() + 0.25; break;
                case "not positive definite": components[0]!["scale"]![0] = -1.0; break;
                case "foreign precision factor": components[0]!["precisionCholesky"] = components[1]!["precisionCholesky"]!.DeepClone(); break;
                case "short scale": components[2]!["scale"]!.AsArray().RemoveAt(0); break;
                case "unknown estimation": block["degreesOfFreedomEstimation"] = "Sometimes"; break;
                case "starting nu out of range": block["degreesOfFreedom"] = 5000.0; break;
                case "parameter count": root["parameterCount"] = root["parameterCount"]!.GetValue<int>() + 1; break;
            }
        });
        ShouldReject(() => StudentTMixtureModel.Load(Stream(mutated)), expected);
    }

    [Fact]
    public void Shared_nu_and_tied_scale_that_differ_between_components_are_rejected()
    {
        string tied = Json(Model(CovarianceType.Tied, DegreesOfFreedomEstimation.Shared, missing: false));
        ShouldReject(
            () => StudentTMixtureModel.Load(Stream(Edit(tied, root => root["studentT"]!["components"]![1]!["degreesOfFreedom"] = 77.0))),
            "$.studentT.components[1].degreesOfFreedom: with Shared estimation every component has the same");
        ShouldReject(
            () => StudentTMixtureModel.Load(Stream(Edit(tied, root =>
            {
                var components = root["studentT"]!["components"]!;
                components[2]!["scale"] = components[0]!["scale"]!.DeepClone();
                components[2]!["scale"]![0] = components[0]!["scale"]![0]!.GetValue<double>() * 2;
                components[2]!["precisionCholesky"]![0] = components[0]!["precisionCholesky"]![0]!.GetValue<double>() / Math.Sqrt(2);
            }))),
            "$.studentT.components[2]");
    }
}
