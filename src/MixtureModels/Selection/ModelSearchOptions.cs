using MixtureModels.Numerics;

namespace MixtureModels.Selection;

/// <summary>Settings of a <see cref="ModelSearch"/>: the criterion and the thread budget. Each candidate's own options set its restarts, seed and the rest.</summary>
public sealed record ModelSearchOptions
{
    /// <summary>The criterion candidates are ranked by (default <see cref="InformationCriterion.Bayesian"/>); lower is better.</summary>
    public InformationCriterion Criterion { get; init; } = InformationCriterion.Bayesian;

    /// <summary>
    /// Worker threads for the whole search: -1 (default) for all cores. On small data (few blocks of rows per pass) the
    /// candidates are fitted in parallel, each on one thread; on large data one after another, each fit using the
    /// threads. Results are identical for any value: every fit is independent of its thread count, and rows are kept in
    /// candidate order.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        if (!Enum.IsDefined(Criterion))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Criterion), Criterion, "Use InformationCriterion.Bayesian, .Akaike or .IntegratedCompletedLikelihood.");
        }

        ArgumentChecks.DegreeOfParallelism(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
    }
}
