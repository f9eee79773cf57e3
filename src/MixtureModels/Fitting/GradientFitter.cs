using MixtureModels.Components;

namespace MixtureModels.Fitting;

/// <summary>
/// Fits a mixture by minimising its mean negative log marginal likelihood over unconstrained parameters, from a
/// given start (an initialiser's or a fitted model's): the alternative to EM, or a polish after it.
/// </summary>
internal static class GradientFitter
{
    public static EmResult<TComponent> Fit<TComponent, TStatistics>(
        IComponentFamily<TComponent, TStatistics> family,
        IWeightStep weightStep,
        DataMatrix data,
        double[]? sampleWeights,
        double[] startWeights,
        TComponent[] startComponents,
        GradientSettings settings,
        int initialization,
        IProgress<FitProgress>? progress,
        CancellationToken cancellationToken)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        var emSettings = new EmSettings(0, 1, settings.MaxDegreeOfParallelism);
        var reporter = progress is null ? null : new InitializationProgress(progress, initialization);
        return settings.Method == GradientMethod.Lbfgs
            ? FitLbfgs(family, weightStep, data, sampleWeights, startWeights, startComponents, settings, emSettings, reporter, cancellationToken)
            : FitAdam(family, weightStep, data, sampleWeights, startWeights, startComponents, settings, emSettings, reporter, cancellationToken);
    }

    /// <summary>Stamps the initialisation index on the progress the optimisers report.</summary>
    private sealed class InitializationProgress(IProgress<FitProgress> inner, int initialization) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) => inner.Report(value with { Initialization = initialization });
    }

    private static EmResult<TComponent> FitLbfgs<TComponent, TStatistics>(
        IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, DataMatrix data, double[]? sampleWeights, double[] startWeights, TComponent[] startComponents,
        GradientSettings settings, EmSettings emSettings, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        int k = startWeights.Length;
        var objective = new MixtureObjective<TComponent, TStatistics>(family, weightStep, new EmEngine<TComponent, TStatistics>(family, weightStep, data, sampleWeights, k, emSettings), k);
        var minimizer = new LbfgsMinimizer { MaxIterations = settings.MaxIterations, GradientTolerance = settings.GradientTolerance, RelativeTolerance = settings.RelativeTolerance };
        var history = new List<double>();
        double previous = double.NegativeInfinity;
        double startLogLikelihood = double.NaN;

        // The minimiser evaluates the start first, and reports an iteration right after evaluating the point it
        // accepted, so the objective's last log-likelihood is that point's: the history holds log-likelihoods (as EM's
        // does), not penalised values, and its last entry is the returned point's.
        var result = minimizer.Minimize(
            (u, g) =>
            {
                double value = objective.Evaluate(u, g, cancellationToken);
                if (double.IsNaN(startLogLikelihood))
                {
                    startLogLikelihood = objective.LastMeanLogLikelihood;
                }

                return value;
            },
            objective.ToUnconstrained(startWeights, startComponents),
            (iteration, _) =>
            {
                double logLikelihood = objective.LastMeanLogLikelihood;
                history.Add(logLikelihood);
                progress?.Report(new FitProgress(0, iteration, logLikelihood, logLikelihood - previous));
                previous = logLikelihood;
            },
            cancellationToken);
        objective.TryFromUnconstrained(result.Minimizer, out var weights, out var components);
        double logLikelihood = history.Count > 0 ? history[^1] : startLogLikelihood;
        return new EmResult<TComponent>(weights, components, result.Converged, result.Iterations, logLikelihood, history.ToArray());
    }

    private static EmResult<TComponent> FitAdam<TComponent, TStatistics>(
        IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, DataMatrix data, double[]? sampleWeights, double[] startWeights, TComponent[] startComponents,
        GradientSettings settings, EmSettings emSettings, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;
        int k = startWeights.Length;
        int batchRows = Math.Min(settings.BatchRows, data.Rows);
        int batches = (data.Rows + batchRows - 1) / batchRows;
        var objectives = new MixtureObjective<TComponent, TStatistics>[batches];
        var full = new MixtureObjective<TComponent, TStatistics>(family, weightStep, new EmEngine<TComponent, TStatistics>(family, weightStep, data, sampleWeights, k, emSettings), k);
        for (int b = 0; b < batches; b++)
        {
            int start = b * batchRows, count = Math.Min(batchRows, data.Rows - start);
            var weights = sampleWeights?.AsSpan(start, count).ToArray();
            var engine = new EmEngine<TComponent, TStatistics>(family, weightStep, data.Slice(start, count), weights, k, emSettings);

            // Each minibatch carries its share of the prior, so that the minibatch objectives average to the full one.
            objectives[b] = new MixtureObjective<TComponent, TStatistics>(family, weightStep, engine, k, engine.TotalWeight / full.TotalWeight);
        }

        var u = full.ToUnconstrained(startWeights, startComponents);
        int n = u.Length;
        var m = new double[n];
        var v = new double[n];
        var g = new double[n];
        var trial = new double[n];
        var order = Enumerable.Range(0, batches).ToArray();
        var random = new Random(settings.Seed);
        var history = new List<double>();
        double previous = full.Evaluate(u, g, cancellationToken);
        double startLogLikelihood = full.LastMeanLogLikelihood;
        long step = 0;
        bool converged = false;
        int epoch = 0;
        while (epoch < settings.MaxIterations && !converged)
        {
            epoch++;
            random.Shuffle(order);
            foreach (int b in order)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (double.IsPositiveInfinity(objectives[b].Evaluate(u, g, cancellationToken)))
                {
                    continue;
                }

                step++;

                // Bias-corrected Adam step, decayed as 1/√epoch so that the iterates settle instead of circling the
                // optimum at the minibatch noise level.
                double rate = settings.LearningRate / Math.Sqrt(epoch) * Math.Sqrt(1 - Math.Pow(Beta2, step)) / (1 - Math.Pow(Beta1, step));
                for (int i = 0; i < n; i++)
                {
                    m[i] = (Beta1 * m[i]) + ((1 - Beta1) * g[i]);
                    v[i] = (Beta2 * v[i]) + ((1 - Beta2) * g[i] * g[i]);
                }

                // Halve the step until the new point is valid (never leave u at a point that maps to invalid parameters).
                for (double scale = 1; scale > 1e-12; scale *= 0.5)
                {
                    for (int i = 0; i < n; i++)
                    {
                        trial[i] = u[i] - (scale * rate * m[i] / (Math.Sqrt(v[i]) + Epsilon));
                    }

                    if (full.TryFromUnconstrained(trial, out _, out _))
                    {
                        Array.Copy(trial, u, n);
                        break;
                    }
                }
            }

            double value = full.Evaluate(u, g, cancellationToken);
            double logLikelihood = full.LastMeanLogLikelihood;
            progress?.Report(new FitProgress(0, epoch, logLikelihood, logLikelihood - (history.Count > 0 ? history[^1] : startLogLikelihood)));
            history.Add(logLikelihood);
            converged = Math.Abs(previous - value) <= settings.RelativeTolerance * Math.Max(1.0, Math.Abs(value));
            previous = value;
        }

        full.TryFromUnconstrained(u, out var finalWeights, out var finalComponents);
        return new EmResult<TComponent>(finalWeights, finalComponents, converged, epoch, full.LastMeanLogLikelihood, history.ToArray());
    }
}
