using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using Xunit.Abstractions;

namespace MixtureModels.Tests;

/// <summary>
/// The product-of-marginals estimator on a real mixed table — iris, its four measurements as one full-covariance
/// Gaussian block and the species as a 3-level categorical column (0 = setosa, 1 = versicolor, 2 = virginica) — against
/// an independent numpy EM (References/generate_iris_product_reference.py) started from the same point.
/// </summary>
public sealed class ProductMixtureIrisParityTests(ITestOutputHelper output)
{
    private const double RelativeTolerance = 1e-8;

    private static readonly string[] SpeciesLevels = ["setosa", "versicolor", "virginica"];

    private sealed record Start(double[] Weights, double[][] Means, double[][][] Covariances, double[][] Categorical);

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
        double[][] Categorical,
        double Mean_log_likelihood);

    [Fact]
    public void Iris_with_species_as_a_categorical_column_reaches_the_numpy_reference_from_the_same_start()
    {
        var x = IrisTable();
        var reference = LoadReference();
        x.GetLength(0).Should().Be(reference.Rows);
        reference.Dirichlet_alpha.Should().Be(0);
        var options = new ProductMixtureOptions
        {
            ComponentCount = reference.K,
            Marginals = [Marginal.Gaussian([0, 1, 2, 3], CovarianceType.Full, reference.Regularization), Marginal.Categorical(4, reference.Levels)],
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
            marginals.Should().HaveCount(2);
            var gaussian = marginals[0].Should().BeOfType<FullGaussian>().Subject;
            worst.CheckFullGaussian(gaussian, reference.Means[k], reference.Covariances[k], k);

            var categorical = marginals[1].Should().BeOfType<CategoricalComponent>().Subject;
            for (int l = 0; l < reference.Levels; l++)
            {
                worst.Check(categorical.Probabilities[l], reference.Categorical[k][l], $"categorical[{k}][{l}]");
            }
        }

        output.WriteLine($"largest relative disagreement: {worst.Name}");
        worst.Relative.Should().BeLessThanOrEqualTo(RelativeTolerance, $"the largest disagreement is {worst.Name}");
    }

    private static IReadOnlyList<IReadOnlyList<IComponent>> StartMarginals(Start start) =>
        Enumerable.Range(0, start.Weights.Length).Select(k => (IReadOnlyList<IComponent>)
        [
            FullGaussian.WithMeanCovariance(start.Means[k], Matrix<double>.Build.DenseOfRowArrays(start.Covariances[k])),
            CategoricalComponent.WithProbabilities(start.Categorical[k]),
        ]).ToArray();

    /// <summary>Iris as a 150 × 5 mixed table: the four measurements, then the species as level 0, 1 or 2.</summary>
    private static double[,] IrisTable()
    {
        var measurements = TestData.Iris(out var species);
        int n = measurements.GetLength(0);
        var table = new double[n, 5];
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < 4; c++)
            {
                table[r, c] = measurements[r, c];
            }

            int level = Array.IndexOf(SpeciesLevels, species[r]);
            level.Should().BeGreaterThanOrEqualTo(0, $"row {r} has species '{species[r]}'");
            table[r, 4] = level;
        }

        return table;
    }

    private static NumpyReference LoadReference() =>
        JsonSerializer.Deserialize<NumpyReference>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "product", "iris-k3.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
}
