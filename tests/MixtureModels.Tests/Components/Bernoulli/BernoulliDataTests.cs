using MixtureModels.Components.Bernoulli;

namespace MixtureModels.Tests.Components.Bernoulli;

public sealed class BernoulliDataTests
{
    [Fact]
    public void Binary_data_passes()
    {
        DataMatrix data = new double[,] { { 0, 1, 1 }, { 1, 0, 0 }, { -0.0, 1, 0 } };

        var act = () => BernoulliData.EnsureBinary(data, "data");

        act.Should().NotThrow();
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_value_other_than_zero_or_one_is_named_by_row_and_column(double bad)
    {
        DataMatrix data = new double[,] { { 0, 1, 1 }, { 1, 0, bad }, { 7, 1, 0 } };

        var act = () => BernoulliData.EnsureBinary(data, "data");

        var e = act.Should().Throw<ArgumentException>().Which;
        e.ParamName.Should().Be("data");
        e.Message.Should().Contain($"data[1, 2] = {bad.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not 0 or 1").And.Contain("threshold");
    }

    [Fact]
    public void Null_data_is_rejected()
    {
        var act = () => BernoulliData.EnsureBinary(null!, "x");
        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("x");
    }
}
