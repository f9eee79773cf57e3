namespace MixtureModels.Fitting;

/// <summary>
/// Limited-memory BFGS (two-loop recursion, Nocedal and Wright, algorithm 7.4) with a backtracking Armijo line search
/// that treats +∞ (an invalid point) as "step too long": the search halves the step and the run recovers.
/// </summary>
internal sealed class LbfgsMinimizer
{
    private const int Memory = 10;
    private const double Armijo = 1e-4;

    /// <summary>
    /// How many iterations in a row must change f by at most the relative tolerance: one short step (a poor
    /// quasi-Newton model, or a long backtrack) on a flat stretch of the objective is not a minimum.
    /// </summary>
    private const int StallIterations = 3;

    /// <summary>Objective: writes the gradient and returns the value, or +∞ (gradient then unused) at an invalid point.</summary>
    public delegate double Objective(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>Outcome of a run.</summary>
    public sealed record Result(double[] Minimizer, double Value, int Iterations, bool Converged, double[] History);

    public required int MaxIterations { get; init; }

    /// <summary>Stop when the largest gradient entry is below this.</summary>
    public required double GradientTolerance { get; init; }

    /// <summary>Stop when |f_old − f| ≤ this × max(1, |f|) on <see cref="StallIterations"/> iterations in a row.</summary>
    public required double RelativeTolerance { get; init; }

    public Result Minimize(Objective objective, double[] start, Action<int, double>? onIteration, CancellationToken cancellationToken)
    {
        int n = start.Length;
        var x = (double[])start.Clone();
        var g = new double[n];
        double f = objective(x, g);
        if (double.IsPositiveInfinity(f))
        {
            throw new ArgumentException("The optimiser's starting point is invalid (the objective is +∞ there). Start from finite parameters, for example from an EM fit.", nameof(start));
        }

        var s = new double[Memory][];
        var y = new double[Memory][];
        var rho = new double[Memory];
        var alpha = new double[Memory];
        int stored = 0, newest = -1;
        var direction = new double[n];
        var trial = new double[n];
        var trialGradient = new double[n];
        var history = new List<double> { f };
        bool converged = MaxAbs(g) < GradientTolerance;
        int iteration = 0, stalled = 0;
        while (!converged && iteration < MaxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iteration++;

            // Two-loop recursion: direction = −H·g.
            Array.Copy(g, direction, n);
            for (int i = 0; i < stored; i++)
            {
                int j = (newest - i + Memory) % Memory;
                alpha[j] = rho[j] * Dot(s[j], direction);
                Axpy(-alpha[j], y[j], direction);
            }

            double gamma = stored > 0 ? Dot(s[newest], y[newest]) / Dot(y[newest], y[newest]) : 1.0 / Math.Max(1.0, Norm(g));
            Scale(gamma, direction);
            for (int i = stored - 1; i >= 0; i--)
            {
                int j = (newest - i + Memory) % Memory;
                double beta = rho[j] * Dot(y[j], direction);
                Axpy(alpha[j] - beta, s[j], direction);
            }

            Scale(-1, direction);
            double slope = Dot(g, direction);
            if (!(slope < 0))
            {
                // Not a descent direction (curvature information went stale): restart from steepest descent.
                stored = 0;
                for (int i = 0; i < n; i++)
                {
                    direction[i] = -g[i] / Math.Max(1.0, Norm(g));
                }

                slope = Dot(g, direction);
            }

            // Backtracking line search: halve on +∞ or insufficient decrease.
            double step = 1.0, trialValue = double.PositiveInfinity;
            bool accepted = false;
            for (int attempt = 0; attempt < 60; attempt++)
            {
                for (int i = 0; i < n; i++)
                {
                    trial[i] = x[i] + (step * direction[i]);
                }

                trialValue = objective(trial, trialGradient);
                if (double.IsFinite(trialValue) && trialValue <= f + (Armijo * step * slope))
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }

            if (!accepted)
            {
                converged = true; // no decrease possible along any step: a minimum to working precision
                break;
            }

            newest = (newest + 1) % Memory;
            s[newest] ??= new double[n];
            y[newest] ??= new double[n];
            for (int i = 0; i < n; i++)
            {
                s[newest][i] = trial[i] - x[i];
                y[newest][i] = trialGradient[i] - g[i];
            }

            double sy = Dot(s[newest], y[newest]);
            if (sy > 1e-12 * Norm(s[newest]) * Norm(y[newest]))
            {
                rho[newest] = 1.0 / sy;
                stored = Math.Min(stored + 1, Memory);
            }
            else
            {
                newest = (newest - 1 + Memory) % Memory; // skip a pair without positive curvature
            }

            double previous = f;
            Array.Copy(trial, x, n);
            Array.Copy(trialGradient, g, n);
            f = trialValue;
            history.Add(f);
            onIteration?.Invoke(iteration, f);
            stalled = Math.Abs(previous - f) <= RelativeTolerance * Math.Max(1.0, Math.Abs(f)) ? stalled + 1 : 0;
            converged = MaxAbs(g) < GradientTolerance || stalled >= StallIterations;
        }

        return new Result(x, f, iteration, converged, history.ToArray());
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    private static double MaxAbs(ReadOnlySpan<double> a)
    {
        double max = 0;
        foreach (double v in a)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        return max;
    }

    private static void Axpy(double scale, ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += scale * x[i];
        }
    }

    private static void Scale(double scale, Span<double> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= scale;
        }
    }
}
