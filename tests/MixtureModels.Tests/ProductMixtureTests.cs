using MixtureModels.Components.Product;

namespace MixtureModels.Tests;

/// <summary>
/// The product-of-marginals estimator: special cases that must reproduce the dedicated estimators exactly, the density
/// as a sum of independent marginal densities, monotone EM on a mixed table, and its input contracts.
/// </summary>
public sealed class ProductMixtureTests
{
    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void One_Gaussian_block_over_all_columns_is_the_Gaussian_mixture(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var gaussian = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, Seed = 5, MaxIterations = 30, Tolerance = 0 }).Fit(x);
        var product = new ProductMixture(new ProductMixtureOptions { ComponentCount = 3, Seed = 5, MaxIterations = 30, Tolerance = 0, Marginals = [Marginal.Gaussian([0, 1, 2, 3], type)] }).Fit(x);

        product.ParameterCount.Should().Be(gaussian.ParameterCount);
        product.MeanLogLikelihood(x).Should().BeApproximately(gaussian.MeanLogLikelihood(x), 1e-12);
        product.TrainingLabels.Should().Equal(gaussian.TrainingLabels);
        for (int k = 0; k < 3; k++)
        {
            product.Weights[k].Should().BeApproximately(gaussian.Weights[k], 1e-12);
        }
    }

    [Fact]
    public void Independent_normal_marginals_are_the_diagonal_Gaussian_mixture()
    {
        var x = TestData.Iris(out _);
        var diagonal = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = CovarianceType.Diagonal, Seed = 2, MaxIterations = 40, Tolerance = 0 }).Fit(x);
        var product = new ProductMixture(new ProductMixtureOptions
        {
            ComponentCount = 3,
            Seed = 2,
            MaxIterations = 40,
            Tolerance = 0,
            Marginals = [Marginal.Normal(0), Marginal.Normal(1), Marginal.Normal(2), Marginal.Normal(3)],
        }).Fit(x);

        product.ParameterCount.Should().Be(diagonal.ParameterCount);
        product.MeanLogLikelihood(x).Should().BeApproximately(diagonal.MeanLogLikelihood(x), 1e-9);
        product.TrainingLabels.Should().Equal(diagonal.TrainingLabels);
    }

    [Fact]
    public void Bernoulli_marginals_over_all_columns_are_the_Bernoulli_mixture()
    {
        var x = BinaryTable(seed: 4, rows: 400, columns: 6);
        var bernoulli = new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 3, Seed = 9, MaxIterations = 25, Tolerance = 0 }).Fit(x);
        var product = new ProductMixture(new ProductMixtureOptions { ComponentCount = 3, Seed = 9, MaxIterations = 25, Tolerance = 0, Marginals = [Marginal.Bernoulli([0, 1, 2]), Marginal.Bernoulli([3, 4, 5])] }).Fit(x);

        product.ParameterCount.Should().Be(bernoulli.ParameterCount);
        product.MeanLogLikelihood(x).Should().BeApproximately(bernoulli.MeanLogLikelihood(x), 1e-10);
    }

    [Fact]
    public void Density_is_the_sum_of_the_marginal_densities_and_EM_is_monotone_on_a_mixed_table()
    {
        var x = MixedTable(seed: 1, rows: 600);
        var options = new ProductMixtureOptions
        {
            ComponentCount = 2,
            MaxIterations = 50,
            Tolerance = 0,
            Initialization = InitializationMethod.RandomResponsibilities,
            Marginals = MixedMarginals(),
        };
        var model = new ProductMixture(options).Fit(x);

        var history = model.Report.LowerBoundHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])));
        }

        // Brute force: log Σ_k π_k Π_m p_km(x[columns_m]), each marginal's density evaluated on its own columns.
        var logDensity = model.LogDensity(x);
        for (int n = 0; n < 50; n++)
        {
            double mixture = 0;
            for (int k = 0; k < model.ComponentCount; k++)
            {
                var component = model.Components[k];
                double log = 0;
                for (int m = 0; m < component.Marginals.Count; m++)
                {
                    var columns = component.ColumnsOf(m);
                    log += component.Marginals[m].LogDensity(columns.Select(c => x[n, c]).ToArray());
                }

                mixture += model.Weights[k] * Math.Exp(log);
            }

            logDensity[n].Should().BeApproximately(Math.Log(mixture), 1e-10 * Math.Max(1, Math.Abs(logDensity[n])));
        }

        // 2 weights − 1, Gaussian block 2 + 3, Bernoulli 2, Categorical 3 − 1, Poisson 1 per component.
        model.ParameterCount.Should().Be(1 + (2 * (5 + 2 + 2 + 1)));
        model.Predict(x).Should().Equal(model.TrainingLabels);

        var sample = model.Sample(2000, new Random(3));
        for (int n = 0; n < 2000; n++)
        {
            sample.Rows[n, 2].Should().BeOneOf(0.0, 1.0);
            sample.Rows[n, 4].Should().BeOneOf(0.0, 1.0, 2.0);
            sample.Rows[n, 5].Should().BeGreaterThanOrEqualTo(0).And.Be(Math.Floor(sample.Rows[n, 5]));
        }
    }

    [Fact]
    public void Values_a_marginal_cannot_model_are_rejected_naming_row_and_column()
    {
        var x = MixedTable(seed: 2, rows: 60);
        var options = new ProductMixtureOptions { ComponentCount = 2, Marginals = MixedMarginals() };

        var badLevel = (double[,])x.Clone();
        badLevel[4, 4] = 3;
        var fitLevel = () => new ProductMixture(options).Fit(badLevel);
        fitLevel.Should().Throw<ArgumentException>().WithMessage("*[4, 4] = 3*Categorical*[0, 3)*").Which.ParamName.Should().Be("data");

        var badCount = (double[,])x.Clone();
        badCount[7, 5] = -1;
        var fitCount = () => new ProductMixture(options).Fit(badCount);
        fitCount.Should().Throw<ArgumentException>().WithMessage("*[7, 5] = -1*Poisson*");

        var badBinary = (double[,])x.Clone();
        badBinary[9, 2] = 0.5;
        var model = new ProductMixture(options with { MaxIterations = 3 }).Fit(x);
        var query = () => model.PredictProbabilities(badBinary);
        query.Should().Throw<ArgumentException>().WithMessage("*[9, 2] = 0.5*Bernoulli*");
    }

    [Fact]
    public void Marginals_must_cover_every_column_exactly_once()
    {
        var x = MixedTable(seed: 3, rows: 30);
        var missing = () => new ProductMixture(new ProductMixtureOptions { ComponentCount = 2, Marginals = [Marginal.Gaussian([0, 1])] }).Fit(x);
        missing.Should().Throw<ArgumentException>().WithMessage("*Column 2 is not covered*");

        var twice = () => new ProductFamily(3, [Marginal.Normal(0), Marginal.Gaussian([0, 1, 2])]);
        twice.Should().Throw<ArgumentException>().WithMessage("*Column 0 is covered by marginals[0] and marginals[1]*");

        var outside = () => new ProductFamily(2, [Marginal.Normal(0), Marginal.Normal(5)]);
        outside.Should().Throw<ArgumentException>().WithMessage("*uses column 5*2 columns*");

        var repeated = () => Marginal.Bernoulli([1, 1]);
        repeated.Should().Throw<ArgumentException>().WithMessage("*repeated*");
    }

    private static Marginal[] MixedMarginals() =>
    [
        Marginal.Gaussian([0, 1], CovarianceType.Full),
        Marginal.Bernoulli([2, 3]),
        Marginal.Categorical(4, levelCount: 3), // no prior, so EM maximises the likelihood and its bound never falls
        Marginal.Poisson(5),
    ];

    /// <summary>Two groups: real pair, two binary, one categorical (3 levels), one count column.</summary>
    private static double[,] MixedTable(int seed, int rows)
    {
        var random = new Random(seed);
        var x = new double[rows, 6];
        for (int n = 0; n < rows; n++)
        {
            bool second = random.NextDouble() < 0.4;
            x[n, 0] = (second ? 3 : -1) + Normal(random);
            x[n, 1] = (0.5 * x[n, 0]) + Normal(random);
            x[n, 2] = random.NextDouble() < (second ? 0.8 : 0.2) ? 1 : 0;
            x[n, 3] = random.NextDouble() < 0.5 ? 1 : 0;
            x[n, 4] = second ? (random.NextDouble() < 0.7 ? 2 : 1) : (random.NextDouble() < 0.7 ? 0 : 1);
            x[n, 5] = Poisson(random, second ? 6 : 1.5);
        }

        return x;
    }

    private static double[,] BinaryTable(int seed, int rows, int columns)
    {
        var random = new Random(seed);
        var x = new double[rows, columns];
        for (int n = 0; n < rows; n++)
        {
            double p = n % 3 == 0 ? 0.8 : 0.3;
            for (int d = 0; d < columns; d++)
            {
                x[n, d] = random.NextDouble() < (d % 2 == 0 ? p : 1 - p) ? 1 : 0;
            }
        }

        return x;
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Poisson(Random random, double rate)
    {
        double limit = Math.Exp(-rate), product = random.NextDouble();
        int count = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            count++;
        }

        return count;
    }
}
