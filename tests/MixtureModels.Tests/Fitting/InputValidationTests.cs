using System.Globalization;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

public sealed class InputValidationTests
{
    private const string OverflowAdvice = "so squared distances and variances overflow: scale the data (for example divide every column by its standard deviation) before fitting.";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void A_column_spanning_an_overflowing_range_is_named_with_its_bounds(int threads)
    {
        // 20 000 × 5: the parallel path. Column 3's extremes lie in different chunks.
        var values = Values(20_000, 5, seed: 1);
        values[(12_345 * 5) + 3] = -1e200;
        values[(17_000 * 5) + 3] = 1e200;
        var act = () => InputValidation.TrainingData(DataMatrix.FromRowMajor(values, 5), 3, "K", maxDegreeOfParallelism: threads);
        act.Should().Throw<ArgumentException>()
            .WithMessage(string.Create(CultureInfo.InvariantCulture, $"data spans [{-1e200}, {1e200}] in column 3, {OverflowAdvice}*"))
            .Which.ParamName.Should().Be("data");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Squared_ranges_that_overflow_only_together_name_the_widest_column(int threads)
    {
        // 1e154² + 1.2e154² overflows though each square is finite; column 2 is the widest.
        var values = Values(20_000, 4, seed: 2);
        values[(100 * 4) + 0] = 1e154;
        values[(19_999 * 4) + 2] = -1.2e154;
        var data = DataMatrix.FromRowMajor(values, 4);
        double min2 = Enumerable.Range(0, 20_000).Min(i => values[(i * 4) + 2]);
        double max2 = Enumerable.Range(0, 20_000).Max(i => values[(i * 4) + 2]);
        min2.Should().Be(-1.2e154);
        var act = () => InputValidation.TrainingData(data, 3, "K", maxDegreeOfParallelism: threads);
        act.Should().Throw<ArgumentException>()
            .WithMessage(string.Create(CultureInfo.InvariantCulture, $"data spans [{min2}, {max2}] in column 2, {OverflowAdvice}*"));
    }

    [Fact]
    public void Finiteness_is_checked_before_the_row_count_and_the_row_count_before_the_spread()
    {
        var nanFew = DataMatrix.FromArray(new[,] { { 1.0, double.NaN }, { 2.0, 3.0 } });
        nanFew.Invoking(d => InputValidation.TrainingData(d, 5, "K")).Should().Throw<ArgumentException>().WithMessage("data contains NaN at row 0, column 1.*");

        var wideFew = DataMatrix.FromArray(new[,] { { 1e200, 0.0 }, { -1e200, 3.0 } });
        wideFew.Invoking(d => InputValidation.TrainingData(d, 5, "K")).Should().Throw<ArgumentException>().WithMessage("data has 2 rows but K is 5.*");
        wideFew.Invoking(d => InputValidation.TrainingData(d, 2, "K")).Should().Throw<ArgumentException>().WithMessage("data spans *column 0, so squared*");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Training_and_query_checks_name_the_first_bad_entry_for_any_thread_count(int threads)
    {
        var values = Values(30_000, 6, seed: 3);
        values[(29_000 * 6) + 1] = double.NaN;
        values[(21_000 * 6) + 4] = double.NegativeInfinity;
        values[(21_000 * 6) + 5] = double.PositiveInfinity;
        var data = DataMatrix.FromRowMajor(values, 6);
        const string expected = "data contains -Infinity at row 21000, column 4.*";
        data.Invoking(d => InputValidation.TrainingData(d, 3, "K", maxDegreeOfParallelism: threads)).Should().Throw<ArgumentException>().WithMessage(expected);
        data.Invoking(d => InputValidation.QueryData(d, 6, maxDegreeOfParallelism: threads)).Should().Throw<ArgumentException>().WithMessage(expected);
    }

    [Fact]
    public void Checked_training_data_is_remembered_as_finite()
    {
        var values = Values(30_000, 6, seed: 4);
        var checkedView = InputValidation.TrainingData(DataMatrix.FromRowMajor(values, 6), 3, "K");
        checkedView.HasMissing.Should().BeFalse();
        checkedView.BlockHasMissing(0, 30_000).Should().BeFalse();

        var copy = DataMatrix.FromArray(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 } });
        InputValidation.TrainingData(copy, 2, "K").Should().BeSameAs(copy);
        copy.HasMissing.Should().BeFalse();
    }

    [Fact]
    public void With_missing_value_support_NaN_is_left_out_of_the_spread_and_infinity_is_rejected()
    {
        var values = Values(20_000, 3, seed: 5);
        values[1] = double.NaN;
        values[(5_000 * 3) + 1] = 1e200;
        values[(15_000 * 3) + 1] = -1e200;
        var act = () => InputValidation.TrainingData(DataMatrix.FromRowMajor(values, 3), 3, "K", MissingValueHandling.Marginalize);
        act.Should().Throw<ArgumentException>().WithMessage(string.Create(CultureInfo.InvariantCulture, $"data spans [{-1e200}, {1e200}] in column 1, {OverflowAdvice}*"));

        values[(5_000 * 3) + 1] = 1;
        values[(15_000 * 3) + 1] = 2;
        var fine = InputValidation.TrainingData(DataMatrix.FromRowMajor(values, 3), 3, "K", MissingValueHandling.Marginalize);
        fine.HasMissing.Should().BeTrue();

        values[(7_000 * 3) + 2] = double.PositiveInfinity;
        act.Should().Throw<ArgumentException>().WithMessage("data contains Infinity at row 7000, column 2. Infinite values are invalid*");
    }

    private static double[] Values(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextDouble() - 0.5) * 10;
        }

        return values;
    }
}
