using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests;

/// <summary>
/// The Bernoulli-mixture estimator on binarised digits (scikit-learn's bundled 8 × 8 digits, pixel &gt; 7), against an
/// independent numpy EM (References/generate_bernoulli_references.py), and its fitting and input contracts.
/// </summary>
public sealed class BernoulliMixtureTests
{
    private sealed record NumpyReference(
        int K,
        int Iterations,
        double[] Start_weights,
        double[][] Start_probabilities,
        double[] Weights,
        double[][] Probabilities,
        double Mean_log_likelihood,
        double[] Lower_bounds);

    [Fact]
    public void Reaches_the_numpy_reference_from_the_same_start()
    {
        var x = Digits();
        var reference = Reference();
        var options = new BernoulliMixtureOptions
        {
            ComponentCount = reference.K,
            Tolerance = 0,
            MaxIterations = reference.Iterations,
            InitialWeights = reference.Start_weights,
            InitialProbabilities = Matrix<double>.Build.DenseOfRowArrays(reference.Start_probabilities),
        };

        var model = new BernoulliMixture(options).Fit(x);

        model.IterationCount.Should().Be(reference.Iterations);
        model.MeanLogLikelihood(x).Should().BeApproximately(reference.Mean_log_likelihood, 1e-9 * Math.Abs(reference.Mean_log_likelihood));
        model.Report.LowerBoundHistory.Should().HaveCount(reference.Lower_bounds.Length);
        for (int i = 0; i < reference.Lower_bounds.Length; i++)
        {
            model.Report.LowerBoundHistory[i].Should().BeApproximately(reference.Lower_bounds[i], 1e-9 * Math.Abs(reference.Lower_bounds[i]));
        }

        var probabilities = model.GetProbabilities();
        for (int k = 0; k < reference.K; k++)
        {
            model.Weights[k].Should().BeApproximately(reference.Weights[k], 1e-8 * Math.Max(1e-3, reference.Weights[k]));
            for (int d = 0; d < probabilities.ColumnCount; d++)
            {
                probabilities[k, d].Should().BeApproximately(reference.Probabilities[k][d], 1e-8 * Math.Max(1e-3, reference.Probabilities[k][d]));
            }
        }
    }

    [Theory]
    [InlineData(InitializationMethod.KMeans)]
    [InlineData(InitializationMethod.RandomResponsibilities)]
    [InlineData(InitializationMethod.RandomFromData)]
    public void Lower_bound_never_decreases_and_labels_agree_with_predict(InitializationMethod initialization)
    {
        var x = Digits();
        var model = new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 6, Initialization = initialization, MaxIterations = 40, Tolerance = 0, Seed = 3 }).Fit(x);

        var history = model.Report.LowerBoundHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])));
        }

        model.Predict(x).Should().Equal(model.TrainingLabels);
        model.Weights.Sum().Should().BeApproximately(1.0, 1e-12);
        model.GetProbabilities().Enumerate().Should().OnlyContain(p => p >= 1e-10 && p <= 1 - 1e-10);
    }

    [Fact]
    public void Integer_sample_weights_equal_repeated_rows()
    {
        var x = Digits(rows: 300);
        var weights = Enumerable.Range(0, 300).Select(i => (double)(1 + (i % 3))).ToArray();
        var repeated = Enumerable.Range(0, 300).SelectMany(i => Enumerable.Repeat(i, (int)weights[i])).Select(i => Row(x, i)).ToArray();
        var start = new BernoulliMixtureOptions
        {
            ComponentCount = 4,
            Tolerance = 0,
            MaxIterations = 15,
            InitialWeights = [0.25, 0.25, 0.25, 0.25],
            InitialProbabilities = Matrix<double>.Build.Dense(4, 64, (k, d) => 0.2 + (0.15 * k) + (0.001 * d)),
        };

        var weighted = new BernoulliMixture(start).Fit(x, weights);
        var byRepetition = new BernoulliMixture(start).Fit(repeated);

        weighted.MeanLogLikelihood(x, weights).Should().BeApproximately(byRepetition.MeanLogLikelihood(repeated), 1e-10);
        var a = weighted.GetProbabilities();
        var b = byRepetition.GetProbabilities();
        for (int k = 0; k < 4; k++)
        {
            weighted.Weights[k].Should().BeApproximately(byRepetition.Weights[k], 1e-10);
            for (int d = 0; d < 64; d++)
            {
                a[k, d].Should().BeApproximately(b[k, d], 1e-10);
            }
        }
    }

    [Fact]
    public void Parameter_count_and_information_criteria_follow_their_formulas()
    {
        var x = Digits(rows: 200);
        var model = new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 3, MaxIterations = 5 }).Fit(x);

        model.ParameterCount.Should().Be((3 * 64) + 2);
        double total = model.LogDensity(x).Sum();
        model.BayesianInformationCriterion(x).Should().BeApproximately((-2 * total) + (model.ParameterCount * Math.Log(200)), 1e-8);
        model.AkaikeInformationCriterion(x).Should().BeApproximately((-2 * total) + (2 * model.ParameterCount), 1e-8);
    }

    [Fact]
    public void Non_binary_data_is_rejected_naming_the_row_and_column()
    {
        var x = Digits(rows: 50);
        x[7, 12] = 0.5;
        var fit = () => new BernoulliMixture(2).Fit(x);
        fit.Should().Throw<ArgumentException>().WithMessage("*[7, 12] = 0.5*not 0 or 1*").Which.ParamName.Should().Be("data");

        var model = new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 2, MaxIterations = 3 }).Fit(Digits(rows: 50));
        var query = () => model.Predict(x);
        query.Should().Throw<ArgumentException>().WithMessage("*[7, 12] = 0.5*");
    }

    [Fact]
    public void Bad_starting_parameters_and_early_queries_give_typed_exceptions()
    {
        var x = Digits(rows: 40);
        var wrongShape = () => new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 2, InitialProbabilities = Matrix<double>.Build.Dense(2, 3, 0.5) }).Fit(x);
        wrongShape.Should().Throw<ArgumentException>().WithMessage("*InitialProbabilities is 2 × 3*2 × 64*");

        var outside = () => new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 2, InitialProbabilities = Matrix<double>.Build.Dense(2, 64, 1.0) }).Fit(x);
        outside.Should().Throw<ArgumentException>().WithMessage("*InitialProbabilities[0, 0] = 1*between 0 and 1*");

        var badCount = () => new BernoulliMixture(0);
        badCount.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("ComponentCount");

        var early = () => new BernoulliMixture(2).FittedModel;
        early.Should().Throw<NotFittedException>();
    }

    [Fact]
    public void Inputs_are_not_modified()
    {
        var x = Digits(rows: 120);
        var copy = (double[,])x.Clone();
        var weights = Enumerable.Range(0, 120).Select(i => 0.5 + (i % 2)).ToArray();
        var weightsCopy = (double[])weights.Clone();

        var model = new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 3, MaxIterations = 10 }).Fit(x, weights);
        model.PredictProbabilities(x);

        x.Should().BeEquivalentTo(copy, o => o.WithStrictOrdering());
        weights.Should().Equal(weightsCopy);
    }

    private static double[,] Digits(int rows = int.MaxValue)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "bernoulli", "digits-binary.txt")).Where(l => l.Length > 0).Take(rows).ToArray();
        var x = new double[lines.Length, lines[0].Length];
        for (int i = 0; i < lines.Length; i++)
        {
            for (int j = 0; j < lines[i].Length; j++)
            {
                x[i, j] = lines[i][j] == '1' ? 1 : 0;
            }
        }

        return x;
    }

    private static double[] Row(double[,] x, int i) => Enumerable.Range(0, x.GetLength(1)).Select(j => x[i, j]).ToArray();

    private static NumpyReference Reference() =>
        JsonSerializer.Deserialize<NumpyReference>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "bernoulli", "digits-k10.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
}
