namespace MixtureModels.Fitting;

/// <summary>The estimator settings the generic fitting driver needs, whatever the component family.</summary>
internal sealed record MixtureFitSettings(
    int ComponentCount,
    double Tolerance,
    int MaxIterations,
    int InitializationCount,
    InitializationMethod Initialization,
    int Seed,
    int MaxDegreeOfParallelism,
    MissingValueHandling MissingValues = MissingValueHandling.Reject,
    FittingAlgorithm Algorithm = FittingAlgorithm.ExpectationMaximization,
    GradientOptions? Gradient = null);
