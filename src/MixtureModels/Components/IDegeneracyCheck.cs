namespace MixtureModels.Components;

/// <summary>
/// Optional capability of a family: says which fitted components are degenerate (see <see cref="ComponentDegeneracy"/>).
/// The estimator asks it after every initialisation with the components and their effective row counts, reports the
/// answer per component in <see cref="FitReport.ComponentDegeneracies"/>, and never keeps a degenerate
/// initialisation when a sound one exists; <see cref="Selection.ModelSearch"/> never picks a degenerate fit over a sound one.
/// </summary>
/// <remarks>
/// A family without this capability gets the generic rule: a component is <see cref="ComponentDegeneracy.TooFewRows"/>
/// when its effective row count is below 1 (it is estimated from less than one row, so none of its parameters is
/// determined), and never <see cref="ComponentDegeneracy.VarianceAtFloor"/>. That rule is complete for families whose
/// likelihood is bounded (Bernoulli, categorical, Poisson: a component on one row cannot make the likelihood grow
/// without limit); implement this interface for a family with a scale parameter that can collapse.
/// </remarks>
/// <typeparam name="TComponent">The component type of the family.</typeparam>
public interface IDegeneracyCheck<TComponent>
{
    /// <summary>Writes the degeneracy of each of the K fitted components.</summary>
    /// <param name="components">The K fitted components.</param>
    /// <param name="effectiveRowCounts">Σₙ wₙ·p(z = k | xₙ) per component, in rows of average weight (they sum to N).</param>
    /// <param name="destination">Receives K values.</param>
    void CheckDegeneracy(ReadOnlySpan<TComponent> components, ReadOnlySpan<double> effectiveRowCounts, Span<ComponentDegeneracy> destination);
}
