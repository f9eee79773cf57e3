using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels.Selection;

/// <summary>
/// Model search: fits a list of candidate configurations (typically component counts × covariance types, as mclust's
/// <c>Mclust</c>; or any estimator configurations, of any family), scores each by an information criterion computed
/// from the fit alone, and returns the whole table and the best model. A candidate that fails (a covariance that is not
/// positive definite, more components than rows, ...) is a row of the table with its reason, not an exception; a
/// degenerate fit (a component collapsed onto a few rows, see <see cref="Components.ComponentDegeneracy"/>) is chosen
/// only when no candidate is sound.
/// </summary>
/// <remarks>
/// Sign convention: every criterion is −2·log L + penalty, lower is better (scikit-learn's convention). mclust reports
/// BIC = 2·log L − p·ln n, higher is better: our BIC is the negative of mclust's for the same fit. Results are
/// deterministic: each candidate is fitted with its own options and seed, independently of the others and of the
/// thread count, and the rows are in candidate order.
/// </remarks>
/// <example>
/// <code>
/// var search = ModelSearch.Gaussian(data, Enumerable.Range(1, 9), Enum.GetValues&lt;CovarianceType&gt;());
/// GaussianMixtureModel best = search.BestModel;
/// foreach (var row in search.Rows) Console.WriteLine($"{row.Name}: BIC {row.CriterionValue:F1} {row.Status}");
/// </code>
/// </example>
public static class ModelSearch
{
    /// <summary>
    /// The recommended number of initialisations per candidate (10, with the default k-means start): the default of
    /// <see cref="ModelCandidate.GaussianGrid"/>. Degenerate restarts are never kept over sound ones, so more restarts
    /// no longer risk choosing a collapsed fit.
    /// </summary>
    public const int RecommendedInitializationCount = 10;

    /// <summary>
    /// Fits every candidate to <paramref name="data"/> and ranks them by the criterion of <paramref name="options"/>.
    /// </summary>
    /// <typeparam name="TModel">The fitted model type of the candidates.</typeparam>
    /// <param name="data">N × D data, shared by every candidate (not modified; converted once).</param>
    /// <param name="candidates">The configurations to fit, at least one (see <see cref="ModelCandidate"/>).</param>
    /// <param name="options">Criterion and thread budget (default: BIC, all cores).</param>
    /// <param name="sampleWeights">Optional non-negative weight per row, given to every fit; n of the criteria is their sum.</param>
    /// <param name="progress">Optional callback after each candidate (see <see cref="ModelSearchProgress"/>).</param>
    /// <param name="cancellationToken">Cancels the search: running fits stop between blocks of rows, and the call throws.</param>
    /// <returns>The table and the chosen row.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> or <paramref name="candidates"/> is null.</exception>
    /// <exception cref="ArgumentException">The candidate list is empty or holds null, the sample weights are invalid, or the data holds NaN or ±∞ and no candidate marginalises missing values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ModelSearchResult<TModel> Run<TModel>(
        DataMatrix data,
        IReadOnlyList<ModelCandidate<TModel>> candidates,
        ModelSearchOptions? options = null,
        double[]? sampleWeights = null,
        IProgress<ModelSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
        where TModel : class
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(candidates);
        options ??= new ModelSearchOptions();
        options.Validate();
        if (candidates.Count == 0)
        {
            ThrowHelper.ThrowArgument(nameof(candidates), "candidates is empty. Give at least one candidate, for example ModelCandidate.GaussianGrid(Enumerable.Range(1, 9), Enum.GetValues<CovarianceType>()).");
        }

        var list = new ModelCandidate<TModel>[candidates.Count];
        bool anyMarginalizes = false;
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = candidates[i] ?? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"candidates[{i}] is null. Create every candidate with ModelCandidate."), nameof(candidates));
            anyMarginalizes |= list[i].Options.MissingValues == MissingValueHandling.Marginalize;
        }

        // What is wrong for every candidate is an argument error, not a table of failures.
        data = data.ForCall();
        if (!anyMarginalizes)
        {
            data.EnsureFinite(nameof(data));
        }

        _ = InputValidation.SampleWeights(sampleWeights, data.Rows);
        cancellationToken.ThrowIfCancellationRequested();

        int threads = options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;

        // A fit's own parallelism is over chunks of rows; with few chunks it cannot use the threads, so the candidates
        // run side by side instead, each on one thread. Either way every fit gives the same bits.
        int chunks = new BlockPlan(data.Rows, data.Columns).ChunkCount;
        bool acrossCandidates = threads > 1 && list.Length > 1 && chunks < 2 * threads;
        int fitThreads = acrossCandidates ? 1 : (options.MaxDegreeOfParallelism == -1 ? -1 : threads);

        // The most expensive candidates first, so that the last ones to finish are short.
        int[] order = [.. Enumerable.Range(0, list.Length).OrderByDescending(i => (long)list[i].ComponentCount * list[i].Options.InitializationCount).ThenBy(i => i)];
        var rows = new ModelSearchRow<TModel>[list.Length];
        int completed = 0;
        var gate = new object();
        void FitOne(int i)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = Evaluate(i, list[i], data, sampleWeights, fitThreads, options.Criterion, cancellationToken);
            rows[i] = row;
            lock (gate)
            {
                completed++;
                progress?.Report(new ModelSearchProgress(i, row.Name, row.Status, row.CriterionValue, completed, list.Length));
            }
        }

        if (acrossCandidates)
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
            try
            {
                Parallel.ForEach(Partitioner.Create(order, EnumerablePartitionerOptions.NoBuffering), parallel, FitOne);
            }
            catch (AggregateException ex)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
                throw;
            }
        }
        else
        {
            foreach (int i in order)
            {
                FitOne(i);
            }
        }

        return new ModelSearchResult<TModel>(options.Criterion, rows, ChooseBest(rows));
    }

    /// <summary>
    /// The Gaussian search of mclust's <c>Mclust</c>: fits every component count × covariance type
    /// (<see cref="ModelCandidate.GaussianGrid"/>) and ranks them by the criterion (BIC by default).
    /// </summary>
    /// <param name="data">N × D data (not modified).</param>
    /// <param name="componentCounts">The component counts, each at least 1 (mclust's default is 1..9).</param>
    /// <param name="covarianceTypes">The covariance types (for example all four; mclust's VVV, EEE, VVI and VII).</param>
    /// <param name="template">The other settings of every fit (see <see cref="ModelCandidate.GaussianGrid"/>); default <see cref="RecommendedInitializationCount"/> initialisations and scikit-learn's other defaults.</param>
    /// <param name="starts">The initialisations every cell is fitted from, keeping the best fit (default <see cref="ModelCandidate.RecommendedStarts"/>: k-means, k-means on standardised columns and mclust's hierarchical start).</param>
    /// <param name="priorForComponentCount">Optional covariance prior per K, for example mclust's default <c>k =&gt; CovariancePrior.FromData(data, k)</c>.</param>
    /// <param name="options">Criterion and thread budget (default: BIC, all cores).</param>
    /// <param name="sampleWeights">Optional non-negative weight per row.</param>
    /// <param name="progress">Optional callback after each candidate. Called synchronously, never overlapping; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The table (one row per K × type, all types of the first K first) and the chosen model.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">A list is empty or invalid, the template has starting values, or the data or weights are invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ModelSearchResult<GaussianMixtureModel> Gaussian(
        DataMatrix data,
        IEnumerable<int> componentCounts,
        IEnumerable<CovarianceType> covarianceTypes,
        GaussianMixtureOptions? template = null,
        IReadOnlyList<InitializationMethod>? starts = null,
        Func<int, CovariancePrior>? priorForComponentCount = null,
        ModelSearchOptions? options = null,
        double[]? sampleWeights = null,
        IProgress<ModelSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Run(data, ModelCandidate.GaussianGrid(componentCounts, covarianceTypes, template, starts, priorForComponentCount), options, sampleWeights, progress, cancellationToken);
    }

    /// <summary>Fits one candidate; a failure of the fit becomes a row.</summary>
    private static ModelSearchRow<TModel> Evaluate<TModel>(int index, ModelCandidate<TModel> candidate, DataMatrix data, double[]? sampleWeights, int threads, InformationCriterion criterion, CancellationToken cancellationToken)
        where TModel : class
    {
        TModel model;
        try
        {
            model = candidate.Fit(data, sampleWeights, threads, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or ArithmeticException)
        {
            // CovarianceNotPositiveDefiniteException is an InvalidOperationException; ArgumentException covers K > N.
            return new ModelSearchRow<TModel> { Index = index, Candidate = candidate, Status = CandidateStatus.Failed, Failure = ex };
        }

        var report = candidate.ReportOf(model);
        int degenerate = report.ComponentDegeneracies.Count(d => d != Components.ComponentDegeneracy.None);
        return new ModelSearchRow<TModel>
        {
            Index = index,
            Candidate = candidate,
            Status = degenerate > 0 ? CandidateStatus.Degenerate : CandidateStatus.Sound,
            Model = model,
            CriterionValue = candidate.CriterionOf(model, criterion),
            LogLikelihood = report.TrainingLogLikelihood * report.TrainingWeight,
            ParameterCount = candidate.ParameterCountOf(model),
            IterationCount = report.IterationCount,
            Converged = report.Converged,
            ConvergenceReason = report.Reason,
            DegenerateComponentCount = degenerate,
            Report = report,
        };
    }

    /// <summary>The sound row with the lowest finite criterion (first on ties), else the degenerate one, else −1.</summary>
    private static int ChooseBest<TModel>(ModelSearchRow<TModel>[] rows)
        where TModel : class
    {
        foreach (var status in (ReadOnlySpan<CandidateStatus>)[CandidateStatus.Sound, CandidateStatus.Degenerate])
        {
            int best = -1;
            for (int i = 0; i < rows.Length; i++)
            {
                if (rows[i].Status == status && double.IsFinite(rows[i].CriterionValue) && (best < 0 || rows[i].CriterionValue < rows[best].CriterionValue))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                return best;
            }
        }

        return -1;
    }
}
