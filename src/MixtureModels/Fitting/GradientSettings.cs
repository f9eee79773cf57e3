namespace MixtureModels.Fitting;

/// <summary>Settings of the direct gradient fit.</summary>
/// <param name="Method">L-BFGS on full passes, or Adam on minibatches.</param>
/// <param name="MaxIterations">L-BFGS iterations, or Adam epochs (passes over all minibatches).</param>
/// <param name="GradientTolerance">L-BFGS: stop when the largest gradient entry is below this.</param>
/// <param name="RelativeTolerance">Stop when the objective changes by at most this × max(1, |objective|) (per iteration, or per epoch for Adam).</param>
/// <param name="LearningRate">Adam's step size.</param>
/// <param name="BatchRows">Adam's minibatch size in rows.</param>
/// <param name="MaxDegreeOfParallelism">Worker threads, or -1 for all cores.</param>
/// <param name="Seed">Seed of Adam's minibatch order.</param>
internal sealed record GradientSettings(
    GradientMethod Method,
    int MaxIterations,
    double GradientTolerance,
    double RelativeTolerance,
    double LearningRate,
    int BatchRows,
    int MaxDegreeOfParallelism,
    int Seed);
