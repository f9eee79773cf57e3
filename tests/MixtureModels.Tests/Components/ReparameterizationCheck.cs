using MixtureModels.Components;

namespace MixtureModels.Tests.Components;

/// <summary>Shared checks of <see cref="IReparameterization{TComponent, TStatistics}"/>: round trip and gradient against finite differences.</summary>
internal static class ReparameterizationCheck
{
    /// <summary>Random responsibilities-like weights c_nk ≥ 0 (about a fifth exactly 0), row-major n·K + k.</summary>
    public static double[] Weights(Random random, int n, int k)
    {
        var c = new double[n * k];
        for (int i = 0; i < c.Length; i++)
        {
            c[i] = random.NextDouble() < 0.2 ? 0 : random.NextDouble() * 1.5;
        }

        return c;
    }

    /// <summary>F(u) = Σ_k Σₙ c_nk log p_k(xₙ), naive row by row; the marginal density of the observed entries when
    /// <paramref name="incomplete"/>. +∞-like failure is reported as NaN so that a test notices.</summary>
    public static double Objective<T, TS>(IReparameterization<T, TS> family, double[] u, int k, double[] rows, int d, double[] c, bool incomplete)
        where T : class, IComponent
        where TS : class, ISufficientStatistics<TS>
    {
        var components = new T[k];
        if (!family.TryFromUnconstrained(u, components))
        {
            return double.NaN;
        }

        int n = rows.Length / d;
        double f = 0;
        Span<double> one = stackalloc double[1];
        for (int j = 0; j < k; j++)
        {
            for (int i = 0; i < n; i++)
            {
                double w = c[(i * k) + j];
                if (w == 0)
                {
                    continue;
                }

                var row = rows.AsSpan(i * d, d);
                double logp;
                if (incomplete)
                {
                    ((IMissingValueComponent)components[j]).MarginalLogDensity(row, one);
                    logp = one[0];
                }
                else
                {
                    logp = components[j].LogDensity(row);
                }

                f += w * logp;
            }
        }

        return f;
    }

    /// <summary>Statistics of K components accumulated with weights c_nk (created from the components, or with no reference).</summary>
    public static TS[] Statistics<T, TS>(IComponentFamily<T, TS> family, T[] components, double[] rows, int d, double[] c, bool incomplete, bool withReference)
        where T : class, IComponent
        where TS : class, ISufficientStatistics<TS>
    {
        int k = components.Length, n = rows.Length / d;
        var statistics = new TS[k];
        for (int j = 0; j < k; j++)
        {
            statistics[j] = withReference ? family.CreateStatistics(components[j]) : family.CreateStatistics(null);
            if (withReference)
            {
                family.ResetStatistics(statistics[j], components[j]);
            }

            var w = new double[n];
            for (int i = 0; i < n; i++)
            {
                w[i] = c[(i * k) + j];
            }

            // Two blocks, to exercise accumulation across calls.
            int half = n / 2;
            if (incomplete)
            {
                ((IMissingValueStatistics)statistics[j]).AccumulateIncomplete(rows.AsSpan(0, half * d), w.AsSpan(0, half));
                ((IMissingValueStatistics)statistics[j]).AccumulateIncomplete(rows.AsSpan(half * d), w.AsSpan(half));
            }
            else
            {
                statistics[j].Accumulate(rows.AsSpan(0, half * d), w.AsSpan(0, half));
                statistics[j].Accumulate(rows.AsSpan(half * d), w.AsSpan(half));
            }
        }

        return statistics;
    }

    /// <summary>
    /// Largest relative difference between the analytic gradient and a fourth-order central difference of
    /// <see cref="Objective{T, TS}"/>, over all coordinates (denominator max(|g|, |fd|, 1e-3·‖g‖∞)).
    /// </summary>
    public static double MaxRelativeGradientError<T, TS>(IComponentFamily<T, TS> family, T[] components, double[] rows, int d, double[] c, bool incomplete, bool withReference)
        where T : class, IComponent
        where TS : class, ISufficientStatistics<TS>
    {
        var re = (IReparameterization<T, TS>)family;
        int k = components.Length;
        var u = new double[re.UnconstrainedLength(k)];
        re.ToUnconstrained(components, u);

        // Evaluate at exactly the components built from u, so that the statistics and F agree.
        var atU = new T[k];
        re.TryFromUnconstrained(u, atU).Should().BeTrue();
        var statistics = Statistics(family, atU, rows, d, c, incomplete, withReference);
        var gradient = new double[u.Length];
        re.Gradient(statistics, atU, gradient);

        var fd = new double[u.Length];
        for (int i = 0; i < u.Length; i++)
        {
            double h = 1e-3 * Math.Max(1, Math.Abs(u[i]));
            double At(double step)
            {
                var v = (double[])u.Clone();
                v[i] += step;
                return Objective(re, v, k, rows, d, c, incomplete);
            }

            fd[i] = ((8 * (At(h) - At(-h))) - (At(2 * h) - At(-2 * h))) / (12 * h);
        }

        double norm = gradient.Max(Math.Abs);
        double worst = 0;
        for (int i = 0; i < u.Length; i++)
        {
            double scale = Math.Max(Math.Max(Math.Abs(gradient[i]), Math.Abs(fd[i])), 1e-3 * norm);
            double error = Math.Abs(gradient[i] - fd[i]) / scale;
            double.IsNaN(error).Should().BeFalse($"coordinate {i}: gradient {gradient[i]}, finite difference {fd[i]}");
            worst = Math.Max(worst, error);
        }

        return worst;
    }

    /// <summary>u → components → u′: the unconstrained vector written back from the built components.</summary>
    public static double[] RoundTrip<T, TS>(IReparameterization<T, TS> family, double[] u, int k)
        where T : class, IComponent
        where TS : class, ISufficientStatistics<TS>
    {
        var components = new T[k];
        family.TryFromUnconstrained(u, components).Should().BeTrue();
        var back = new double[u.Length];
        family.ToUnconstrained(components, back);
        return back;
    }
}
