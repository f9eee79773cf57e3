namespace MixtureModels.Components;

/// <summary>Asks a family for the degeneracy of its components, or applies the generic rule when it has no <see cref="IDegeneracyCheck{TComponent}"/>.</summary>
internal static class DegeneracyRule
{
    /// <summary>
    /// The generic rule: a component estimated from less than one effective row is <see cref="ComponentDegeneracy.TooFewRows"/>
    /// (its parameters are not determined by the data); nothing else is flagged.
    /// </summary>
    public const double GenericMinimumRows = 1;

    /// <summary>Writes the degeneracy of each component: the family's answer when it implements the capability, the generic rule otherwise.</summary>
    public static void Check<TComponent>(object family, ReadOnlySpan<TComponent> components, ReadOnlySpan<double> effectiveRowCounts, Span<ComponentDegeneracy> destination)
    {
        if (family is IDegeneracyCheck<TComponent> check)
        {
            check.CheckDegeneracy(components, effectiveRowCounts, destination);
            return;
        }

        DegeneracyArguments.Check(components.Length, effectiveRowCounts.Length, destination.Length);
        for (int k = 0; k < components.Length; k++)
        {
            destination[k] = effectiveRowCounts[k] >= GenericMinimumRows ? ComponentDegeneracy.None : ComponentDegeneracy.TooFewRows;
        }
    }
}
