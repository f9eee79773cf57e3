namespace MixtureModels.Tests;

/// <summary>
/// Marginalize and Condition on fitted Student-t mixtures, checked against brute-force numerical integration of the
/// joint density, the joint-over-marginal density ratio, and Impute.
/// </summary>
public sealed class StudentTMixtureConditioningTests
{
    private static double[,] Data(int d, int seed)
    {
        var random = new Random(seed);
        var x = new double[300, d];
        for (int n = 0; n < 300; n++)
        {
            double g = n % 9 == 0 ? 0.1 : 1;
            double z0 = Normal(random), z1 = Normal(random), z2 = Normal(random);
            double shift = n % 2 == 0 ? 0 : 5;
            x[n, 0] = shift + (z0 / Math.Sqrt(g));
            x[n, 1] = (0.8 * z0) + (0.6 * z1 / Math.Sqrt(g)) - shift;
            if (d > 2)
            {
                x[n, 2] = (0.5 * shift) + (((0.4 * z1) + z2) / Math.Sqrt(g));
            }
        }

        return x;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static StudentTMixtureModel Fit(int d, CovarianceType type, MissingValueHandling missing = MissingValueHandling.Reject) =>
        new StudentTMixture(new StudentTMixtureOptions { ComponentCount = 2, CovarianceType = type, Seed = 4, MaxIterations = 60, MissingValues = missing }).Fit(Data(d, 1));

    /// <summary>∫ f(v) dv over the real line by v = centre + w·tan θ and Simpson's rule on θ.</summary>
    private static double Integrate(Func<double, double> f, double centre, double width)
    {
        const int intervals = 20000;
        double a = (-Math.PI / 2) + 1e-9, b = (Math.PI / 2) - 1e-9, h = (b - a) / intervals, sum = 0;
        for (int i = 0; i <= intervals; i++)
        {
            double theta = a + (i * h);
            double value = f(centre + (width * Math.Tan(theta))) * width / (Math.Cos(theta) * Math.Cos(theta));
            sum += (i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2) * value;
        }

        return sum * h / 3;
    }

    public static TheoryData<CovarianceType> AllTypes() => new() { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical };

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Conditional_density_is_the_joint_over_its_numerical_integral(CovarianceType type)
    {
        var model = Fit(2, type);
        foreach (double xa in new[] { -1.0, 2.5, 6.0 })
        {
            var conditional = model.Condition([0], [xa]);
            conditional.Dimension.Should().Be(1);
            conditional.SourceColumns.Should().Equal(1);
            double Joint(double xb) => Math.Exp(model.LogDensity(new[] { xa, xb }));
            double evidence = Integrate(Joint, -2, 3);
            foreach (double xb in new[] { -8.0, -3.0, 0.0, 1.5, 20.0 })
            {
                conditional.LogDensity(new[] { xb }).Should().BeApproximately(Math.Log(Joint(xb) / evidence), 1e-7, $"x_a = {xa}, x_b = {xb}");
            }

            // E[x_b | x_a] and Var[x_b | x_a] by integration against the closed-form moments.
            double mean = Integrate(v => v * Joint(v), -2, 3) / evidence;
            double second = Integrate(v => (v - mean) * (v - mean) * Joint(v), -2, 3) / evidence;
            conditional.GetMixtureMean()[0].Should().BeApproximately(mean, 1e-6 * Math.Max(1, Math.Abs(mean)));
            conditional.GetMixtureCovariance()[0, 0].Should().BeApproximately(second, 1e-5 * second);
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Marginal_density_is_the_joint_integrated_over_the_other_column(CovarianceType type)
    {
        var model = Fit(2, type);
        var marginal = model.Marginalize([1]);
        marginal.GetDegreesOfFreedom().Should().Equal(model.GetDegreesOfFreedom());
        marginal.Weights.Should().Equal(model.Weights);
        foreach (double xb in new[] { -9.0, -4.0, 0.3, 3.0 })
        {
            double integral = Integrate(v => Math.Exp(model.LogDensity(new[] { v, xb })), 2.5, 3);
            marginal.LogDensity(new[] { xb }).Should().BeApproximately(Math.Log(integral), 1e-7);
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Three_dimensional_conditional_is_the_joint_over_the_marginal(CovarianceType type)
    {
        var model = Fit(3, type);
        double[] xa = [4.0];
        var conditional = model.Condition([2], xa);
        var marginal = model.Marginalize([2]);
        conditional.SourceColumns.Should().Equal(0, 1);
        conditional.GetDegreesOfFreedom().Should().Equal(model.GetDegreesOfFreedom().Select(v => v + 1));
        var random = new Random(5);
        for (int i = 0; i < 10; i++)
        {
            double x0 = (random.NextDouble() * 12) - 4, x1 = (random.NextDouble() * 12) - 8;
            double expected = model.LogDensity(new[] { x0, x1, xa[0] }) - marginal.LogDensity(xa);
            conditional.LogDensity(new[] { x0, x1 }).Should().BeApproximately(expected, 1e-10 * Math.Max(1, Math.Abs(expected)));
        }

        // Conditioning twice equals conditioning on both columns at once (columns listed out of order).
        var twice = conditional.Condition([1], [-2.0]);
        var once = model.Condition([2, 1], [xa[0], -2.0]);
        twice.SourceColumns.Should().Equal(0);
        once.SourceColumns.Should().Equal(0);
        foreach (double x0 in new[] { -3.0, 0.0, 2.0, 7.0 })
        {
            twice.LogDensity(new[] { x0 }).Should().BeApproximately(once.LogDensity(new[] { x0 }), 1e-10);
        }
    }

    [Fact]
    public void Conditioning_on_every_column_but_one_and_taking_the_mean_equals_Impute()
    {
        var model = Fit(3, CovarianceType.Full, MissingValueHandling.Marginalize);
        double[,] rows = { { 1.0, double.NaN, 2.0 }, { double.NaN, -4.0, 3.5 }, { 6.0, -5.0, double.NaN } };
        var imputed = model.Impute(rows);
        for (int i = 0; i < 3; i++)
        {
            int missing = Enumerable.Range(0, 3).First(j => double.IsNaN(rows[i, j]));
            int[] a = [.. Enumerable.Range(0, 3).Where(j => j != missing)];
            var mean = model.Condition(a, [.. a.Select(j => rows[i, j])]).GetMixtureMean();
            mean[0].Should().BeApproximately(imputed[i, missing], 1e-12 * Math.Max(1, Math.Abs(mean[0])));
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Regress_equals_Condition_row_by_row(CovarianceType type)
    {
        var model = Fit(3, type);
        var random = new Random(8);
        var inputs = new double[40, 2];
        for (int i = 0; i < 40; i++)
        {
            inputs[i, 0] = (random.NextDouble() * 10) - 3;
            inputs[i, 1] = (random.NextDouble() * 8) - 2;
        }

        // Input columns out of order: column 0 of inputs is model column 2.
        int[] columns = [2, 0];
        var regression = model.Regress(columns, inputs, includeCovariances: true);
        regression.OutputColumns.Should().Equal(1);
        var means = regression.GetMeans();
        for (int i = 0; i < 40; i++)
        {
            var conditional = model.Condition(columns, [inputs[i, 0], inputs[i, 1]]);
            double mean = conditional.GetMixtureMean()[0], variance = conditional.GetMixtureCovariance()[0, 0];
            means[i, 0].Should().BeApproximately(mean, 1e-12 * Math.Max(1, Math.Abs(mean)));
            regression.GetCovariance(i)[0, 0].Should().BeApproximately(variance, 1e-12 * variance);
        }

        var withoutCovariances = model.Regress(columns, inputs);
        withoutCovariances.HasCovariances.Should().BeFalse();
        withoutCovariances.GetMeans().ToRowMajorArray().Should().Equal(means.ToRowMajorArray());
        FluentActions.Invoking(() => model.Regress(columns, new double[3, 3])).Should().Throw<ArgumentException>().WithParameterName("inputs");
    }

    [Fact]
    public void Conditional_samples_follow_its_moments()
    {
        var model = Fit(2, CovarianceType.Full);
        var conditional = model.Condition([0], [2.0]);
        var sample = conditional.Sample(40000, new Random(3));
        double mean = 0;
        for (int i = 0; i < 40000; i++)
        {
            mean += sample.Rows[i, 0] / 40000;
        }

        double sd = Math.Sqrt(conditional.GetMixtureCovariance()[0, 0]);
        mean.Should().BeApproximately(conditional.GetMixtureMean()[0], 0.05 * sd);
        conditional.ParameterCount.Should().Be(1 + (2 * (1 + 1 + 1)));
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var model = Fit(2, CovarianceType.Full);
        FluentActions.Invoking(() => model.Condition([0], [1.0, 2.0])).Should().Throw<ArgumentException>().WithParameterName("values");
        FluentActions.Invoking(() => model.Condition([0], [double.NaN])).Should().Throw<ArgumentException>().WithParameterName("values");
        FluentActions.Invoking(() => model.Condition([0, 1], [1.0, 2.0])).Should().Throw<ArgumentException>().WithParameterName("columns");
        FluentActions.Invoking(() => model.Marginalize([2])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("columns");
        FluentActions.Invoking(() => model.Marginalize([])).Should().Throw<ArgumentException>().WithParameterName("columns");
    }

    [Fact]
    public void Moments_that_do_not_exist_are_refused()
    {
        var model = new StudentTMixture(new StudentTMixtureOptions
        {
            ComponentCount = 2,
            DegreesOfFreedom = 1.5,
            DegreesOfFreedomEstimation = DegreesOfFreedomEstimation.Fixed,
            Seed = 4,
            MaxIterations = 20,
        }).Fit(Data(2, 2));
        var marginal = model.Marginalize([0]);
        FluentActions.Invoking(() => marginal.GetMixtureCovariance()).Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("ν = 1.5");
        marginal.GetMixtureMean().Count.Should().Be(1);

        // Conditioning on one column adds one degree of freedom: ν = 2.5 has a covariance.
        var conditional = model.Condition([0], [1.0]);
        conditional.GetDegreesOfFreedom().Should().AllBeEquivalentTo(2.5);
        conditional.GetMixtureCovariance()[0, 0].Should().BePositive();
    }
}
