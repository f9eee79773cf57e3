using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>The L-BFGS minimiser on functions with known minima, including one that is +∞ on part of the space.</summary>
public sealed class LbfgsMinimizerTests
{
    private static LbfgsMinimizer Minimizer(int iterations = 500) => new() { MaxIterations = iterations, GradientTolerance = 1e-10, RelativeTolerance = 0 };

    [Fact]
    public void Finds_the_minimum_of_the_Rosenbrock_function()
    {
        static double Rosenbrock(ReadOnlySpan<double> x, Span<double> g)
        {
            double a = 1 - x[0], b = x[1] - (x[0] * x[0]);
            g[0] = (-2 * a) - (400 * x[0] * b);
            g[1] = 200 * b;
            return (a * a) + (100 * b * b);
        }

        var result = Minimizer().Minimize(Rosenbrock, [-1.2, 1.0], null, CancellationToken.None);

        result.Converged.Should().BeTrue();
        result.Minimizer[0].Should().BeApproximately(1, 1e-6);
        result.Minimizer[1].Should().BeApproximately(1, 1e-6);
        result.History.Should().BeInDescendingOrder();
    }

    [Fact]
    public void Recovers_from_trial_points_where_the_objective_is_infinite()
    {
        // f(x) = x − log x has its minimum at x = 1 and is +∞ for x ≤ 0; the first full step from x = 5 lands there.
        static double Barrier(ReadOnlySpan<double> x, Span<double> g)
        {
            if (x[0] <= 0)
            {
                return double.PositiveInfinity;
            }

            g[0] = 1 - (1 / x[0]);
            return x[0] - Math.Log(x[0]);
        }

        var result = Minimizer().Minimize(Barrier, [5.0], null, CancellationToken.None);

        result.Minimizer[0].Should().BeApproximately(1, 1e-6);
        double.IsFinite(result.Value).Should().BeTrue();
    }

    [Fact]
    public void Minimises_a_quadratic_exactly_and_reports_every_iteration()
    {
        // f(x) = ½ xᵀAx − bᵀx with A = [[3, 1], [1, 2]], b = [1, 1]: minimum at A⁻¹b = [0.2, 0.4].
        static double Quadratic(ReadOnlySpan<double> x, Span<double> g)
        {
            g[0] = (3 * x[0]) + x[1] - 1;
            g[1] = x[0] + (2 * x[1]) - 1;
            return (0.5 * ((3 * x[0] * x[0]) + (2 * x[0] * x[1]) + (2 * x[1] * x[1]))) - x[0] - x[1];
        }

        var reported = new List<int>();
        var result = Minimizer().Minimize(Quadratic, [3.0, -4.0], (i, _) => reported.Add(i), CancellationToken.None);

        result.Minimizer[0].Should().BeApproximately(0.2, 1e-9);
        result.Minimizer[1].Should().BeApproximately(0.4, 1e-9);
        reported.Should().Equal(Enumerable.Range(1, result.Iterations));
    }

    [Fact]
    public void An_invalid_start_is_an_argument_exception()
    {
        var act = () => Minimizer().Minimize((_, _) => double.PositiveInfinity, [0.0], null, CancellationToken.None);
        act.Should().Throw<ArgumentException>().WithMessage("*starting point is invalid*");
    }
}
