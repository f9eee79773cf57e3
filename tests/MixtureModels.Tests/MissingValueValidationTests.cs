namespace MixtureModels.Tests;

/// <summary>The boundary rules of missing-value support: what NaN means with each setting, and the inputs that stay invalid.</summary>
public sealed class MissingValueValidationTests
{
    private static double[,] Data()
    {
        var x = TestData.Iris(out _);
        x[3, 1] = double.NaN;
        return x;
    }

    [Fact]
    public void With_the_default_setting_NaN_is_invalid_and_named_by_row_and_column()
    {
        var fit = () => new GaussianMixture(2).Fit(Data());
        fit.Should().Throw<ArgumentException>().WithMessage("*NaN at row 3, column 1*").Which.ParamName.Should().Be("data");
    }

    [Fact]
    public void With_marginalisation_a_row_with_every_entry_missing_is_rejected()
    {
        var x = Data();
        for (int j = 0; j < 4; j++)
        {
            x[7, j] = double.NaN;
        }

        var fit = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, MissingValues = MissingValueHandling.Marginalize }).Fit(x);
        fit.Should().Throw<ArgumentException>().WithMessage("*row 7 has every entry missing*Drop the row*").Which.ParamName.Should().Be("data");
    }

    [Fact]
    public void With_marginalisation_a_column_never_observed_is_rejected()
    {
        var x = Data();
        for (int i = 0; i < x.GetLength(0); i++)
        {
            x[i, 2] = double.NaN;
        }

        var fit = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Diagonal, MissingValues = MissingValueHandling.Marginalize }).Fit(x);
        fit.Should().Throw<ArgumentException>().WithMessage("*column 2 is never observed*Drop the column*");
    }

    [Fact]
    public void With_marginalisation_infinity_is_still_invalid()
    {
        var x = Data();
        x[5, 0] = double.NegativeInfinity;
        var fit = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, MissingValues = MissingValueHandling.Marginalize }).Fit(x);
        fit.Should().Throw<ArgumentException>().WithMessage("*-Infinity at row 5, column 0*");
    }

    [Fact]
    public void Impute_needs_a_model_fitted_with_missing_value_support()
    {
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, MaxIterations = 5 }).Fit(TestData.Iris(out _));
        model.MissingValues.Should().Be(MissingValueHandling.Reject);
        var impute = () => model.Impute(Data());
        impute.Should().Throw<InvalidOperationException>().WithMessage("*MissingValueHandling.Marginalize*");
    }

    [Fact]
    public void An_undefined_setting_is_out_of_range()
    {
        var create = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, MissingValues = (MissingValueHandling)7 });
        create.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("MissingValues");
    }
}
