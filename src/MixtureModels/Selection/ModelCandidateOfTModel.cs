namespace MixtureModels.Selection;

/// <summary>
/// One configuration a <see cref="ModelSearch"/> fits: an estimator's options (component count, covariance type,
/// restarts, seed, ...) and how to fit them. Create candidates with <see cref="ModelCandidate"/>: the presets
/// (<see cref="ModelCandidate.Gaussian"/>, <see cref="ModelCandidate.Bernoulli"/>, <see cref="ModelCandidate.Product"/>,
/// <see cref="ModelCandidate.StudentT"/>), any family through the generic estimator (<see cref="ModelCandidate.Create{TComponent, TStatistics}"/>),
/// or the K × covariance grid (<see cref="ModelCandidate.GaussianGrid"/>). Immutable.
/// </summary>
/// <typeparam name="TModel">The fitted model type the candidate produces.</typeparam>
public sealed class ModelCandidate<TModel>
    where TModel : class
{
    private readonly Func<MixtureOptions, DataMatrix, double[]?, CancellationToken, TModel> _fit;
    private readonly Func<TModel, FitReport> _report;
    private readonly Func<TModel, int> _parameterCount;
    private readonly Func<TModel, InformationCriterion, double> _criterion;

    internal ModelCandidate(
        string name,
        MixtureOptions options,
        CovarianceType? covarianceType,
        Func<MixtureOptions, DataMatrix, double[]?, CancellationToken, TModel> fit,
        Func<TModel, FitReport> report,
        Func<TModel, int> parameterCount,
        Func<TModel, InformationCriterion, double> criterion)
    {
        Name = name;
        Options = options;
        CovarianceType = covarianceType;
        _fit = fit;
        _report = report;
        _parameterCount = parameterCount;
        _criterion = criterion;
    }

    /// <summary>A short label for tables, such as "Full, K = 3" (given, or made from the options).</summary>
    public string Name { get; }

    /// <summary>The estimator's options (the preset's own options type at run time, for example <see cref="GaussianMixtureOptions"/>).</summary>
    public MixtureOptions Options { get; }

    /// <summary>The number of components K.</summary>
    public int ComponentCount => Options.ComponentCount;

    /// <summary>The covariance (or Student-t scale) shape for Gaussian and Student-t candidates; null for other families.</summary>
    public CovarianceType? CovarianceType { get; }

    /// <summary>Fits the candidate with its options, the thread count replaced by <paramref name="maxDegreeOfParallelism"/> (results do not depend on it).</summary>
    internal TModel Fit(DataMatrix data, double[]? sampleWeights, int maxDegreeOfParallelism, CancellationToken cancellationToken) =>
        _fit(Options with { MaxDegreeOfParallelism = maxDegreeOfParallelism }, data, sampleWeights, cancellationToken);

    internal FitReport ReportOf(TModel model) => _report(model);

    internal int ParameterCountOf(TModel model) => _parameterCount(model);

    internal double CriterionOf(TModel model, InformationCriterion criterion) => _criterion(model, criterion);

    /// <inheritdoc />
    public override string ToString() => Name;
}
