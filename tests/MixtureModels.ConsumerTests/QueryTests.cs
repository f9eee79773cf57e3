using MixtureModels.CustomComponent.VonMises;

namespace MixtureModels.ConsumerTests;

/// <summary>The fitted model's queries on a family written outside the library.</summary>
public sealed class QueryTests
{
    private static readonly Lazy<FittedMixtureModel<VonMisesComponent>> Model = new(() =>
        new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(
            new VonMisesFamily(),
            new MixtureOptions { ComponentCount = 3, Tolerance = 1e-9, MaxIterations = 500 })
        {
            Start = WindData.Start(),
        }.Fit(WindData.Column(WindData.Raw)));

    [Fact]
    public void LogDensity_is_the_log_of_the_weighted_sum_of_component_densities()
    {
        var model = Model.Value;
        double[] x = WindData.Raw;
        double[] logDensity = model.LogDensity(WindData.Column(x));

        for (int n = 0; n < x.Length; n++)
        {
            double p = 0;
            for (int k = 0; k < model.ComponentCount; k++)
            {
                var c = model.Components[k];
                p += model.Weights[k] * Math.Exp(c.Concentration * Math.Cos(x[n] - c.Mean)) / (2 * Math.PI * BesselI.ScaledI0(c.Concentration) * Math.Exp(c.Concentration));
            }

            logDensity[n].Should().BeApproximately(Math.Log(p), 1e-12, $"row {n}");
        }
    }

    [Fact]
    public void The_density_integrates_to_one_over_the_circle()
    {
        var model = Model.Value;
        const int m = 4096;
        double[] logDensity = model.LogDensity(WindData.Column(Enumerable.Range(0, m).Select(j => (2 * Math.PI * j / m) - Math.PI)));
        (logDensity.Sum(Math.Exp) * 2 * Math.PI / m).Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void Probabilities_sum_to_one_and_predictions_are_the_training_labels()
    {
        var model = Model.Value;
        var data = WindData.Column(WindData.Raw);
        double[,] probabilities = model.PredictProbabilities(data);
        int[] labels = model.Predict(data);

        labels.Should().Equal(model.TrainingLabels);
        labels.Distinct().Should().HaveCountGreaterThan(1);
        for (int n = 0; n < data.Rows; n++)
        {
            double sum = 0;
            int argmax = 0;
            for (int k = 0; k < model.ComponentCount; k++)
            {
                probabilities[n, k].Should().BeInRange(0, 1);
                sum += probabilities[n, k];
                argmax = probabilities[n, k] > probabilities[n, argmax] ? k : argmax;
            }

            sum.Should().BeApproximately(1, 1e-12, $"row {n}");
            labels[n].Should().Be(argmax, $"row {n}");
        }
    }

    [Fact]
    public void Bic_counts_two_parameters_per_component_plus_the_weights()
    {
        var model = Model.Value;
        var data = WindData.Column(WindData.Raw);
        double n = data.Rows;
        double logLikelihood = model.MeanLogLikelihood(data) * n;

        model.ParameterCount.Should().Be((2 * 3) + 2);
        model.BayesianInformationCriterion(data).Should().BeApproximately((-2 * logLikelihood) + (8 * Math.Log(n)), 1e-9);
        model.AkaikeInformationCriterion(data).Should().BeApproximately((-2 * logLikelihood) + 16, 1e-9);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.02, -2.0)]
    [InlineData(1.0, 3.1)]
    [InlineData(12.0, 0.7)]
    [InlineData(900.0, -3.1)]
    public void Best_Fisher_draws_have_the_von_Mises_moments(double kappa, double mean)
    {
        var component = new VonMisesComponent(mean, kappa);
        var random = new Random(5);
        const int n = 200_000;
        double sumCos = 0;
        double sumSin = 0;
        double sumCos2 = 0;
        var draw = new double[1];
        for (int i = 0; i < n; i++)
        {
            component.Sample(random, draw);
            draw[0].Should().BeInRange(-Math.PI, Math.PI);
            double c = Math.Cos(draw[0] - mean);
            sumCos += c;
            sumCos2 += Math.Cos(2 * (draw[0] - mean));
            sumSin += Math.Sin(draw[0] - mean);
        }

        // E[cos(x − μ)] = A(κ), E[sin(x − μ)] = 0, E[cos 2(x − μ)] = I₂(κ)/I₀(κ) = 1 − 2A(κ)/κ; each within 5 standard errors (≤ 1/√n).
        double a = BesselI.Ratio(kappa);
        double a2 = kappa == 0 ? 0 : 1 - (2 * a / kappa);
        double tolerance = 5 / Math.Sqrt(n);
        (sumCos / n).Should().BeApproximately(a, tolerance);
        (sumSin / n).Should().BeApproximately(0, tolerance);
        (sumCos2 / n).Should().BeApproximately(a2, tolerance);
    }
}
