using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.StudentT;

namespace MixtureModels.Tests.Components.StudentT;

public sealed class StudentTComponentTests
{
    private static readonly double[] Mean = [1.0, -2.0, 0.5];

    private static Matrix<double> Scale() => Matrix<double>.Build.DenseOfArray(new[,]
    {
        { 2.0, 0.3, -0.4 },
        { 0.3, 1.5, 0.2 },
        { -0.4, 0.2, 0.8 },
    });

    /// <summary>The multivariate t log-density written out with MathNet's inverse and determinant.</summary>
    private static double WrittenOut(double[] x, double[] mean, Matrix<double> scale, double nu)
    {
        int d = mean.Length;
        var diff = Vector<double>.Build.Dense(d, i => x[i] - mean[i]);
        double delta = diff * scale.Inverse() * diff;
        return SpecialFunctions.GammaLn((nu + d) / 2) - SpecialFunctions.GammaLn(nu / 2) - (d / 2.0 * Math.Log(nu * Math.PI))
            - (0.5 * Math.Log(scale.Determinant())) - ((nu + d) / 2 * Math.Log(1 + (delta / nu)));
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(3.0)]
    [InlineData(25.0)]
    public void Log_density_equals_the_written_out_formula(double nu)
    {
        var t = StudentTComponent.Create(Mean, Scale(), nu);
        var random = new Random(3);
        var rows = new double[20 * 3];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = (random.NextDouble() * 10) - 5;
        }

        var block = new double[20];
        t.LogDensity(rows, block);
        for (int n = 0; n < 20; n++)
        {
            var row = rows.AsSpan(n * 3, 3).ToArray();
            double expected = WrittenOut(row, Mean, Scale(), nu);
            t.LogDensity(row).Should().BeApproximately(expected, 1e-12 * Math.Max(1, Math.Abs(expected)));
            block[n].Should().Be(t.LogDensity(row));
        }
    }

    [Fact]
    public void One_dimensional_density_equals_MathNets_StudentT()
    {
        var t = StudentTComponent.Create([0.3], Matrix<double>.Build.Dense(1, 1, 2.25), 4.5);
        foreach (double x in new[] { -7.0, -1.0, 0.3, 2.0, 40.0 })
        {
            double expected = MathNet.Numerics.Distributions.StudentT.PDFLn(0.3, 1.5, 4.5, x);
            t.LogDensity([x]).Should().BeApproximately(expected, 1e-12);
        }
    }

    [Fact]
    public void Large_degrees_of_freedom_give_the_Gaussian()
    {
        var t = StudentTComponent.Create(Mean, Scale(), 1e10);
        var g = FullGaussian.WithMeanCovariance(Mean, Scale());
        foreach (var row in new[] { new[] { 0.0, 0.0, 0.0 }, new[] { 3.0, -1.0, 2.0 }, new[] { 1.0, -2.0, 0.5 } })
        {
            t.LogDensity(row).Should().BeApproximately(g.LogDensity(row), 1e-6);
        }
    }

    [Theory]
    [InlineData(0.8)]
    [InlineData(2.0)]
    [InlineData(30.0)]
    public void One_dimensional_density_integrates_to_one(double nu)
    {
        var t = StudentTComponent.Create([0.5], Matrix<double>.Build.Dense(1, 1, 1.7), nu);

        // Substitution x = 0.5 + tan(θ) maps the real line to (−π/2, π/2); the integrand stays bounded for ν > 0.
        double integral = Integrate.OnClosedInterval(
            theta =>
            {
                double c = Math.Cos(theta);
                return c == 0 ? 0 : Math.Exp(t.LogDensity([0.5 + Math.Tan(theta)])) / (c * c);
            },
            -Math.PI / 2,
            Math.PI / 2,
            1e-10);
        integral.Should().BeApproximately(1.0, 1e-6);
    }

    [Fact]
    public void Samples_have_the_location_and_covariance_nu_over_nu_minus_2_times_scale()
    {
        const double nu = 7;
        var t = StudentTComponent.Create(Mean, Scale(), nu);
        var random = new Random(11);
        const int n = 200_000;
        var sum = new double[3];
        var second = new double[3, 3];
        var x = new double[3];
        for (int s = 0; s < n; s++)
        {
            t.Sample(random, x);
            for (int i = 0; i < 3; i++)
            {
                sum[i] += x[i];
                for (int j = 0; j < 3; j++)
                {
                    second[i, j] += (x[i] - Mean[i]) * (x[j] - Mean[j]);
                }
            }
        }

        var scale = Scale();
        for (int i = 0; i < 3; i++)
        {
            (sum[i] / n).Should().BeApproximately(Mean[i], 0.02);
            for (int j = 0; j < 3; j++)
            {
                (second[i, j] / n).Should().BeApproximately(scale[i, j] * nu / (nu - 2), 0.08);
            }
        }
    }

    [Fact]
    public void Expected_weight_is_nu_plus_D_over_nu_plus_distance()
    {
        var t = StudentTComponent.Create(Mean, Scale(), 4);
        double[] row = [3.0, 1.0, -1.0];
        var diff = Vector<double>.Build.Dense(3, i => row[i] - Mean[i]);
        double delta = diff * Scale().Inverse() * diff;
        t.ExpectedWeight(row).Should().BeApproximately(7 / (4 + delta), 1e-12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Bad_degrees_of_freedom_are_named(double nu)
    {
        var act = () => StudentTComponent.Create(Mean, Scale(), nu);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("degreesOfFreedom");
    }

    [Fact]
    public void A_scale_that_is_not_positive_definite_is_named()
    {
        var act = () => StudentTComponent.Create([0.0, 0.0], Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, 2.0 }, { 2.0, 1.0 } }), 3);
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("scale");
    }

    [Fact]
    public void Statistics_accumulated_in_two_halves_equal_all_at_once()
    {
        var t = StudentTComponent.Create(Mean, Scale(), 3);
        var random = new Random(5);
        var rows = new double[40 * 3];
        var weights = new double[40];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = (random.NextDouble() * 6) - 3;
        }

        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = random.NextDouble();
        }

        var family = new StudentTFamily(3, 0, 3);
        var all = family.CreateStatistics(t);
        all.Accumulate(rows, weights);
        var first = family.CreateStatistics(null);
        first.Accumulate(rows.AsSpan(0, 60), weights.AsSpan(0, 20));
        var second = family.CreateStatistics(t);
        second.Accumulate(rows.AsSpan(60), weights.AsSpan(20));

        // Different references (the first row vs the current location); the merge moves them.
        var merged = family.CreateStatistics(t);
        var firstUnderT = family.CreateStatistics(null);
        family.ResetStatistics(firstUnderT, t);
        firstUnderT.Accumulate(rows.AsSpan(0, 60), weights.AsSpan(0, 20));
        merged.Merge(firstUnderT);
        merged.Merge(second);
        merged.TotalWeight.Should().BeApproximately(all.TotalWeight, 1e-12);
        merged.ExpectedWeightSum.Should().BeApproximately(all.ExpectedWeightSum, 1e-12);
        merged.LogWeightTerm.Should().BeApproximately(all.LogWeightTerm, 1e-12);
        for (int i = 0; i < 9; i++)
        {
            merged.Scatter[i].Should().BeApproximately(all.Scatter[i], 1e-10);
        }

        // Gaussian statistics (no current component) merge about different first rows.
        var gaussianAll = family.CreateStatistics(null);
        gaussianAll.Accumulate(rows, weights);
        var secondGaussian = family.CreateStatistics(null);
        secondGaussian.Accumulate(rows.AsSpan(60), weights.AsSpan(20));
        first.Merge(secondGaussian);
        var a = new StudentTComponent[1];
        var b = new StudentTComponent[1];
        family.Estimate([first], a);
        family.Estimate([gaussianAll], b);
        for (int i = 0; i < 3; i++)
        {
            a[0].Mean[i].Should().BeApproximately(b[0].Mean[i], 1e-12);
        }

        a[0].GetScale().Subtract(b[0].GetScale()).FrobeniusNorm().Should().BeLessThan(1e-12);
    }
}
