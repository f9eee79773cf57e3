namespace MixtureModels.Selection;

/// <summary>Reported by <see cref="ModelSearch"/> after each candidate is fitted (or failed). Calls never overlap; with parallel candidates they come from worker threads, in completion order. Pass a <see cref="SynchronousProgress{T}"/> to see them as they happen: <see cref="Progress{T}"/> re-posts each to a synchronization context or the thread pool, where they can arrive late and out of order.</summary>
/// <param name="CandidateIndex">Index of the candidate just finished, in the candidate list.</param>
/// <param name="Name">Its name.</param>
/// <param name="Status">How it ended.</param>
/// <param name="CriterionValue">Its criterion value (NaN when it failed).</param>
/// <param name="CompletedCount">Candidates finished so far, including this one.</param>
/// <param name="TotalCount">Candidates in the search.</param>
public sealed record ModelSearchProgress(int CandidateIndex, string Name, CandidateStatus Status, double CriterionValue, int CompletedCount, int TotalCount);
