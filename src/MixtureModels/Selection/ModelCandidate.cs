using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels.Selection;

/// <summary>
/// Creates the candidates of a <see cref="ModelSearch"/>: one per estimator configuration, for the presets and for any
/// family through the generic estimator, and the usual Gaussian grid of component counts × covariance types.
/// </summary>
public static class ModelCandidate
{
    /// <summary>A Gaussian mixture candidate (<see cref="GaussianMixture"/> with <paramref name="options"/>).</summary>
    /// <param name="options">The estimator's settings; validated here.</param>
    /// <param name="name">A label for tables; default "{CovarianceType}, K = {ComponentCount}".</param>
    /// <returns>The candidate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the fix.</exception>
    public static ModelCandidate<GaussianMixtureModel> Gaussian(GaussianMixtureOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GaussianCandidate(options, name, (o, data, weights, token) => new GaussianMixture(o).Fit(data, weights, null, token));
    }

    /// <summary>A Bernoulli mixture candidate (<see cref="BernoulliMixture"/> with <paramref name="options"/>).</summary>
    /// <param name="options">The estimator's settings; validated here.</param>
    /// <param name="name">A label for tables; default "Bernoulli, K = {ComponentCount}".</param>
    /// <returns>The candidate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static ModelCandidate<BernoulliMixtureModel> Bernoulli(BernoulliMixtureOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new ModelCandidate<BernoulliMixtureModel>(
            name ?? DefaultName("Bernoulli", options.ComponentCount),
            options,
            null,
            (o, data, weights, token) => new BernoulliMixture((BernoulliMixtureOptions)o).Fit(data, weights, null, token),
            m => m.Report,
            m => m.ParameterCount,
            (m, c) => m.Criterion(c));
    }

    /// <summary>A mixed-table (product) mixture candidate (<see cref="ProductMixture"/> with <paramref name="options"/>).</summary>
    /// <param name="options">The estimator's settings; validated here.</param>
    /// <param name="name">A label for tables; default "Product, K = {ComponentCount}".</param>
    /// <returns>The candidate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public static ModelCandidate<ProductMixtureModel> Product(ProductMixtureOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new ModelCandidate<ProductMixtureModel>(
            name ?? DefaultName("Product", options.ComponentCount),
            options,
            null,
            (o, data, weights, token) => new ProductMixture((ProductMixtureOptions)o).Fit(data, weights, null, token),
            m => m.Report,
            m => m.ParameterCount,
            (m, c) => m.Criterion(c));
    }

    /// <summary>A Student-t mixture candidate (<see cref="StudentTMixture"/> with <paramref name="options"/>).</summary>
    /// <param name="options">The estimator's settings; validated here.</param>
    /// <param name="name">A label for tables; default "Student-t {CovarianceType}, K = {ComponentCount}".</param>
    /// <returns>The candidate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static ModelCandidate<StudentTMixtureModel> StudentT(StudentTMixtureOptions options, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new ModelCandidate<StudentTMixtureModel>(
            name ?? DefaultName("Student-t " + options.CovarianceType.ToString(), options.ComponentCount),
            options,
            options.CovarianceType,
            (o, data, weights, token) => new StudentTMixture((StudentTMixtureOptions)o).Fit(data, weights, null, token),
            m => m.Report,
            m => m.ParameterCount,
            (m, c) => m.Criterion(c));
    }

    /// <summary>A candidate of any component family, fitted by the generic <see cref="MixtureEstimator{TComponent, TStatistics}"/>.</summary>
    /// <typeparam name="TComponent">The component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="family">The component family (its dimension must equal the data's column count).</param>
    /// <param name="options">The estimator's settings; validated here.</param>
    /// <param name="weightStep">The weight step (default <see cref="MaximumLikelihoodWeights"/>).</param>
    /// <param name="name">A label for tables; default "{family type name}, K = {ComponentCount}".</param>
    /// <returns>The candidate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="family"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public static ModelCandidate<FittedMixtureModel<TComponent>> Create<TComponent, TStatistics>(
        IComponentFamily<TComponent, TStatistics> family, MixtureOptions options, IWeightStep? weightStep = null, string? name = null)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateShared();
        var step = weightStep ?? MaximumLikelihoodWeights.Instance;
        return new ModelCandidate<FittedMixtureModel<TComponent>>(
            name ?? DefaultName(family.GetType().Name, options.ComponentCount),
            options,
            null,
            (o, data, weights, token) => new MixtureEstimator<TComponent, TStatistics>(family, o) { WeightStep = step }.Fit(data, weights, null, token),
            m => m.Report,
            m => m.ParameterCount,
            (m, c) => m.Criterion(c));
    }

    /// <summary>
    /// The Gaussian grid: one candidate per component count × covariance type (in that order: all types for the
    /// first K, then the next K), each with <paramref name="template"/>'s other settings, fitted from every start of
    /// <paramref name="starts"/> and keeping the best fit (a sound one over a degenerate one, then the larger objective:
    /// mean log-likelihood + log prior / N).
    /// </summary>
    /// <param name="componentCounts">The component counts, each at least 1 (for example 1..9, as mclust).</param>
    /// <param name="covarianceTypes">The covariance types (for example all four).</param>
    /// <param name="template">
    /// The other settings (restarts, regularisation, prior, seed, ...); its <c>ComponentCount</c>, <c>CovarianceType</c>
    /// and <c>Initialization</c> are replaced. Default: scikit-learn's defaults with <see cref="ModelSearch.RecommendedInitializationCount"/>
    /// initialisations. Starting values (<c>InitialWeights</c>, <c>InitialMeans</c>, <c>InitialPrecisions</c>,
    /// <c>InitialResponsibilities</c>, <c>InitialLabels</c>) are not allowed: they fix K.
    /// </param>
    /// <param name="starts">
    /// The initialisations each cell is fitted from (each with the template's <c>InitializationCount</c>, except
    /// <see cref="InitializationMethod.ModelBasedHierarchical"/>, which is deterministic and runs once from a merge tree
    /// built once for the whole grid). Default <see cref="RecommendedStarts"/>: k-means, k-means on standardised columns
    /// and mclust's hierarchical start, whose best reached the best optimum in most cells on Old Faithful, iris and wine
    /// (benchmarks/README.md, "Which start reaches the best optimum").
    /// </param>
    /// <param name="priorForComponentCount">
    /// Optional: the covariance prior of the cells with K components, for priors that depend on K such as mclust's
    /// default, <c>k =&gt; CovariancePrior.FromData(data, k)</c>; it replaces the template's prior.
    /// </param>
    /// <returns>The candidates.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="componentCounts"/> or <paramref name="covarianceTypes"/> is null.</exception>
    /// <exception cref="ArgumentException">A list is empty, a count is below 1, a type or start is undefined, or the template has starting values.</exception>
    public static IReadOnlyList<ModelCandidate<GaussianMixtureModel>> GaussianGrid(
        IEnumerable<int> componentCounts,
        IEnumerable<CovarianceType> covarianceTypes,
        GaussianMixtureOptions? template = null,
        IReadOnlyList<InitializationMethod>? starts = null,
        Func<int, CovariancePrior>? priorForComponentCount = null)
    {
        ArgumentNullException.ThrowIfNull(componentCounts);
        ArgumentNullException.ThrowIfNull(covarianceTypes);
        int[] counts = [.. componentCounts];
        CovarianceType[] types = [.. covarianceTypes];
        if (counts.Length == 0)
        {
            ThrowHelper.ThrowArgument(nameof(componentCounts), "componentCounts is empty. Give at least one component count, for example Enumerable.Range(1, 9).");
        }

        if (types.Length == 0)
        {
            ThrowHelper.ThrowArgument(nameof(covarianceTypes), "covarianceTypes is empty. Give at least one covariance type, for example Enum.GetValues<CovarianceType>().");
        }

        foreach (int k in counts)
        {
            ArgumentChecks.AtLeast(k, 1, nameof(componentCounts), "Every component count must be at least 1.");
        }

        foreach (var type in types)
        {
            if (!Enum.IsDefined(type))
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(covarianceTypes), type, "Use Full, Tied, Diagonal or Spherical.");
            }
        }

        var baseOptions = template ?? new GaussianMixtureOptions { ComponentCount = 1, InitializationCount = ModelSearch.RecommendedInitializationCount };
        if (baseOptions.InitialWeights is not null || baseOptions.InitialMeans is not null || baseOptions.HasInitialCovariances
            || baseOptions.InitialResponsibilities is not null || baseOptions.InitialLabels is not null)
        {
            ThrowHelper.ThrowArgument(nameof(template), "template has starting values (InitialWeights, InitialMeans, InitialPrecisions, InitialCovariances, InitialDiagonalPrecisions, InitialSphericalPrecisions, InitialResponsibilities or InitialLabels), which fix the component count and covariance shape. Remove them, or build the candidates one by one with ModelCandidate.Gaussian.");
        }

        InitializationMethod[] methods = [.. starts ?? RecommendedStarts];
        if (methods.Length == 0)
        {
            ThrowHelper.ThrowArgument(nameof(starts), "starts is empty. Give at least one initialisation, or null for RecommendedStarts.");
        }

        foreach (var method in methods)
        {
            if (!Enum.IsDefined(method))
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(starts), method, "Use values of InitializationMethod.");
            }
        }

        var trees = new HierarchicalStartCache();
        var result = new List<ModelCandidate<GaussianMixtureModel>>(counts.Length * types.Length);
        foreach (int k in counts)
        {
            var prior = priorForComponentCount?.Invoke(k) ?? baseOptions.CovariancePrior;
            foreach (var type in types)
            {
                var cell = baseOptions with { ComponentCount = k, CovarianceType = type, CovariancePrior = prior, Initialization = methods[0] };
                result.Add(MultiStart(cell, methods, trees));
            }
        }

        return result.AsReadOnly();
    }

    /// <summary>
    /// The starts <see cref="GaussianGrid"/> uses by default: k-means and k-means on standardised columns (each with the
    /// template's restarts) and mclust's model-based hierarchical start (once). Each alone missed the best optimum in
    /// several cells of Old Faithful, iris and wine (benchmarks/README.md, "Which start reaches the best optimum"); the
    /// best of the three reached it in the most cells, and K = 1..9 × 4 types on Old Faithful still take under a second.
    /// </summary>
    public static IReadOnlyList<InitializationMethod> RecommendedStarts { get; } =
        Array.AsReadOnly(new[] { InitializationMethod.KMeans, InitializationMethod.KMeansStandardized, InitializationMethod.ModelBasedHierarchical });

    /// <summary>A Gaussian candidate fitted from each of <paramref name="methods"/>, keeping the best fit.</summary>
    private static ModelCandidate<GaussianMixtureModel> MultiStart(GaussianMixtureOptions options, InitializationMethod[] methods, HierarchicalStartCache trees) =>
        GaussianCandidate(options, null, (cell, data, weights, token) =>
        {
            GaussianMixtureModel? best = null;
            foreach (var method in methods)
            {
                var start = method == InitializationMethod.ModelBasedHierarchical
                    ? cell with { InitialLabels = trees.Labels(data, cell.ComponentCount, cell.Seed, token), InitializationCount = 1 }
                    : cell with { Initialization = method };
                var model = new GaussianMixture(start).Fit(data, weights, null, token);
                if (best is null || Better(model.Report, best.Report, data.Rows))
                {
                    best = model;
                }
            }

            return best!;
        });

    /// <summary>A Gaussian mixture candidate with the given fit (options validated here; default name "{CovarianceType}, K = {ComponentCount}").</summary>
    private static ModelCandidate<GaussianMixtureModel> GaussianCandidate(
        GaussianMixtureOptions options,
        string? name,
        Func<GaussianMixtureOptions, DataMatrix, double[]?, CancellationToken, GaussianMixtureModel> fit)
    {
        options.Validate();
        return new ModelCandidate<GaussianMixtureModel>(
            name ?? DefaultName(options.CovarianceType.ToString(), options.ComponentCount),
            options,
            options.CovarianceType,
            (o, data, weights, token) => fit((GaussianMixtureOptions)o, data, weights, token),
            m => m.Report,
            m => m.ParameterCount,
            (m, c) => m.Criterion(c));
    }

    /// <summary>Whether fit a beats fit b: a sound fit over a degenerate one, then the larger mean log-likelihood + log prior / N.</summary>
    private static bool Better(FitReport a, FitReport b, int rows)
    {
        if (a.IsDegenerate != b.IsDegenerate)
        {
            return !a.IsDegenerate;
        }

        return a.TrainingLogLikelihood + (a.LogPrior / rows) > b.TrainingLogLikelihood + (b.LogPrior / rows);
    }

    private static string DefaultName(string kind, int componentCount) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}, K = {componentCount}");
}
