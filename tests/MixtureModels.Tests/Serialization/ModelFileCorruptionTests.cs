using System.Text;
using System.Text.Json.Nodes;
using static MixtureModels.Tests.Serialization.SaveLoadFixtures;

namespace MixtureModels.Tests.Serialization;

/// <summary>Corrupted, truncated, foreign and inconsistent model files: each is an InvalidDataException that says what is wrong.</summary>
public sealed class ModelFileCorruptionTests
{
    private static readonly Lazy<string> FullGaussianJson = new(() => Json(Gaussian(CovarianceType.Full, missing: false)));
    private static readonly Lazy<string> TiedGaussianJson = new(() => Json(Gaussian(CovarianceType.Tied, missing: false)));
    private static readonly Lazy<string> ProductJson = new(() => Json(Product(CovarianceType.Full, missing: false)));
    private static readonly Lazy<string> BernoulliJson = new(() => Json(Bernoulli(missing: false)));

    [Theory]
    [InlineData("empty", "not valid JSON")]
    [InlineData("truncated", "truncated")]
    [InlineData("garbage", "not valid JSON")]
    [InlineData("array root", "not a MixtureModels model file")]
    [InlineData("no format", "not a MixtureModels model file")]
    [InlineData("newer schema", "schema version 2")]
    [InlineData("schema not a number", "$.schemaVersion")]
    [InlineData("missing weights", "\"weights\" is missing")]
    [InlineData("short weights", "$.weights: the array has 2 elements but 3 are expected")]
    [InlineData("weights sum", "sum to")]
    [InlineData("negative weight", "$.weights[0]")]
    [InlineData("NaN mean", "$.gaussian.components[1].mean[2]: expected a finite number")]
    [InlineData("overflowing covariance", "$.gaussian.components[0].covariance[0]: expected a finite number")]
    [InlineData("not positive definite", "not positive definite")]
    [InlineData("asymmetric covariance", "not symmetric")]
    [InlineData("foreign precision factor", "does not belong to the covariance")]
    [InlineData("short mean", "$.gaussian.components[2].mean: the array has 3 elements but 4 are expected")]
    [InlineData("component count", "$.gaussian.components: the array has 3 elements but 4 are expected")]
    [InlineData("unknown covariance type", "\"Banana\" is not one of")]
    [InlineData("parameter count", "$.parameterCount")]
    [InlineData("label out of range", "$.trainingLabels[5]")]
    [InlineData("missing report", "\"report\" is missing")]
    [InlineData("best initialisation", "$.report.bestInitialization")]
    [InlineData("missing-value setting", "$.missingValues")]
    public void Corrupted_Gaussian_file_is_rejected_with_a_message_naming_the_problem(string corruption, string expected)
    {
        string json = FullGaussianJson.Value;
        byte[] bytes = corruption switch
        {
            "empty" => [],
            "truncated" => Encoding.UTF8.GetBytes(json[..(json.Length / 2)]),
            "garbage" => [0x00, 0xFF, 0x13, 0x37],
            "array root" => Encoding.UTF8.GetBytes("[1, 2, 3]"),
            _ => Encoding.UTF8.GetBytes(Mutate(json, corruption)),
        };

        ShouldReject(() => GaussianMixtureModel.Load(new MemoryStream(bytes)), expected);
    }

    [Fact]
    public void Tied_file_without_its_shared_covariance_is_rejected() =>
        ShouldReject(
            () => GaussianMixtureModel.Load(Stream(Edit(TiedGaussianJson.Value, root => root["gaussian"]!.AsObject().Remove("sharedCovariance")))),
            "\"sharedCovariance\" is missing");

    [Fact]
    public void A_file_of_another_kind_names_the_kind_and_the_loader()
    {
        ShouldReject(() => BernoulliMixtureModel.Load(Stream(FullGaussianJson.Value)), "holds a GaussianMixtureModel, not a BernoulliMixtureModel. Load it with GaussianMixtureModel.Load");
        ShouldReject(() => GaussianMixtureModel.Load(Stream(ProductJson.Value)), "holds a ProductMixtureModel");
    }

    [Fact]
    public void Bernoulli_probability_outside_the_open_unit_interval_is_rejected() =>
        ShouldReject(
            () => BernoulliMixtureModel.Load(Stream(Edit(BernoulliJson.Value, root => root["bernoulli"]!["components"]![1]!["probabilities"]![3] = 1.0))),
            "$.bernoulli.components[1].probabilities[3]: 1 is not strictly between 0 and 1");

    [Theory]
    [InlineData("categorical sum", "$.marginals[3].components[0].probabilities: the probabilities sum to")]
    [InlineData("negative rate", "$.marginals[4].components[1].rate: the rate must be positive")]
    [InlineData("overlapping columns", "Column 2 is covered by marginals[1] and marginals[2]")]
    [InlineData("column out of range", "$.marginals[0].columns[0]: 9 is outside [0, 8]")]
    [InlineData("unknown marginal kind", "$.marginals[4].kind")]
    [InlineData("wrong level count", "$.marginals[3].components[0].probabilities: the array has 3 elements but 4 are expected")]
    [InlineData("zero variance", "$.marginals[0].components[0].variance: the variance must be positive")]
    [InlineData("negative regularisation", "$.marginals[1].regularization")]
    public void Corrupted_product_file_is_rejected_with_a_message_naming_the_problem(string corruption, string expected)
    {
        string json = Edit(ProductJson.Value, root =>
        {
            var marginals = root["marginals"]!.AsArray();
            switch (corruption)
            {
                case "categorical sum": marginals[3]!["components"]![0]!["probabilities"]![0] = 0.9; break;
                case "negative rate": marginals[4]!["components"]![1]!["rate"] = -1.0; break;
                case "overlapping columns": marginals[2]!["columns"]![0] = 2; break;
                case "column out of range": marginals[0]!["columns"]![0] = 9; break;
                case "unknown marginal kind": marginals[4]!["kind"] = "Geometric"; break;
                case "wrong level count": marginals[3]!["levelCount"] = 4; break;
                case "zero variance": marginals[0]!["components"]![0]!["variance"] = 0.0; break;
                case "negative regularisation": marginals[1]!["regularization"] = -1e-6; break;
            }
        });

        ShouldReject(() => ProductMixtureModel.Load(Stream(json)), expected);
    }

    private static string Json<T>(T model)
        where T : class
    {
        using var stream = new MemoryStream();
        switch (model)
        {
            case GaussianMixtureModel g: g.Save(stream); break;
            case BernoulliMixtureModel b: b.Save(stream); break;
            case ProductMixtureModel p: p.Save(stream); break;
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Mutate(string json, string corruption)
    {
        if (corruption == "overflowing covariance")
        {
            // 1e999 is valid JSON but no finite double: replace the first covariance entry's text.
            var root = JsonNode.Parse(json)!;
            string first = root["gaussian"]!["components"]![0]!["covariance"]![0]!.ToJsonString();
            int at = json.IndexOf("\"covariance\":[" + first, StringComparison.Ordinal);
            return string.Concat(json.AsSpan(0, at), "\"covariance\":[1e999", json.AsSpan(at + "\"covariance\":[".Length + first.Length));
        }

        return Edit(json, root =>
        {
            var gaussian = root["gaussian"]!.AsObject();
            var components = gaussian["components"]!.AsArray();
            switch (corruption)
            {
                case "no format": root.Remove("format"); break;
                case "newer schema": root["schemaVersion"] = 2; break;
                case "schema not a number": root["schemaVersion"] = "one"; break;
                case "missing weights": root.Remove("weights"); break;
                case "short weights": root["weights"]!.AsArray().RemoveAt(2); break;
                case "weights sum": root["weights"]![0] = root["weights"]![0]!.GetValue<double>() + 0.01; break;
                case "negative weight": root["weights"]![0] = -0.1; break;
                case "NaN mean": components[1]!["mean"]![2] = "NaN"; break;
                case "not positive definite":
                    // A symmetric matrix with a negative eigenvalue: swap in diag(1, −1, 1, 1).
                    var covariance = components[0]!["covariance"]!.AsArray();
                    for (int i = 0; i < 16; i++)
                    {
                        covariance[i] = i % 5 == 0 ? (i == 5 ? -1.0 : 1.0) : 0.0;
                    }

                    break;
                case "asymmetric covariance": components[0]!["covariance"]![1] = components[0]!["covariance"]![1]!.GetValue<double>() + 1e-3; break;
                case "foreign precision factor": components[0]!["precisionCholesky"] = components[1]!["precisionCholesky"]!.DeepClone(); break;
                case "short mean": components[2]!["mean"]!.AsArray().RemoveAt(0); break;
                case "component count": root["componentCount"] = 4; root["weights"]!.AsArray().Add(0.0); break;
                case "unknown covariance type": gaussian["covarianceType"] = "Banana"; break;
                case "parameter count": root["parameterCount"] = root["parameterCount"]!.GetValue<int>() + 1; break;
                case "label out of range": root["trainingLabels"]![5] = 3; break;
                case "missing report": root.Remove("report"); break;
                case "best initialisation": root["report"]!["bestInitialization"] = 7; break;
                case "missing-value setting": root["missingValues"] = "Maybe"; break;
                default: throw new ArgumentOutOfRangeException(nameof(corruption), corruption, "Unknown corruption.");
            }
        });
    }
}
