using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests.Fitting;

/// <summary>MixtureOptions.InitialLabels and InitialResponsibilities: the first M-step starts from them, for every estimator.</summary>
public sealed class InitialResponsibilitiesTests
{
    private static readonly double[,] Data = BayesianGaussianMixtureTests.ThreeClusters(20, seed: 6);

    [Fact]
    public void The_first_lower_bound_is_that_of_the_class_estimates_of_the_labels()
    {
        int n = Data.GetLength(0);
        var random = new Random(8);
        var labels = Enumerable.Range(0, n).Select(_ => random.Next(3)).ToArray();
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, InitialLabels = labels, MaxIterations = 1, Tolerance = 0 }).Fit(Data);

        // Written out: per label, its share, its mean and its covariance (+ reg_covar), then the mean log-likelihood.
        var weights = new double[3];
        var means = new double[3][];
        var covariances = new Matrix<double>[3];
        for (int k = 0; k < 3; k++)
        {
            var rows = Enumerable.Range(0, n).Where(i => labels[i] == k).ToArray();
            weights[k] = rows.Length / (double)n;
            means[k] = [rows.Average(i => Data[i, 0]), rows.Average(i => Data[i, 1])];
            var c = Matrix<double>.Build.Dense(2, 2);
            foreach (int i in rows)
            {
                var v = Vector<double>.Build.Dense([Data[i, 0] - means[k][0], Data[i, 1] - means[k][1]]);
                c += v.OuterProduct(v);
            }

            covariances[k] = (c / rows.Length) + (1e-6 * Matrix<double>.Build.DenseIdentity(2));
        }

        double expected = 0;
        for (int i = 0; i < n; i++)
        {
            double p = 0;
            for (int k = 0; k < 3; k++)
            {
                p += weights[k] * Math.Exp(Reference.GaussianLogDensity([Data[i, 0], Data[i, 1]], means[k], covariances[k]));
            }

            expected += Math.Log(p) / n;
        }

        model.Report.LowerBoundHistory[0].Should().BeApproximately(expected, 1e-10 * Math.Abs(expected));
    }

    [Fact]
    public void Soft_responsibilities_start_every_initialisation_at_the_same_point()
    {
        int n = Data.GetLength(0);
        var random = new Random(2);
        var responsibilities = new double[n, 3];
        for (int i = 0; i < n; i++)
        {
            double a = random.NextDouble(), b = random.NextDouble(), c = random.NextDouble();
            responsibilities[i, 0] = a / (a + b + c);
            responsibilities[i, 1] = b / (a + b + c);
            responsibilities[i, 2] = 1 - responsibilities[i, 0] - responsibilities[i, 1];
        }

        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, InitialResponsibilities = responsibilities, InitializationCount = 3, CovarianceType = CovarianceType.Diagonal }).Fit(Data);
        model.Report.InitializationLowerBounds.Distinct().Should().ContainSingle();
    }

    [Fact]
    public void Bad_starting_responsibilities_and_labels_are_named()
    {
        int n = Data.GetLength(0);
        var fit = (Action<GaussianMixtureOptions>)(o => new GaussianMixture(o).Fit(Data));
        var wrongLength = new GaussianMixtureOptions { ComponentCount = 3, InitialLabels = new int[n - 1] };
        FluentActions.Invoking(() => fit(wrongLength)).Should().Throw<ArgumentException>().WithParameterName("InitialLabels").WithMessage($"*{n - 1} entries*{n} rows*");
        var outOfRange = new GaussianMixtureOptions { ComponentCount = 3, InitialLabels = [.. Enumerable.Repeat(3, n)] };
        FluentActions.Invoking(() => fit(outOfRange)).Should().Throw<ArgumentException>().WithParameterName("InitialLabels").WithMessage("*InitialLabels[0] = 3*[0, 3)*");
        var notNormalised = new double[n, 3];
        notNormalised[0, 0] = 0.5;
        var badRows = new GaussianMixtureOptions { ComponentCount = 3, InitialResponsibilities = notNormalised };
        FluentActions.Invoking(() => fit(badRows)).Should().Throw<ArgumentException>().WithParameterName("InitialResponsibilities").WithMessage("*Row 0*sums to 0.5*");
        var negative = new double[n, 3];
        for (int i = 0; i < n; i++)
        {
            negative[i, 0] = 1;
        }

        negative[4, 1] = -0.25;
        negative[4, 0] = 1.25;
        var badValue = new GaussianMixtureOptions { ComponentCount = 3, InitialResponsibilities = negative };
        FluentActions.Invoking(() => fit(badValue)).Should().Throw<ArgumentException>().WithParameterName("InitialResponsibilities").WithMessage("*[4, 1] = -0.25*");
        FluentActions.Invoking(() => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, InitialResponsibilities = new double[n, 3] }))
            .Should().Throw<ArgumentException>().WithParameterName("InitialResponsibilities").WithMessage("*3 columns*ComponentCount is 2*");
        FluentActions.Invoking(() => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, InitialResponsibilities = new double[n, 3], InitialLabels = new int[n] }))
            .Should().Throw<ArgumentException>().WithParameterName("InitialLabels");
    }
}
