namespace MixtureModels.Selection;

/// <summary>How one candidate of a <see cref="ModelSearch"/> ended.</summary>
public enum CandidateStatus
{
    /// <summary>Fitted, and no component is degenerate.</summary>
    Sound,

    /// <summary>
    /// Fitted, but a component is degenerate (see <see cref="Components.ComponentDegeneracy"/>): every initialisation of
    /// the candidate ended degenerate. Such a row is chosen only when no candidate is sound (mclust reports it as missing).
    /// </summary>
    Degenerate,

    /// <summary>The fit threw (for example a <see cref="CovarianceNotPositiveDefiniteException"/>, or more components than rows); see <see cref="ModelSearchRow{TModel}.Failure"/>.</summary>
    Failed,
}
