using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// Fits a mixture by minimising its mean negative log marginal likelihood over unconstrained parameters, from a
/// given start (an initialiser's or a fitted model's): the alternative to EM, or a polish after it.
/// </summary>
/// <remarks>
/// <para>
/// When the family can say how its unconstrained coordinates change with the units of the data
/// (<see cref="IStandardizedReparameterization{TComponent}"/>: the Gaussian and normal families, and products of
/// marginals block by block), the optimisers run in
/// standardised coordinates: u = u₀ + b∘v, with bᵢ the factor that maps the parameters of the same mixture on data
/// whose columns are divided by their (weighted) standard deviations back to u, and v = 0 the start. The objective
/// and its optimum are unchanged (only the coordinates are), the start and the result are mapped exactly, and the
/// iterates of L-BFGS (invariant to translations) and Adam are those they would take on standardised data, so that
/// they do not depend on the units of the columns.
/// </para>
/// <para>
/// The likelihood of a Gaussian mixture (or of a product with a normal or Gaussian marginal) is unbounded when a component can collapse onto a point or a
/// lower-dimensional set (a constant column, repeated rows), and reg_covar is not part of the gradient objective. After
/// every accepted L-BFGS step, and on Adam's result, a covariance whose standardised variance (or eigenvalue) falls
/// below <see cref="CollapseFloor"/> stops the fit with the <see cref="CovarianceNotPositiveDefiniteException"/> EM
/// throws, rather than returning a model with a vanishing variance and an infinite precision.
/// </para>
/// </remarks>
internal static class GradientFitter
{
    /// <summary>The smallest variance, relative to its column's variance in the data, of a covariance that has not collapsed.</summary>
    public const double CollapseFloor = 1e-10;

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
        CancellationToken cancellationToken,
        int iterationOffset = 0,
        double previousLowerBound = double.NegativeInfinity)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        var emSettings = new EmSettings(0, 1, settings.MaxDegreeOfParallelism);
        var reporter = progress is null ? null : new InitializationProgress(progress, initialization, iterationOffset);
        var frame = Standardization<TComponent>.Create(family, data, sampleWeights, startComponents, settings.Method);
        return settings.Method == GradientMethod.Lbfgs
            ? FitLbfgs(family, weightStep, data, sampleWeights, startWeights, startComponents, settings, emSettings, frame, previousLowerBound, reporter, cancellationToken)
            : FitAdam(family, weightStep, data, sampleWeights, startWeights, startComponents, settings, emSettings, frame, previousLowerBound, reporter, cancellationToken);
    }

    /// <summary>Stamps the initialisation index on the progress the optimisers report, and numbers on from the iterations before (EM's, for a polish).</summary>
    private sealed class InitializationProgress(IProgress<FitProgress> inner, int initialization, int iterationOffset) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) => inner.Report(value with { Initialization = initialization, Iteration = iterationOffset + value.Iteration });
    }

    /// <summary>The standardising factors b of the unconstrained coordinates, and the collapse check, of one fit.</summary>
    private sealed class Standardization<TComponent>
        where TComponent : class, IComponent
    {
        private readonly IStandardizedReparameterization<TComponent>? _family;
        private readonly double[] _columnScales;
        private readonly string _algorithm;

        private Standardization(IStandardizedReparameterization<TComponent>? family, double[] columnScales, double[]? factors, string algorithm)
        {
            _family = family;
            _columnScales = columnScales;
            Factors = factors;
            _algorithm = algorithm;
        }

        /// <summary>bᵢ per unconstrained coordinate (1 for the weight logits), or null for the identity.</summary>
        public double[]? Factors { get; }

        public static Standardization<TComponent> Create<TStatistics>(IComponentFamily<TComponent, TStatistics> family, DataMatrix data, double[]? sampleWeights, TComponent[] start, GradientMethod method)
            where TStatistics : class, ISufficientStatistics<TStatistics>
        {
            string algorithm = method == GradientMethod.Lbfgs ? "L-BFGS" : "Adam";
            if (family is not IStandardizedReparameterization<TComponent> standardized || family is not IReparameterization<TComponent, TStatistics> reparameterization)
            {
                return new Standardization<TComponent>(null, [], null, algorithm);
            }

            int k = start.Length;
            var factors = new double[k + reparameterization.UnconstrainedLength(k)];
            factors.AsSpan(0, k).Fill(1);
            standardized.StandardizingScales(start, factors.AsSpan(k));
            return new Standardization<TComponent>(standardized, ColumnScales(data, sampleWeights), factors, algorithm);
        }

        /// <summary>u = u₀ + b∘v.</summary>
        public void ToParameters(ReadOnlySpan<double> start, ReadOnlySpan<double> v, Span<double> u)
        {
            for (int i = 0; i < u.Length; i++)
            {
                u[i] = Factors is null ? start[i] + v[i] : start[i] + (Factors[i] * v[i]);
            }
        }

        /// <summary>∂f/∂v = b∘∂f/∂u, in place.</summary>
        public void ToStandardizedGradient(Span<double> gradient)
        {
            if (Factors is null)
            {
                return;
            }

            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] *= Factors[i];
            }
        }

        /// <summary>Throws the typed exception when a covariance of <paramref name="components"/> has collapsed.</summary>
        public void ThrowIfCollapsed(TComponent[]? components)
        {
            if (_family is null || components is null || !_family.HasCollapsed(components, _columnScales, CollapseFloor, out int component))
            {
                return;
            }

            string which = component < 0 ? "the shared (tied) covariance" : string.Create(CultureInfo.InvariantCulture, $"the covariance of component {component}");
            throw new CovarianceNotPositiveDefiniteException(
                component,
                _family.Regularization,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"During {_algorithm}, {which} collapsed: one of its variances fell below {CollapseFloor} of its column's variance in the data, towards a point or a lower-dimensional set (a constant column, repeated rows) on which the likelihood is unbounded. The gradient objective does not contain {_family.RegularizationOption} (reg_covar = {_family.Regularization}), so nothing holds it there. Set a CovariancePrior ({_family.PriorAdvice}), which keeps the optimum finite; or fit by FittingAlgorithm.ExpectationMaximization, whose {_family.RegularizationOption} holds every variance at that floor (raise it if needed); or use fewer components, or remove constant or duplicated columns and scale the data."));
        }

        /// <summary>Per column: its weighted standard deviation; for a constant column, the root mean square of the others' (1 if none varies).</summary>
        private static double[] ColumnScales(DataMatrix data, double[]? sampleWeights)
        {
            var variances = ColumnVariance.PerColumn(data, sampleWeights, out _);
            double sum = 0;
            int count = 0;
            foreach (double v in variances)
            {
                if (v > 0 && double.IsFinite(v))
                {
                    sum += v;
                    count++;
                }
            }

            double fallback = count > 0 && double.IsFinite(Math.Sqrt(sum / count)) ? Math.Sqrt(sum / count) : 1;
            var scales = new double[variances.Length];
            for (int j = 0; j < scales.Length; j++)
            {
                double s = Math.Sqrt(variances[j]);
                scales[j] = s > 0 && double.IsFinite(s) && double.IsFinite(1 / s) ? s : fallback;
            }

            return scales;
        }
    }

    private static EmResult<TComponent> FitLbfgs<TComponent, TStatistics>(
        IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, DataMatrix data, double[]? sampleWeights, double[] startWeights, TComponent[] startComponents,
        GradientSettings settings, EmSettings emSettings, Standardization<TComponent> frame, double previousLowerBound, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        int k = startWeights.Length;
        var objective = new MixtureObjective<TComponent, TStatistics>(family, weightStep, new EmEngine<TComponent, TStatistics>(family, weightStep, data, sampleWeights, k, emSettings), k);
        var minimizer = new LbfgsMinimizer { MaxIterations = settings.MaxIterations, GradientTolerance = settings.GradientTolerance, RelativeTolerance = settings.RelativeTolerance };
        var history = new List<double>();
        double previous = previousLowerBound;
        double startLogLikelihood = double.NaN;
        var start = objective.ToUnconstrained(startWeights, startComponents);
        var u = new double[start.Length];

        // The minimiser works on v (u = u₀ + b∘v, v = 0 at the start). It evaluates the start first, and reports an
        // iteration right after evaluating the point it accepted, so the objective's last log-likelihood and components
        // are that point's: the history holds log-likelihoods (as EM's does), not penalised values, and its last entry
        // is the returned point's.
        var result = minimizer.Minimize(
            (v, g) =>
            {
                frame.ToParameters(start, v, u);
                double value = objective.Evaluate(u, g, cancellationToken);
                frame.ToStandardizedGradient(g);
                if (double.IsNaN(startLogLikelihood))
                {
                    startLogLikelihood = objective.LastMeanLogLikelihood;
                }

                return value;
            },
            new double[start.Length],
            (iteration, _) =>
            {
                frame.ThrowIfCollapsed(objective.LastComponents);
                double logLikelihood = objective.LastMeanLogLikelihood;
                history.Add(logLikelihood);
                progress?.Report(new FitProgress(0, iteration, logLikelihood, logLikelihood - previous));
                previous = logLikelihood;
            },
            cancellationToken);
        frame.ToParameters(start, result.Minimizer, u);
        objective.TryFromUnconstrained(u, out var weights, out var components);
        frame.ThrowIfCollapsed(components);
        double logLikelihood = history.Count > 0 ? history[^1] : startLogLikelihood;
        return new EmResult<TComponent>(weights, components, result.Converged, result.Iterations, logLikelihood, history.ToArray());
    }

    private static EmResult<TComponent> FitAdam<TComponent, TStatistics>(
        IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, DataMatrix data, double[]? sampleWeights, double[] startWeights, TComponent[] startComponents,
        GradientSettings settings, EmSettings emSettings, Standardization<TComponent> frame, double previousLowerBound, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
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
            int first = b * batchRows, count = Math.Min(batchRows, data.Rows - first);
            var weights = sampleWeights?.AsSpan(first, count).ToArray();
            var engine = new EmEngine<TComponent, TStatistics>(family, weightStep, data.Slice(first, count), weights, k, emSettings);

            // Each minibatch carries its share of the prior, so that the minibatch objectives average to the full one.
            objectives[b] = new MixtureObjective<TComponent, TStatistics>(family, weightStep, engine, k, engine.TotalWeight / full.TotalWeight);
        }

        // Adam moves v, the standardised coordinates (u = u₀ + b∘v), so that its steps of about LearningRate are in
        // units of each column's spread whatever the data's units.
        var start = full.ToUnconstrained(startWeights, startComponents);
        int n = start.Length;
        var x = new double[n];
        var u = (double[])start.Clone();
        var m = new double[n];
        var v = new double[n];
        var g = new double[n];
        var trial = new double[n];
        var trialU = new double[n];
        var order = Enumerable.Range(0, batches).ToArray();
        var random = new Random(settings.Seed);
        var history = new List<double>();
        double previous = full.Evaluate(u, g, cancellationToken);
        double startLogLikelihood = full.LastMeanLogLikelihood;

        // The best point of the full objective seen at the end of an epoch (the start first): what Adam returns, so a
        // step size too large for the data can never leave a model worse than its start.
        var best = (double[])u.Clone();
        double bestValue = previous, bestLogLikelihood = startLogLikelihood;
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

                frame.ToStandardizedGradient(g);
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
                        trial[i] = x[i] - (scale * rate * m[i] / (Math.Sqrt(v[i]) + Epsilon));
                    }

                    frame.ToParameters(start, trial, trialU);
                    if (full.TryFromUnconstrained(trialU, out _, out _))
                    {
                        Array.Copy(trial, x, n);
                        Array.Copy(trialU, u, n);
                        break;
                    }
                }
            }

            double value = full.Evaluate(u, g, cancellationToken);
            double logLikelihood = full.LastMeanLogLikelihood;
            bool improved = value < bestValue;
            if (improved)
            {
                Array.Copy(u, best, n);
                bestValue = value;
                bestLogLikelihood = logLikelihood;
            }

            progress?.Report(new FitProgress(0, epoch, logLikelihood, logLikelihood - (history.Count > 0 ? history[^1] : previousLowerBound)));
            history.Add(logLikelihood);

            // Converged when the objective settles at the best point seen (never at a point worse than the start).
            converged = value <= bestValue && Math.Abs(previous - value) <= settings.RelativeTolerance * Math.Max(1.0, Math.Abs(value));
            previous = value;
        }

        full.TryFromUnconstrained(best, out var finalWeights, out var finalComponents);
        frame.ThrowIfCollapsed(finalComponents);
        return new EmResult<TComponent>(finalWeights, finalComponents, converged, epoch, bestLogLikelihood, history.ToArray());
    }
}
