using System.Text;
using System.Text.Json.Nodes;
using MixtureModels.Components;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Normal;

namespace MixtureModels.Tests.Components.Categorical;

/// <summary>
/// A categorical column with values of its own (4, 6, 8 cylinders) fits, queries, samples and saves exactly as the
/// same column recoded by hand to 0, 1, 2: the independent reference is the coded fit.
/// </summary>
public sealed class CategoricalLevelsTests
{
    private static readonly double[] Cylinders = [4, 6, 8];

    /// <summary>Two groups: a normal column and a cylinder column; <paramref name="coded"/> writes the level index instead of the value.</summary>
    private static double[,] Table(bool coded, int rows = 300, int seed = 3)
    {
        var random = new Random(seed);
        var x = new double[rows, 2];
        for (int i = 0; i < rows; i++)
        {
            bool small = i % 3 != 0;
            x[i, 0] = (small ? 25.0 : 15.0) + (2 * ((random.NextDouble() + random.NextDouble() + random.NextDouble()) - 1.5));
            double u = random.NextDouble();
            int level = small ? (u < 0.7 ? 0 : u < 0.95 ? 1 : 2) : (u < 0.1 ? 0 : u < 0.4 ? 1 : 2);
            x[i, 1] = coded ? level : Cylinders[level];
        }

        return x;
    }

    private static ProductMixtureModel Fit(double[,] x, Marginal categorical) =>
        new ProductMixture(new ProductMixtureOptions { ComponentCount = 2, Seed = 5, Marginals = [Marginal.Normal(0), categorical] }).Fit(x);

    [Fact]
    public void Level_values_give_the_fit_of_the_column_coded_by_hand()
    {
        var valued = Fit(Table(coded: false), Marginal.Categorical(1, Cylinders));
        var coded = Fit(Table(coded: true), Marginal.Categorical(1, levelCount: 3));

        valued.Weights.Should().Equal(coded.Weights);
        valued.Report.LowerBoundHistory.Should().Equal(coded.Report.LowerBoundHistory);
        for (int k = 0; k < 2; k++)
        {
            var a = valued.Components[k].GetMarginal<CategoricalComponent>(1);
            var b = coded.Components[k].GetMarginal<CategoricalComponent>(1);
            a.Probabilities.ToArray().Should().Equal(b.Probabilities.ToArray());
            a.Levels.Should().Equal(Cylinders);
            b.Levels.Should().Equal(0.0, 1.0, 2.0);
            valued.Components[k].GetMarginal<NormalComponent>(0).Mean.Should().Be(coded.Components[k].GetMarginal<NormalComponent>(0).Mean);
        }

        valued.LogDensity(Table(coded: false, seed: 9)).Should().Equal(coded.LogDensity(Table(coded: true, seed: 9)));
        valued.Predict(Table(coded: false, seed: 9)).Should().Equal(coded.Predict(Table(coded: true, seed: 9)));
        valued.Predict([24.0, 6.0]).Should().Be(coded.Predict([24.0, 1.0]));
    }

    [Fact]
    public void The_levels_are_reported_and_samples_are_drawn_as_level_values()
    {
        var marginal = Marginal.Categorical(1, Cylinders, 1.0);
        marginal.Levels.Should().Equal(Cylinders);
        Marginal.Categorical(1, levelCount: 3).Levels.Should().Equal(0.0, 1.0, 2.0);
        Marginal.Normal(0).Levels.Should().BeNull();

        var valued = Fit(Table(coded: false), Marginal.Categorical(1, Cylinders));
        var coded = Fit(Table(coded: true), Marginal.Categorical(1, levelCount: 3));
        var a = valued.Sample(200, new Random(4));
        var b = coded.Sample(200, new Random(4));
        a.Labels.Should().Equal(b.Labels);
        for (int i = 0; i < 200; i++)
        {
            a.Rows[i, 0].Should().Be(b.Rows[i, 0]);
            a.Rows[i, 1].Should().Be(Cylinders[(int)b.Rows[i, 1]]);
        }

        valued.Components[0].ToString().Should().Contain("levels = [4, 6, 8]");
    }

    [Fact]
    public void A_value_that_is_not_a_level_is_rejected_by_name_at_fit_and_query_time()
    {
        var x = Table(coded: false);
        x[7, 1] = 5;
        var fit = () => Fit(x, Marginal.Categorical(1, Cylinders));
        fit.Should().Throw<ArgumentException>().WithMessage("*5*column 1*one of the levels [4, 6, 8]*");

        var model = Fit(Table(coded: false), Marginal.Categorical(1, Cylinders));
        ((Action)(() => model.LogDensity(new double[,] { { 20, 2 } }))).Should().Throw<ArgumentException>().WithMessage("*2*one of the levels [4, 6, 8]*");
        ((Action)(() => model.Predict([20.0, 1.0]))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Bad_level_lists_are_rejected_with_the_fix()
    {
        ((Action)(() => Marginal.Categorical(1, [4.0, 8.0, 6.0]))).Should().Throw<ArgumentException>().WithMessage("*levels[2] = 6 does not exceed levels[1] = 8*increasing order*").Which.ParamName.Should().Be("levels");
        ((Action)(() => Marginal.Categorical(1, [4.0, 4.0]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("levels");
        ((Action)(() => Marginal.Categorical(1, []))).Should().Throw<ArgumentException>().WithMessage("*empty*").Which.ParamName.Should().Be("levels");
        ((Action)(() => Marginal.Categorical(1, [1.0, double.NaN]))).Should().Throw<ArgumentException>().WithMessage("*not finite*");
        ((Action)(() => CategoricalComponent.WithProbabilities([0.5, 0.5], [1.0, 2.0, 3.0]))).Should().Throw<ArgumentException>().WithMessage("*3 values*2*").Which.ParamName.Should().Be("levels");
    }

    [Fact]
    public void A_component_with_level_values_has_the_density_and_mean_of_its_definition()
    {
        var component = CategoricalComponent.WithProbabilities([0.2, 0.5, 0.3], Cylinders);
        component.LogDensity([6.0]).Should().Be(Math.Log(0.5));
        component.LogDensity([8.0]).Should().Be(Math.Log(0.3));
        component.LogDensity([7.0]).Should().Be(double.NegativeInfinity);
        component.LogDensity([1.0]).Should().Be(double.NegativeInfinity);
        var mean = new double[1];
        component.ConditionalMean([double.NaN], mean);
        mean[0].Should().BeApproximately((4 * 0.2) + (6 * 0.5) + (8 * 0.3), 1e-14);

        // Levels that are exactly 0, …, L − 1 are the coded component.
        CategoricalComponent.WithProbabilities([0.2, 0.8], [0.0, 1.0]).ToString().Should().Be(CategoricalComponent.WithProbabilities([0.2, 0.8]).ToString());
    }

    [Fact]
    public void A_starting_component_must_have_the_marginal_levels()
    {
        var start = new[] { 0.5, 0.5 }.Select(_ => (IReadOnlyList<IComponent>)[NormalComponent.WithMeanVariance(20, 4), CategoricalComponent.WithProbabilities([0.3, 0.3, 0.4])]).ToArray();
        var options = new ProductMixtureOptions { ComponentCount = 2, Marginals = [Marginal.Normal(0), Marginal.Categorical(1, Cylinders)], InitialMarginals = start };
        ((Action)(() => new ProductMixture(options))).Should().Throw<ArgumentException>().WithMessage("*levels 0 to 2*levels [4, 6, 8]*WithProbabilities(probabilities, levels)*");

        var valuedStart = new[] { 0.5, 0.5 }.Select(_ => (IReadOnlyList<IComponent>)[NormalComponent.WithMeanVariance(20, 4), CategoricalComponent.WithProbabilities([0.3, 0.3, 0.4], Cylinders)]).ToArray();
        var model = new ProductMixture(options with { InitialMarginals = valuedStart }).Fit(Table(coded: false));
        model.Components[0].GetMarginal<CategoricalComponent>(1).Levels.Should().Equal(Cylinders);
    }

    [Fact]
    public void A_saved_model_keeps_its_levels_bit_for_bit_and_a_bad_level_list_in_a_file_is_named()
    {
        var model = Fit(Table(coded: false), Marginal.Categorical(1, Cylinders));
        using var stream = new MemoryStream();
        model.Save(stream);
        var loaded = ProductMixtureModel.Load(new MemoryStream(stream.ToArray()));
        loaded.Components[1].GetMarginal<CategoricalComponent>(1).Levels.Should().Equal(Cylinders);
        loaded.LogDensity(Table(coded: false, seed: 2)).Should().Equal(model.LogDensity(Table(coded: false, seed: 2)));

        var json = JsonNode.Parse(stream.ToArray())!.AsObject();
        json["marginals"]![1]!["levels"] = new JsonArray(4.0, 8.0, 6.0);
        var unordered = () => ProductMixtureModel.Load(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())));
        unordered.Should().Throw<InvalidDataException>().WithMessage("*$.marginals[1].levels*increase strictly*");

        json["marginals"]![1]!["levels"] = new JsonArray(4.0, 8.0);
        var short_ = () => ProductMixtureModel.Load(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())));
        short_.Should().Throw<InvalidDataException>().WithMessage("*levels*");
    }
}
