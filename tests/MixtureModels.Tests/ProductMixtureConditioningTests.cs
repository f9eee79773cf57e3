namespace MixtureModels.Tests;

/// <summary>Conditioning product mixtures on whole marginals: the conditional sums to 1, equals joint over marginal, and keeps the other marginals.</summary>
public sealed class ProductMixtureConditioningTests
{
    /// <summary>Columns: 0 normal, 1–2 Bernoulli, 3 Poisson, 4–5 a full Gaussian block; three groups.</summary>
    private static double[,] Table()
    {
        var random = new Random(11);
        var x = new double[240, 6];
        for (int i = 0; i < 240; i++)
        {
            int g = i % 3;
            x[i, 0] = (2.0 * g) + random.NextDouble();
            x[i, 1] = random.NextDouble() < (g == 0 ? 0.85 : 0.2) ? 1 : 0;
            x[i, 2] = random.NextDouble() < (g == 2 ? 0.9 : 0.3) ? 1 : 0;
            x[i, 3] = random.Next(2 + (3 * g));
            double u = random.NextDouble();
            x[i, 4] = g - 1 + u;
            x[i, 5] = (0.5 * g) + u + (0.3 * random.NextDouble());
        }

        return x;
    }

    private static readonly Marginal[] Marginals = [Marginal.Normal(0), Marginal.Bernoulli([1, 2]), Marginal.Poisson(3), Marginal.Gaussian([4, 5])];

    private static ProductMixtureModel Fit(MissingValueHandling missing = MissingValueHandling.Reject) =>
        new ProductMixture(new ProductMixtureOptions { ComponentCount = 3, Seed = 4, Marginals = Marginals, MissingValues = missing }).Fit(Table());

    [Fact]
    public void Conditional_on_the_continuous_marginals_sums_to_one_over_the_discrete_columns()
    {
        var model = Fit();
        var conditional = model.Condition([4, 0, 5], [0.2, 1.5, 0.9]);
        conditional.Dimension.Should().Be(3);
        conditional.SourceColumns.Should().Equal(1, 2, 3);
        conditional.Marginals.Select(m => m.Kind).Should().Equal(MarginalKind.Bernoulli, MarginalKind.Poisson);
        conditional.Marginals[0].Columns.Should().Equal(0, 1);
        conditional.Marginals[1].Columns.Should().Equal(2);
        conditional.Weights.Sum().Should().BeApproximately(1, 1e-12);

        const int maxCount = 200;
        var rows = new double[4 * (maxCount + 1), 3];
        int r = 0;
        for (int b1 = 0; b1 < 2; b1++)
        {
            for (int b2 = 0; b2 < 2; b2++)
            {
                for (int n = 0; n <= maxCount; n++, r++)
                {
                    rows[r, 0] = b1;
                    rows[r, 1] = b2;
                    rows[r, 2] = n;
                }
            }
        }

        conditional.LogDensity(rows).Sum(Math.Exp).Should().BeApproximately(1, 1e-10);
    }

    [Fact]
    public void Conditional_density_is_joint_over_marginal_and_keeps_the_other_marginals()
    {
        var model = Fit(MissingValueHandling.Marginalize);
        var x = Table();
        int[] a = [1, 2, 3];
        foreach (int row in new[] { 0, 1, 2, 77, 200 })
        {
            double[] values = [x[row, 1], x[row, 2], x[row, 3]];
            var conditional = model.Condition(a, values);

            // log p(x_a) from the fitted model's own marginalisation of NaN entries, independent of Condition.
            var withHoles = new double[1, 6];
            var full = new double[1, 6];
            for (int j = 0; j < 6; j++)
            {
                full[0, j] = x[row, j] + (j is 0 or 4 or 5 ? 0.3 : 0);
                withHoles[0, j] = a.Contains(j) ? x[row, j] : double.NaN;
            }

            double logMarginal = model.LogDensity(withHoles)[0];
            double logJoint = model.LogDensity(full)[0];
            double logConditional = conditional.LogDensity(new[,] { { full[0, 0], full[0, 4], full[0, 5] } })[0];
            logConditional.Should().BeApproximately(logJoint - logMarginal, 1e-10 * Math.Max(1, Math.Abs(logJoint)));

            // The weights are the responsibilities of x_a under the fitted model.
            var responsibilities = model.PredictProbabilities(withHoles);
            for (int k = 0; k < model.ComponentCount; k++)
            {
                conditional.Weights[k].Should().BeApproximately(responsibilities[0, k], 1e-12);
                conditional.Components[k].Marginals[0].Should().BeSameAs(model.Components[k].Marginals[0]);
                conditional.Components[k].Marginals[1].Should().BeSameAs(model.Components[k].Marginals[3]);
            }
        }
    }

    [Fact]
    public void Conditioning_twice_equals_conditioning_once_on_the_union()
    {
        var model = Fit();
        var twice = model.Condition([1, 2], [1, 0]).Condition([1], [3]);
        var once = model.Condition([1, 2, 3], [1, 0, 3]);
        twice.SourceColumns.Should().Equal(once.SourceColumns);
        for (int k = 0; k < model.ComponentCount; k++)
        {
            twice.Weights[k].Should().BeApproximately(once.Weights[k], 1e-12);
        }

        var sample = once.Sample(5, new Random(2));
        once.LogDensity(sample.Rows).Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void Bad_conditions_throw_typed_exceptions_that_name_the_fix()
    {
        var model = Fit();
        model.Invoking(m => m.Condition([4], [0.5])).Should().Throw<ArgumentException>().WithParameterName("columns").WithMessage("*part of marginals[3]*not column 5*whole marginals*");
        model.Invoking(m => m.Condition([1, 2], [0.5, 1])).Should().Throw<ArgumentException>().WithParameterName("values").WithMessage("*0.5*");
        model.Invoking(m => m.Condition([0], [double.NaN])).Should().Throw<ArgumentException>().WithParameterName("values").WithMessage("*values[0] = NaN*");
        model.Invoking(m => m.Condition([0], [1, 2])).Should().Throw<ArgumentException>().WithParameterName("values").WithMessage("*2 entries*");
        model.Invoking(m => m.Condition([0, 1, 2, 3, 4, 5], [0, 0, 0, 0, 0, 0])).Should().Throw<ArgumentException>().WithParameterName("columns").WithMessage("*all 6 columns*");
        model.Invoking(m => m.Condition([6], [0])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("columns");
    }
}
