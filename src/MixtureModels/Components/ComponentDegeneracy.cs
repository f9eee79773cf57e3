namespace MixtureModels.Components;

/// <summary>
/// Why a fitted component is degenerate (a combination of flags; <see cref="None"/> for a sound component). A
/// degenerate component is one whose parameters the data does not determine: typically a Gaussian collapsed onto a
/// few rows, whose variance is held up only by the regularisation, so that its likelihood is large for a spurious
/// reason. Reported per component in <see cref="FitReport.ComponentDegeneracies"/>; restarts and the model
/// search never prefer a fit with such a component to a sound one.
/// </summary>
[Flags]
public enum ComponentDegeneracy
{
    /// <summary>The component is sound.</summary>
    None = 0,

    /// <summary>
    /// A variance (for full, tied and Student-t scale matrices: an eigenvalue) sits at the regularisation floor: it
    /// is at most <see cref="DegeneracyThresholds.FloorFactor"/> × the regularisation, or at most
    /// <see cref="DegeneracyThresholds.RelativeFloor"/> × the largest one.
    /// </summary>
    VarianceAtFloor = 1,

    /// <summary>The component's effective row count Σₙ wₙ·p(z = k | xₙ) is below the number of rows its parameters need.</summary>
    TooFewRows = 2,
}
