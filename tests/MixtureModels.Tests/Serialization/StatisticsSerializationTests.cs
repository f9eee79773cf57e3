using System.Text;
using System.Text.Json.Nodes;
using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Product;
using MixtureModels.Components.StudentT;
using MixtureModels.Serialization;

namespace MixtureModels.Tests.Serialization;

/// <summary>
/// Statistics files and a user family's model files: round trips, and every kind of bad input giving an
/// <see cref="InvalidDataException"/> (or the documented argument exception) whose message names what is wrong.
/// </summary>
public sealed class StatisticsSerializationTests
{
    private static readonly GaussianFamily Full = GaussianFamily.Create(CovarianceType.Full, 3, 1e-6);

    [Fact]
    public void One_or_K_statistics_round_trip_through_a_stream_and_bytes()
    {
        var statistics = GaussianStatistics(Full, 3);
        using var stream = new MemoryStream();
        StatisticsSerializer.Serialize(stream, statistics, Full);
        stream.Position = 0;
        var fromStream = StatisticsSerializer.Deserialize(stream, Full);
        var fromBytes = StatisticsSerializer.Deserialize(stream.ToArray(), Full);
        var single = StatisticsSerializer.DeserializeSingle(StatisticsSerializer.SerializeSingle(statistics[1], Full), Full);

        for (int k = 0; k < 3; k++)
        {
            Scatter(fromStream[k]).Should().Equal(Scatter(statistics[k]));
            fromBytes[k].WeightedSum.ToArray().Should().Equal(statistics[k].WeightedSum.ToArray());
            fromBytes[k].Reference.ToArray().Should().Equal(statistics[k].Reference.ToArray());
            fromBytes[k].TotalWeight.Should().Be(statistics[k].TotalWeight);
        }

        Scatter(single).Should().Equal(Scatter(statistics[1]));
        StatisticsSerializer.Deserialize(StatisticsSerializer.SerializeToBytes(Array.Empty<GaussianStatistics>(), Full), Full).Should().BeEmpty();
    }

    [Fact]
    public void Statistics_shipped_as_json_and_merged_give_the_same_m_step_as_merging_in_memory()
    {
        // Two "workers" accumulate halves of the data; the coordinator merges what it receives as bytes.
        var rows = Rows(11, 400, 3);
        var weights = Enumerable.Range(0, 400).Select(i => 0.2 + ((i * 37 % 11) / 11.0)).ToArray();
        var first = Full.CreateStatistics(null);
        var second = Full.CreateStatistics(null);
        first.Accumulate(rows.AsSpan(0, 600), weights.AsSpan(0, 200));
        second.Accumulate(rows.AsSpan(600), weights.AsSpan(200));
        var inMemory = Full.CreateStatistics(null);
        inMemory.Merge(first);
        inMemory.Merge(second);
        var shipped = Full.CreateStatistics(null);
        shipped.Merge(StatisticsSerializer.DeserializeSingle(StatisticsSerializer.SerializeSingle(first, Full), Full));
        shipped.Merge(StatisticsSerializer.DeserializeSingle(StatisticsSerializer.SerializeSingle(second, Full), Full));

        var a = new GaussianComponent[1];
        var b = new GaussianComponent[1];
        Full.Estimate([inMemory], a);
        Full.Estimate([shipped], b);
        b[0].Mean.ToArray().Should().Equal(a[0].Mean.ToArray());
        b[0].GetCovariance().ToRowMajorArray().Should().Equal(a[0].GetCovariance().ToRowMajorArray());
    }

    [Theory]
    [InlineData("empty", "not valid JSON")]
    [InlineData("truncated", "truncated or corrupted")]
    [InlineData("garbage", "not valid JSON")]
    [InlineData("array root", "not a MixtureModels statistics file")]
    [InlineData("no format", "not a MixtureModels statistics file")]
    [InlineData("newer schema", "schema version 2")]
    [InlineData("wrong kind", "holds BernoulliStatistics, not FullScatterStatistics")]
    [InlineData("wrong dimension", "$.dimension")]
    [InlineData("count mismatch", "$.statistics: the array has 3 elements but 4 are expected")]
    [InlineData("NaN in scatter", "$.statistics[1].scatter[4]: expected a finite number")]
    [InlineData("negative total weight", "$.statistics[0].totalWeight")]
    [InlineData("short weighted sum", "$.statistics[2].weightedSum: the array has 2 elements but 3 are expected")]
    [InlineData("reference of another length", "$.statistics[0].reference")]
    [InlineData("missing scatter", "\"scatter\" is missing")]
    [InlineData("statistics not an object", "$.statistics[1]: expected a statistics object")]
    [InlineData("missing library version", "\"libraryVersion\" is missing")]
    public void Corrupted_gaussian_statistics_are_rejected_with_a_message_naming_the_problem(string corruption, string expected)
    {
        string json = Encoding.UTF8.GetString(StatisticsSerializer.SerializeToBytes(GaussianStatistics(Full, 3), Full));
        byte[] bytes = corruption switch
        {
            "empty" => [],
            "truncated" => Encoding.UTF8.GetBytes(json[..(json.Length * 2 / 3)]),
            "garbage" => [0x00, 0xFF, 0x13],
            "array root" => Encoding.UTF8.GetBytes("[1]"),
            "wrong kind" => StatisticsSerializer.SerializeToBytes([new BernoulliStatistics(3)], new BernoulliFamily(3)),
            _ => Encoding.UTF8.GetBytes(Edit(json, root =>
            {
                var items = root["statistics"]!.AsArray();
                switch (corruption)
                {
                    case "no format": root.Remove("format"); break;
                    case "newer schema": root["schemaVersion"] = 2; break;
                    case "wrong dimension": root["dimension"] = 4; break;
                    case "count mismatch": root["count"] = 4; break;
                    case "NaN in scatter": items[1]!["scatter"]![4] = "NaN"; break;
                    case "negative total weight": items[0]!["totalWeight"] = -1.0; break;
                    case "short weighted sum": items[2]!["weightedSum"]!.AsArray().RemoveAt(0); break;
                    case "reference of another length": items[0]!["reference"]!.AsArray().RemoveAt(0); break;
                    case "missing scatter": items[0]!.AsObject().Remove("scatter"); break;
                    case "statistics not an object": items[1] = 3; break;
                    case "missing library version": root.Remove("libraryVersion"); break;
                }
            })),
        };

        FluentActions.Invoking(() => StatisticsSerializer.Deserialize(bytes, Full)).Should().Throw<InvalidDataException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void A_model_file_or_a_single_read_of_many_is_named_as_such()
    {
        var model = new GaussianMixture(2).Fit(Rows2D());
        using var stream = new MemoryStream();
        model.Save(stream);
        FluentActions.Invoking(() => StatisticsSerializer.Deserialize(stream.ToArray(), GaussianFamily.Create(CovarianceType.Full, 2, 1e-6)))
            .Should().Throw<InvalidDataException>().WithMessage("*is a model file*not a statistics file*");
        FluentActions.Invoking(() => StatisticsSerializer.DeserializeSingle(StatisticsSerializer.SerializeToBytes(GaussianStatistics(Full, 2), Full), Full))
            .Should().Throw<InvalidDataException>().WithMessage("*$.count*2 statistics objects but 1 is expected*");
    }

    [Fact]
    public void Values_the_statistics_reject_are_named_by_path()
    {
        var bernoulli = new BernoulliFamily(2);
        var s = bernoulli.CreateStatistics(null);
        s.Accumulate([1, 0, 1, 1], [1, 1]);
        string json = Encoding.UTF8.GetString(StatisticsSerializer.SerializeSingle(s, bernoulli));
        var bad = Edit(json, root => root["statistics"]![0]!["missingWeights"]![1] = 5.0);
        FluentActions.Invoking(() => StatisticsSerializer.Deserialize(Encoding.UTF8.GetBytes(bad), bernoulli))
            .Should().Throw<InvalidDataException>().WithMessage("*$.statistics[0]*missingWeights*");

        var categorical = new CategoricalFamily(3);
        var c = categorical.CreateStatistics(null);
        c.Accumulate([0, 2, 2], [1, 1, 1]);
        string cjson = Encoding.UTF8.GetString(StatisticsSerializer.SerializeSingle(c, categorical));
        FluentActions.Invoking(() => StatisticsSerializer.Deserialize(Encoding.UTF8.GetBytes(cjson), new CategoricalFamily(4)))
            .Should().Throw<InvalidDataException>().WithMessage("*$.statistics[0].weightedCounts: the array has 3 elements but 4 are expected*");
    }

    [Fact]
    public void Product_and_student_t_statistics_are_checked_part_by_part()
    {
        var product = new ProductFamily(3, [Marginal.Gaussian([0, 1], CovarianceType.Diagonal), Marginal.Poisson(2)]);
        var ps = product.CreateStatistics(null);
        ps.Accumulate([0.5, 1.5, 2, -0.5, 0.25, 4], [1, 0.5]);
        string json = Encoding.UTF8.GetString(StatisticsSerializer.SerializeSingle(ps, product));
        FluentActions.Invoking(() => StatisticsSerializer.Deserialize(Encoding.UTF8.GetBytes(Edit(json, root => root["statistics"]![0]!["parts"]!.AsArray().RemoveAt(1))), product))
            .Should().Throw<InvalidDataException>().WithMessage("*$.statistics[0].parts: the array has 1 elements but 2 are expected*");
        FluentActions.Invoking(() => StatisticsSerializer.Deserialize(Encoding.UTF8.GetBytes(Edit(json, root => root["statistics"]![0]!["parts"]![1]!["weightedSum"] = "x")), product))
            .Should().Throw<InvalidDataException>().WithMessage("*$.statistics[0].parts[1].weightedSum*");

        var t = new StudentTFamily(2, 1e-6, 5, DegreesOfFreedomEstimation.PerComponent);
        var fit = new MixtureEstimator<StudentTComponent, StudentTStatistics>(t, new MixtureOptions { ComponentCount = 1 }).Fit(Rows2D());
        var ts = t.CreateStatistics(fit.Components[0]);
        ts.Accumulate([0.1, 0.2, 1.5, -0.3], [1, 1]);
        string tjson = Encoding.UTF8.GetString(StatisticsSerializer.SerializeSingle(ts, t));
        FluentActions.Invoking(() => StatisticsSerializer.Deserialize(Encoding.UTF8.GetBytes(Edit(tjson, root => root["statistics"]![0]!["current"]!["precisionCholesky"]![0] = 123.0)), t))
            .Should().Throw<InvalidDataException>().WithMessage("*$.statistics[0].current.precisionCholesky*does not belong to the scale matrix*");
        var back = StatisticsSerializer.DeserializeSingle(Encoding.UTF8.GetBytes(tjson), t);
        back.Current!.DegreesOfFreedom.Should().Be(fit.Components[0].DegreesOfFreedom);
        back.LogWeightTerm.Should().Be(ts.LogWeightTerm);
    }

    [Fact]
    public void A_user_family_saves_and_loads_its_model_and_statistics_bit_exactly()
    {
        var family = new ExponentialFamily();
        var data = ExponentialRows(21, 600);
        var model = new MixtureEstimator<ExponentialComponent, ExponentialStatistics>(family, new MixtureOptions { ComponentCount = 2, Seed = 1 }).Fit(data);
        using var stream = new MemoryStream();
        MixtureModelSerializer.Save(model, stream, family);
        stream.Position = 0;
        var loaded = MixtureModelSerializer.Load(stream, family);
        loaded.LogDensity(data).Should().Equal(model.LogDensity(data));
        loaded.Weights.Should().Equal(model.Weights);
        loaded.Report.LowerBoundHistory.Should().Equal(model.Report.LowerBoundHistory);
        loaded.TrainingLabels.Should().Equal(model.TrainingLabels);
        JsonNode.Parse(stream.ToArray())!["kind"]!.GetValue<string>().Should().Be("FittedMixtureModel<Exponential>");

        var s = family.CreateStatistics(null);
        s.Accumulate([0.3, 1.7, 0.9], [0.25, 1, 0.5]);
        var back = StatisticsSerializer.DeserializeSingle(StatisticsSerializer.SerializeSingle(s, family), family);
        back.TotalWeight.Should().Be(s.TotalWeight);
        back.WeightedSum.Should().Be(s.WeightedSum);
    }

    [Fact]
    public void A_user_familys_bad_files_are_named_by_path_and_kind()
    {
        var family = new ExponentialFamily();
        var data = ExponentialRows(22, 300);
        var model = new MixtureEstimator<ExponentialComponent, ExponentialStatistics>(family, new MixtureOptions { ComponentCount = 2 }).Fit(data);
        using var stream = new MemoryStream();
        MixtureModelSerializer.Save(model, stream, family);
        string json = Encoding.UTF8.GetString(stream.ToArray());

        Load(Edit(json, root => root["components"]![1]!.AsObject().Remove("rate"))).Should().Throw<InvalidDataException>().WithMessage("*$.components[1]*");
        Load(Edit(json, root => root["components"]![0]!["rate"] = -2.0)).Should().Throw<InvalidDataException>().WithMessage("*$.components[0]*rate must be positive*");
        Load(Edit(json, root => root["components"]![0]!["rate"] = "fast")).Should().Throw<InvalidDataException>().WithMessage("*$.components[0]*");
        Load(Edit(json, root => root["components"]!.AsArray().RemoveAt(0))).Should().Throw<InvalidDataException>().WithMessage("*$.components: the array has 1 elements but 2 are expected*");
        var gaussian = new GaussianMixture(2).Fit(Rows2D());
        using var other = new MemoryStream();
        gaussian.Save(other);
        Load(Encoding.UTF8.GetString(other.ToArray())).Should().Throw<InvalidDataException>().WithMessage("*holds a GaussianMixtureModel, not a FittedMixtureModel<Exponential>*");

        var statistics = StatisticsSerializer.SerializeSingle(new ExponentialStatistics(1, 2), family);
        string sjson = Encoding.UTF8.GetString(statistics);
        FluentActions.Invoking(() => StatisticsSerializer.Deserialize(Encoding.UTF8.GetBytes(Edit(sjson, root => root["statistics"]![0]!["weightedSum"] = -1.0)), family))
            .Should().Throw<InvalidDataException>().WithMessage("*$.statistics[0]*non-negative*");
        FluentActions.Invoking(() => StatisticsSerializer.Deserialize(Encoding.UTF8.GetBytes(Edit(sjson, root => root["statistics"]![0]!.AsObject().Remove("totalWeight"))), family))
            .Should().Throw<InvalidDataException>().WithMessage("*$.statistics[0]*");

        // A family without converters says what to implement.
        var plain = new PlainFamily();
        FluentActions.Invoking(() => StatisticsSerializer.SerializeSingle(new ExponentialStatistics(), plain)).Should().Throw<NotSupportedException>().WithMessage("*IStatisticsJsonConverter<ExponentialStatistics>*");
        FluentActions.Invoking(() => MixtureModelSerializer.Save(model, new MemoryStream(), plain)).Should().Throw<NotSupportedException>().WithMessage("*IComponentJsonConverter<ExponentialComponent>*");

        Func<object> Load(string text) => () => MixtureModelSerializer.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)), family);
    }

    [Fact]
    public void A_user_family_is_fitted_online()
    {
        var family = new ExponentialFamily();
        var blocks = Enumerable.Range(0, 8).Select(i => (DataMatrix)ExponentialRows(30 + i, 500)).ToList();
        var online = new OnlineMixtureEstimator<ExponentialComponent, ExponentialStatistics>(family, new MixtureOptions { ComponentCount = 2, Seed = 2 }).Fit(blocks, epochs: 2);
        var rates = online.Components.Select(c => c.Rate).Order().ToArray();
        rates[0].Should().BeInRange(0.7, 1.4, "the slow component's rate is 1");
        rates[1].Should().BeInRange(7, 14, "the fast component's rate is 10");
    }

    private static GaussianStatistics[] GaussianStatistics(GaussianFamily family, int count)
    {
        var rows = Rows(3, 300, family.Dimension);
        return [.. Enumerable.Range(0, count).Select(k =>
        {
            var s = family.CreateStatistics(null);
            s.Accumulate(rows, Enumerable.Range(0, 300).Select(n => 1.0 / (1 + ((n + k) % 5))).ToArray());
            return s;
        })];
    }

    private static double[] Scatter(GaussianStatistics s) => ((FullScatterStatistics)s).Scatter.ToArray();

    private static double[] Rows(int seed, int n, int d)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n * d).Select(i => 1e3 + (random.NextDouble() * (1 + (i % d))))];
    }

    private static double[,] Rows2D()
    {
        var random = new Random(5);
        var rows = new double[100, 2];
        for (int n = 0; n < 100; n++)
        {
            rows[n, 0] = (n % 2 * 5) + random.NextDouble();
            rows[n, 1] = (n % 2 * 3) + random.NextDouble();
        }

        return rows;
    }

    private static double[,] ExponentialRows(int seed, int n)
    {
        var random = new Random(seed);
        var rows = new double[n, 1];
        for (int i = 0; i < n; i++)
        {
            rows[i, 0] = -Math.Log(1 - random.NextDouble()) / (i % 2 == 0 ? 1 : 10);
        }

        return rows;
    }

    private static string Edit(string json, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        edit(root);
        return root.ToJsonString();
    }

    /// <summary>The exponential family without its converters.</summary>
    private sealed class PlainFamily : IComponentFamily<ExponentialComponent, ExponentialStatistics>
    {
        private readonly ExponentialFamily _inner = new();

        public int Dimension => 1;

        public int ParameterCount(int componentCount) => componentCount;

        public ExponentialStatistics CreateStatistics(ExponentialComponent? current) => new();

        public void ResetStatistics(ExponentialStatistics statistics, ExponentialComponent? current) => statistics.Clear();

        public void Estimate(ReadOnlySpan<ExponentialStatistics> statistics, Span<ExponentialComponent> destination) => _inner.Estimate(statistics, destination);
    }
}
