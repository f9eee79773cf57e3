namespace MixtureModels.Selection;

/// <summary>The outcome of a <see cref="ModelSearch"/>: the whole table, one row per candidate in candidate order, and the chosen row. Immutable.</summary>
/// <typeparam name="TModel">The fitted model type.</typeparam>
public sealed class ModelSearchResult<TModel>
    where TModel : class
{
    private readonly ModelSearchRow<TModel>[] _rows;

    internal ModelSearchResult(InformationCriterion criterion, ModelSearchRow<TModel>[] rows, int bestIndex)
    {
        Criterion = criterion;
        _rows = rows;
        BestIndex = bestIndex;
    }

    /// <summary>The criterion the rows were ranked by (lower is better).</summary>
    public InformationCriterion Criterion { get; }

    /// <summary>Every candidate's row, in candidate order (failed ones included).</summary>
    public IReadOnlyList<ModelSearchRow<TModel>> Rows => Array.AsReadOnly(_rows);

    /// <summary>
    /// Index of the chosen row: the sound row with the lowest criterion (the first on ties); when no row is sound, the
    /// degenerate row with the lowest criterion; −1 when every candidate failed.
    /// </summary>
    public int BestIndex { get; }

    /// <summary>The chosen row (see <see cref="BestIndex"/>), or null when every candidate failed.</summary>
    public ModelSearchRow<TModel>? Best => BestIndex < 0 ? null : _rows[BestIndex];

    /// <summary>Whether the chosen row is degenerate (no candidate gave a sound fit).</summary>
    public bool BestIsDegenerate => Best?.Status == CandidateStatus.Degenerate;

    /// <summary>The chosen model.</summary>
    /// <exception cref="InvalidOperationException">Every candidate failed; the message gives the first failure.</exception>
    public TModel BestModel => Best?.Model ?? throw new InvalidOperationException(
        $"Every candidate of the search failed, so there is no best model. The first failure: {_rows[0].FailureReason} Check the data, use fewer components, or raise the covariance regularisation.");
}
