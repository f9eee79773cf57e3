using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;

namespace MixtureModels.Tests;

/// <summary>
/// The product-of-marginals estimator on a mixed table (two correlated reals, two binary columns, a 3-level categorical
/// column, a count column) against an independent numpy EM (References/generate_product_references.py), started from
/// the same point through <see cref="ProductMixtureOptions.InitialWeights"/> and
/// <see cref="ProductMixtureOptions.InitialMarginals"/>; and the validation of that starting point.
/// </summary>
public sealed class ProductMixtureParityTests
{
    private const double RelativeTolerance = 1e-8;

    private sealed record Start(double[] Weights, double[][] Means, double[][][] Covariances, double[][] Bernoulli, double[][] Categorical, double[] Rates);

    private sealed record NumpyReference(
        int K,
        int Iterations,
        int Rows,
        double Regularization,
        double Dirichlet_alpha,
        int Levels,
        Start Start,
        double[] Lower_bounds,
        double[] Weights,
        double[][] Means,
        double[][][] Covariances,
        double[][] Bernoulli,
        double[][] Categorical,
        double[] Rates,
        double Mean_log_likelihood);

    [Fact]
    public void Reaches_the_numpy_reference_from_the_same_start()
    {
        var x = MixedTable();
        var reference = LoadReference();
        var options = Options(reference) with
        {
            Tolerance = 0,
            MaxIterations = reference.Iterations,
            InitialWeights = reference.Start.Weights,
            InitialMarginals = StartMarginals(reference.Start),
        };

        var model = new ProductMixture(options).Fit(x);

        var worst = new WorstDisagreement();
        worst.CheckFit(model, x, reference.Iterations, reference.Lower_bounds, reference.Mean_log_likelihood);
        for (int k = 0; k < reference.K; k++)
        {
            worst.Check(model.Weights[k], reference.Weights[k], $"weight {k}");
            var marginals = model.Components[k].Marginals;
            var gaussian = marginals[0].Should().BeOfType<FullGaussian>().Subject;
            worst.CheckFullGaussian(gaussian, reference.Means[k], reference.Covariances[k], k);

            var bernoulli = marginals[1].Should().BeOfType<BernoulliComponent>().Subject;
            for (int d = 0; d < 2; d++)
            {
                worst.Check(bernoulli.Probabilities[d], reference.Bernoulli[k][d], $"Bernoulli[{k}][{d}]");
            }

            var categorical = marginals[2].Should().BeOfType<CategoricalComponent>().Subject;
            for (int l = 0; l < reference.Levels; l++)
            {
                worst.Check(categorical.Probabilities[l], reference.Categorical[k][l], $"categorical[{k}][{l}]");
            }

            worst.Check(marginals[3].Should().BeOfType<PoissonComponent>().Subject.Rate, reference.Rates[k], $"rate[{k}]");
        }

        worst.Relative.Should().BeLessThanOrEqualTo(RelativeTolerance, $"the largest disagreement is {worst.Name}");
    }

    [Fact]
    public void Lower_bound_never_decreases_from_the_reference_start_without_a_prior()
    {
        // The reference fit smooths the categorical with a Dirichlet α = 0.5, so EM maximises the posterior and the
        // mean log-likelihood may dip (both sides dip by 1.39e-8 at iteration 8). With α = 0 it is plain EM: monotone.
        var x = MixedTable();
        var reference = LoadReference();
        var options = Options(reference) with
        {
            Marginals = [Marginal.Gaussian([0, 1]), Marginal.Bernoulli([2, 3]), Marginal.Categorical(4, 3), Marginal.Poisson(5)],
            Tolerance = 0,
            MaxIterations = 30,
            InitialWeights = reference.Start.Weights,
            InitialMarginals = StartMarginals(reference.Start),
        };

        var history = new ProductMixture(options).Fit(x).Report.LowerBoundHistory;

        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])));
        }
    }

    [Fact]
    public void Weights_alone_or_marginals_alone_replace_only_their_part_of_the_initialisers_start()
    {
        var x = MixedTable();
        var reference = LoadReference();
        var fitOne = Options(reference) with { Tolerance = 0, MaxIterations = 1 };

        // With one iteration, the first lower bound is the mean log-likelihood of the starting point itself.
        var complete = new ProductMixture(fitOne with { InitialWeights = reference.Start.Weights, InitialMarginals = StartMarginals(reference.Start) }).Fit(x);
        complete.Report.LowerBoundHistory[0].Should().BeApproximately(reference.Lower_bounds[0], 1e-8 * Math.Abs(reference.Lower_bounds[0]));

        // Marginals alone: all K components equal, so the bound cannot depend on the initialiser's weights.
        var same = StartMarginals(reference.Start)[0];
        var marginalsOnly = new ProductMixture(fitOne with { InitialMarginals = [same, same, same] }).Fit(x);
        double expected = 0;
        for (int n = 0; n < x.GetLength(0); n++)
        {
            var row = Reference.Row(x, n);
            expected += same[0].LogDensity(row.AsSpan(0, 2)) + same[1].LogDensity(row.AsSpan(2, 2)) + same[2].LogDensity(row.AsSpan(4, 1)) + same[3].LogDensity(row.AsSpan(5, 1));
        }

        marginalsOnly.Report.LowerBoundHistory[0].Should().BeApproximately(expected / x.GetLength(0), 1e-12 * Math.Abs(expected / x.GetLength(0)));

        // Weights alone: the initialiser's components with other weights give another bound than the initialiser alone.
        var initialiser = new ProductMixture(fitOne).Fit(x);
        var weightsOnly = new ProductMixture(fitOne with { InitialWeights = [0.98, 0.01, 0.01] }).Fit(x);
        weightsOnly.Report.LowerBoundHistory[0].Should().BeLessThan(initialiser.Report.LowerBoundHistory[0]);
    }

    [Fact]
    public void Tied_start_blocks_share_one_covariance_and_fit()
    {
        var x = MixedTable();
        var covariance = Matrix<double>.Build.DenseOfArray(new[,] { { 2.0, 0.5 }, { 0.5, 1.5 } });
        var options = new ProductMixtureOptions
        {
            ComponentCount = 2,
            Tolerance = 0,
            MaxIterations = 5,
            Marginals = [Marginal.Gaussian([0, 1], CovarianceType.Tied), Marginal.Bernoulli([2, 3]), Marginal.Categorical(4, 3), Marginal.Poisson(5)],
            InitialWeights = [0.5, 0.5],
            InitialMarginals =
            [
                [FullGaussian.WithMeanCovariance([0.0, 0.0], covariance), BernoulliComponent.WithProbabilities([0.4, 0.6]), CategoricalComponent.WithProbabilities([0.2, 0.3, 0.5]), PoissonComponent.WithRate(2)],
                [FullGaussian.WithMeanCovariance([2.0, 2.0], covariance), BernoulliComponent.WithProbabilities([0.6, 0.4]), CategoricalComponent.WithProbabilities([0.5, 0.3, 0.2]), PoissonComponent.WithRate(6)],
            ],
        };

        var model = new ProductMixture(options).Fit(x);

        model.Components[0].Marginals[0].Should().BeOfType<FullGaussian>().Which.GetCovariance()
            .Should().Be(((FullGaussian)model.Components[1].Marginals[0]).GetCovariance());
    }

    // ---- validation ------------------------------------------------------------------------------------------------

    [Fact]
    public void Rejects_weights_of_the_wrong_count_or_not_summing_to_one()
    {
        var wrongCount = () => new ProductMixture(ValidOptions() with { InitialWeights = [0.5, 0.5] });
        wrongCount.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialWeights has 2 values but there are 3 components*one weight per component*").And.ParamName.Should().Be("InitialWeights");

        var notOne = () => new ProductMixture(ValidOptions() with { InitialWeights = [0.5, 0.3, 0.3] });
        notOne.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialWeights sums to 1.1*not 1*Divide the weights by their sum*").And.ParamName.Should().Be("InitialWeights");

        var negative = () => new ProductMixture(ValidOptions() with { InitialWeights = [1.2, -0.1, -0.1] });
        negative.Should().ThrowExactly<ArgumentException>().WithMessage("InitialWeights[1] = -0.1*non-negative*");
    }

    [Fact]
    public void Rejects_marginals_of_the_wrong_count()
    {
        var valid = ValidOptions();
        var components = () => new ProductMixture(valid with { InitialMarginals = valid.InitialMarginals!.Take(2).ToArray() });
        components.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals has 2 entries but ComponentCount is 3*one list of marginal components per mixture component*").And.ParamName.Should().Be("InitialMarginals");

        var perComponent = valid.InitialMarginals!.ToArray();
        perComponent[1] = perComponent[1].Take(3).ToArray();
        var marginals = () => new ProductMixture(valid with { InitialMarginals = perComponent });
        marginals.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[1] has 3 marginal components but Marginals has 4*one component per Marginal, in the order of Marginals*");

        perComponent[1] = null!;
        var nullList = () => new ProductMixture(valid with { InitialMarginals = perComponent });
        nullList.Should().ThrowExactly<ArgumentException>().WithMessage("InitialMarginals[1] is null but Marginals has 4*");
    }

    [Fact]
    public void Rejects_a_component_of_the_wrong_type_for_its_marginal()
    {
        var poissonForBernoulli = () => new ProductMixture(Replace(2, 1, PoissonComponent.WithRate(1)));
        poissonForBernoulli.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[2][1] is a PoissonComponent but Marginals[1] (Bernoulli on columns 2, 3) needs a BernoulliComponent of dimension 2*BernoulliComponent.WithProbabilities*")
            .And.ParamName.Should().Be("InitialMarginals");

        var diagonalForFull = () => new ProductMixture(Replace(0, 0, DiagonalGaussian.WithMeanVariances([0.0, 0.0], [1.0, 1.0])));
        diagonalForFull.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[0][0] is a DiagonalGaussian but Marginals[0] (Gaussian block with Full covariance on columns 0, 1) needs a FullGaussian of dimension 2*FullGaussian.WithMeanCovariance*");

        var normalForPoisson = () => new ProductMixture(Replace(1, 3, NormalComponent.WithMeanVariance(1, 1)));
        normalForPoisson.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[1][3] is a NormalComponent but Marginals[3] (Poisson on column 5) needs a PoissonComponent*PoissonComponent.WithRate*");

        var missing = () => new ProductMixture(Replace(1, 2, null!));
        missing.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[1][2] is null but Marginals[2] (Categorical with 3 levels on column 4) needs a CategoricalComponent with 3 levels*");

        var normalMarginal = () => new ProductMixture(new ProductMixtureOptions
        {
            ComponentCount = 1,
            Marginals = [Marginal.Normal(0), Marginal.Gaussian([1, 2], CovarianceType.Spherical)],
            InitialMarginals = [[PoissonComponent.WithRate(1), SphericalGaussian.WithMeanVariance([0.0, 0.0], 1)]],
        });
        normalMarginal.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[0][0] is a PoissonComponent but Marginals[0] (Normal on column 0) needs a NormalComponent*NormalComponent.WithMeanVariance*");

        var fullForSpherical = () => new ProductMixture(new ProductMixtureOptions
        {
            ComponentCount = 1,
            Marginals = [Marginal.Normal(0), Marginal.Gaussian([1, 2], CovarianceType.Spherical)],
            InitialMarginals = [[NormalComponent.WithMeanVariance(0, 1), FullGaussian.WithMeanCovariance([0.0, 0.0], Matrix<double>.Build.DenseIdentity(2))]],
        });
        fullForSpherical.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[0][1] is a FullGaussian but Marginals[1] (Gaussian block with Spherical covariance on columns 1, 2) needs a SphericalGaussian of dimension 2*SphericalGaussian.WithMeanVariance*");
    }

    [Fact]
    public void Rejects_a_component_of_the_wrong_dimension_or_level_count()
    {
        var bernoulli = () => new ProductMixture(Replace(0, 1, BernoulliComponent.WithProbabilities([0.5, 0.5, 0.5])));
        bernoulli.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[0][1] is a BernoulliComponent of dimension 3 but Marginals[1] (Bernoulli on columns 2, 3) needs a BernoulliComponent of dimension 2*one probability per column (2)*");

        var gaussian = () => new ProductMixture(Replace(2, 0, FullGaussian.WithMeanCovariance([0.0, 0.0, 0.0], Matrix<double>.Build.DenseIdentity(3))));
        gaussian.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[2][0] is a FullGaussian of dimension 3 but Marginals[0] (Gaussian block with Full covariance on columns 0, 1) needs a FullGaussian of dimension 2*");

        var levels = () => new ProductMixture(Replace(1, 2, CategoricalComponent.WithProbabilities([0.25, 0.25, 0.25, 0.25])));
        levels.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[1][2] is a CategoricalComponent with 4 levels but Marginals[2] (Categorical with 3 levels on column 4) needs a CategoricalComponent with 3 levels*one probability per level (3)*")
            .And.ParamName.Should().Be("InitialMarginals");
    }

    [Fact]
    public void Rejects_tied_blocks_that_do_not_share_one_covariance()
    {
        var a = Matrix<double>.Build.DenseOfArray(new[,] { { 2.0, 0.5 }, { 0.5, 1.5 } });
        var b = Matrix<double>.Build.DenseOfArray(new[,] { { 2.0, 0.5 }, { 0.5, 1.25 } });
        var options = new ProductMixtureOptions
        {
            ComponentCount = 2,
            Marginals = [Marginal.Poisson(0), Marginal.Gaussian([1, 2], CovarianceType.Tied)],
            InitialMarginals =
            [
                [PoissonComponent.WithRate(1), FullGaussian.WithMeanCovariance([0.0, 0.0], a)],
                [PoissonComponent.WithRate(2), FullGaussian.WithMeanCovariance([1.0, 1.0], b)],
            ],
        };

        var act = () => new ProductMixture(options);

        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("InitialMarginals[1][1] has covariance[1, 1] = 1.25 but InitialMarginals[0][1] has 1.5, and Marginals[1] (Gaussian block with Tied covariance on columns 1, 2) has tied covariance*FullGaussian.WithMeanCovariance from the same covariance matrix*")
            .And.ParamName.Should().Be("InitialMarginals");

        var shared = () => new ProductMixture(options with { InitialMarginals = [options.InitialMarginals![0], [PoissonComponent.WithRate(2), FullGaussian.WithMeanCovariance([1.0, 1.0], a)]] });
        shared.Should().NotThrow();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static ProductMixtureOptions Options(NumpyReference reference) => new()
    {
        ComponentCount = reference.K,
        Marginals =
        [
            Marginal.Gaussian([0, 1], CovarianceType.Full, reference.Regularization),
            Marginal.Bernoulli([2, 3]),
            Marginal.Categorical(4, reference.Levels, reference.Dirichlet_alpha),
            Marginal.Poisson(5),
        ],
    };

    private static IReadOnlyList<IReadOnlyList<IComponent>> StartMarginals(Start start) =>
        Enumerable.Range(0, start.Weights.Length).Select(k => (IReadOnlyList<IComponent>)
        [
            FullGaussian.WithMeanCovariance(start.Means[k], Matrix<double>.Build.DenseOfRowArrays(start.Covariances[k])),
            BernoulliComponent.WithProbabilities(start.Bernoulli[k]),
            CategoricalComponent.WithProbabilities(start.Categorical[k]),
            PoissonComponent.WithRate(start.Rates[k]),
        ]).ToArray();

    private static ProductMixtureOptions ValidOptions()
    {
        var reference = LoadReference();
        return Options(reference) with { InitialWeights = reference.Start.Weights, InitialMarginals = StartMarginals(reference.Start) };
    }

    /// <summary>The valid options with component <paramref name="c"/>'s marginal <paramref name="m"/> replaced.</summary>
    private static ProductMixtureOptions Replace(int c, int m, IComponent replacement)
    {
        var valid = ValidOptions();
        var marginals = valid.InitialMarginals!.Select(row => row.ToArray()).ToArray();
        marginals[c][m] = replacement;
        return valid with { InitialMarginals = marginals };
    }

    private static double[,] MixedTable()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "product", "mixed.csv")).Skip(1).Where(l => l.Length > 0).ToArray();
        var result = new double[lines.Length, 6];
        for (int i = 0; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',');
            for (int j = 0; j < 6; j++)
            {
                result[i, j] = double.Parse(fields[j], CultureInfo.InvariantCulture);
            }
        }

        return result;
    }

    private static NumpyReference LoadReference() =>
        JsonSerializer.Deserialize<NumpyReference>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "product", "mixed-k3.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
}
