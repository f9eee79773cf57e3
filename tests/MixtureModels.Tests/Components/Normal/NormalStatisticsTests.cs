using MixtureModels.Components.Normal;

namespace MixtureModels.Tests.Components.Normal;

public sealed class NormalStatisticsTests
{
    internal static (double[] Rows, double[] Weights) Data(int n, int seed, double offset = 0)
    {
        var random = new Random(seed);
        var rows = new double[n];
        var weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            rows[i] = offset + (3 * (random.NextDouble() - 0.3));
            weights[i] = i % 6 == 0 ? 0 : random.NextDouble() * 2;
        }

        return (rows, weights);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e8)]
    public void Two_halves_with_different_references_merged_equal_all_at_once_and_the_brute_force_moments(double offset)
    {
        var (rows, weights) = Data(401, 1, offset);
        double reference = offset + 0.25;
        var once = new NormalStatistics(reference);
        once.Accumulate(rows, weights);
        var a = new NormalStatistics(offset - 2);
        var b = new NormalStatistics(); // centred on its first row
        a.Accumulate(rows.AsSpan(0, 200), weights.AsSpan(0, 200));
        b.Accumulate(rows.AsSpan(200), weights.AsSpan(200));
        var merged = new NormalStatistics(reference);
        merged.Merge(a);
        merged.Merge(b);

        b.Reference.Should().Be(rows[200]);
        AssertMoments(once, rows, weights, reference);
        AssertMoments(merged, rows, weights, reference);
        merged.WeightedSum.Should().BeApproximately(once.WeightedSum, 1e-9 * Math.Sqrt(once.TotalWeight * once.Scatter));
        merged.Scatter.ShouldBeClose(once.Scatter, 1e-10);
    }

    [Fact]
    public void Merging_into_empty_statistics_takes_the_other_reference()
    {
        var (rows, weights) = Data(50, 2, 1e8);
        var a = new NormalStatistics();
        a.Accumulate(rows, weights);
        var target = new NormalStatistics();
        target.Merge(new NormalStatistics()); // nothing accumulated: no reference taken
        target.Reference.Should().BeNull();
        target.Merge(a);
        target.Reference.Should().Be(a.Reference);
        target.WeightedSum.Should().Be(a.WeightedSum);
        target.Scatter.Should().Be(a.Scatter);
        target.TotalWeight.Should().Be(a.TotalWeight);
    }

    [Fact]
    public void FromValues_round_trips_and_estimates_like_the_original()
    {
        var (rows, weights) = Data(90, 3, 1e8);
        var original = new NormalStatistics(1e8);
        original.Accumulate(rows, weights);
        var restored = NormalStatistics.FromValues(original.TotalWeight, original.Reference, original.WeightedSum, original.Scatter);
        restored.TotalWeight.Should().Be(original.TotalWeight);
        restored.Reference.Should().Be(original.Reference);
        restored.WeightedSum.Should().Be(original.WeightedSum);
        restored.Scatter.Should().Be(original.Scatter);

        var family = new NormalFamily();
        var x = new NormalComponent[1];
        var y = new NormalComponent[1];
        family.Estimate(new NormalStatistics[] { original }, x);
        family.Estimate(new NormalStatistics[] { restored }, y);
        y[0].Mean.Should().Be(x[0].Mean);
        y[0].Variance.Should().Be(x[0].Variance);

        NormalStatistics.FromValues(0, null, 0, 0).Reference.Should().BeNull();
    }

    [Theory]
    [InlineData(-1.0, 0.0, 0.0, 0.0, "totalWeight")]
    [InlineData(1.0, 0.0, double.NaN, 0.0, "weightedSum")]
    [InlineData(1.0, 0.0, 0.0, -1.0, "scatter")]
    [InlineData(1.0, double.PositiveInfinity, 0.0, 0.0, "reference")]
    public void FromValues_rejects_bad_values_naming_the_parameter(double w, double reference, double s, double scatter, string parameter)
    {
        var act = () => NormalStatistics.FromValues(w, reference, s, scatter);
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be(parameter);
    }

    [Fact]
    public void FromValues_without_a_reference_but_with_weight_throws()
    {
        var act = () => NormalStatistics.FromValues(2, null, 0, 0);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "reference" && e.Message.Contains("totalWeight = 2"));
    }

    [Fact]
    public void Clear_keeps_the_reference_and_merging_another_kind_throws()
    {
        var s = new NormalStatistics(4);
        s.Accumulate(new double[] { 1, 2 }, new double[] { 1, 1 });
        s.Clear();
        s.TotalWeight.Should().Be(0);
        s.WeightedSum.Should().Be(0);
        s.Scatter.Should().Be(0);
        s.Reference.Should().Be(4);

        var act = () => s.Merge(null!);
        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("other");
    }

    private static void AssertMoments(NormalStatistics s, double[] rows, double[] weights, double reference)
    {
        double w = 0, sum = 0, scatter = 0;
        for (int n = 0; n < rows.Length; n++)
        {
            double d = rows[n] - reference;
            w += weights[n];
            sum += weights[n] * d;
            scatter += weights[n] * d * d;
        }

        s.Reference.Should().Be(reference);
        s.TotalWeight.ShouldBeClose(w, 1e-13);
        s.WeightedSum.Should().BeApproximately(sum, 1e-10 * Math.Sqrt(w * scatter));
        s.Scatter.ShouldBeClose(scatter, 1e-10);
    }
}
