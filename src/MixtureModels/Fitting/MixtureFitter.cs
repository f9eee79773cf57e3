using MixtureModels.Components;

namespace MixtureModels.Fitting;

/// <summary>
/// The estimator-independent part of a fit: restarts (each an initialiser's responsibilities, the M-step, then EM),
/// keeping the largest lower bound, warm start, and the final E-step that labels the training rows.
/// </summary>
internal static class MixtureFitter
{
    /// <summary>Runs the chosen algorithm from one start.</summary>
    private static EmResult<TComponent> Optimize<TComponent>(
        IComponentFamily<TComponent> family,
        DataMatrix data,
        double[]? sampleWeights,
        MixtureFitSettings settings,
        EmEngine<TComponent> engine,
        double[] startWeights,
        TComponent[] startComponents,
        double previousBound,
        int initialization,
        IProgress<FitProgress>? progress,
        CancellationToken cancellationToken)
        where TComponent : class, IComponent
    {
        if (settings.Algorithm == FittingAlgorithm.ExpectationMaximization)
        {
            return engine.Run(startWeights, startComponents, previousBound, initialization, progress, cancellationToken);
        }

        var options = settings.Gradient ?? new GradientOptions();
        var gradientSettings = new Optimization.GradientSettings(
            settings.Algorithm == FittingAlgorithm.Adam ? Optimization.GradientMethod.Adam : Optimization.GradientMethod.Lbfgs,
            settings.MaxIterations,
            options.GradientTolerance,
            options.RelativeTolerance,
            options.LearningRate,
            options.BatchRows,
            settings.MaxDegreeOfParallelism,
            settings.Seed + initialization);
        if (settings.Algorithm != FittingAlgorithm.ExpectationMaximizationThenLbfgs)
        {
            return Optimization.GradientFitter.Fit(family, data, sampleWeights, startWeights, startComponents, gradientSettings, initialization, progress, cancellationToken);
        }

        // EM first, then the polish continues its history.
        var em = engine.Run(startWeights, startComponents, previousBound, initialization, progress, cancellationToken);
        var polished = Optimization.GradientFitter.Fit(family, data, sampleWeights, em.Weights, em.Components, gradientSettings, initialization, progress, cancellationToken);
        return polished with
        {
            Iterations = em.Iterations + polished.Iterations,
            LowerBoundHistory = [.. em.LowerBoundHistory, .. polished.LowerBoundHistory],
        };
    }

    /// <summary>
    /// What a restart is judged by: the lower bound (mean log-likelihood), plus log π(θ) / W when the family has a prior,
    /// the objective both EM and the gradient algorithms maximise.
    /// </summary>
    private static double PosteriorScore<TComponent>(IComponentFamily<TComponent> family, EmResult<TComponent> result, double totalWeight)
        where TComponent : class, IComponent
    {
        if (family is not Optimization.IReparameterization<TComponent> reparameterization)
        {
            return result.LowerBound;
        }

        // The gradient is not needed: scale 0 into a scratch vector of the right length.
        var scratch = new double[reparameterization.UnconstrainedLength(result.Components.Length)];
        return result.LowerBound + (reparameterization.AddLogPrior(result.Components, 0, scratch) / totalWeight);
    }

    /// <summary>Fits K components of <paramref name="family"/> to validated data.</summary>
    public static FitOutcome<TComponent> Fit<TComponent>(
        IComponentFamily<TComponent> family,
        DataMatrix data,
        double[]? sampleWeights,
        MixtureFitSettings settings,
        IStartingPoint<TComponent>? start,
        WarmStart<TComponent>? warm,
        IProgress<FitProgress>? progress,
        CancellationToken cancellationToken)
        where TComponent : class, IComponent
    {
        int k = settings.ComponentCount;
        var engine = new EmEngine<TComponent>(family, data, sampleWeights, k, new EmSettings(settings.Tolerance, settings.MaxIterations, settings.MaxDegreeOfParallelism));
        var random = new Random(settings.Seed);

        // Initialisers (k-means, the first M-step) need complete rows: with missing entries they run on a copy in which
        // every NaN is replaced by its column's mean. EM itself then runs on the data as given.
        var initialData = data.HasMissing ? data.WithColumnMeansImputed() : data;
        var initialEngine = ReferenceEquals(initialData, data)
            ? engine
            : new EmEngine<TComponent>(family, initialData, sampleWeights, k, new EmSettings(settings.Tolerance, settings.MaxIterations, settings.MaxDegreeOfParallelism));
        int initializations = warm is null ? settings.InitializationCount : 1;
        var bounds = new double[initializations];
        EmResult<TComponent>? best = null;
        double bestScore = double.NegativeInfinity;
        int bestIndex = 0;
        for (int init = 0; init < initializations; init++)
        {
            double[] startWeights;
            TComponent[] startComponents;
            double previousBound = double.NegativeInfinity;
            if (warm is not null)
            {
                startWeights = (double[])warm.Weights.Clone();
                startComponents = (TComponent[])warm.Components.Clone();
                previousBound = warm.LowerBound;
            }
            else if (start is { IsComplete: true })
            {
                (startWeights, startComponents) = start.Complete();
            }
            else
            {
                var responsibilities = ResponsibilityInitializer.Create(settings.Initialization, initialData, sampleWeights, k, random, cancellationToken);
                (startWeights, startComponents) = initialEngine.FromResponsibilities(responsibilities, cancellationToken);
                if (start is not null)
                {
                    (startWeights, startComponents) = start.Apply(startWeights, startComponents);
                }
            }

            var result = Optimize(family, data, sampleWeights, settings, engine, startWeights, startComponents, previousBound, init, progress, cancellationToken);
            bounds[init] = result.LowerBound;
            double score = PosteriorScore(family, result, engine.TotalWeight);
            if (best is null || score > bestScore)
            {
                best = result;
                bestScore = score;
                bestIndex = init;
            }
        }

        var labels = new int[data.Rows];
        double trainingLogLikelihood = engine.Evaluate(best!.Weights, best.Components, labels, cancellationToken);
        var report = new FitReport
        {
            Converged = best.Converged,
            IterationCount = best.Iterations,
            LowerBound = best.LowerBound,
            LowerBoundHistory = Array.AsReadOnly(best.LowerBoundHistory),
            InitializationLowerBounds = Array.AsReadOnly(bounds),
            BestInitialization = bestIndex,
            TrainingLogLikelihood = trainingLogLikelihood,
        };
        return new FitOutcome<TComponent>(best.Weights, best.Components, report, labels);
    }
}
