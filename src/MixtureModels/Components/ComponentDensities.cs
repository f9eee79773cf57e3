using MixtureModels.Numerics;

namespace MixtureModels.Components;

/// <summary>
/// The joint log-densities log π_k + log p(xₙ | θ_k) of a block, from each component's own
/// <see cref="IComponent.LogDensity(ReadOnlySpan{double}, Span{double})"/>: the per-component path of the E-step,
/// shared by the EM engine, the fitted model's queries and the product kernel.
/// </summary>
internal static class ComponentDensities
{
    /// <summary>
    /// Writes log π_k + log p(xₙ | θ_k) into logProb[k·stride + n] for the <paramref name="count"/> rows of the block;
    /// with <paramref name="incomplete"/>, the rows may hold NaN and p is the marginal density of the observed entries.
    /// </summary>
    public static void JointLogDensity<TComponent>(IReadOnlyList<TComponent> components, ReadOnlySpan<double> logWeights, ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride, bool incomplete = false)
        where TComponent : IComponent
    {
        for (int k = 0; k < components.Count; k++)
        {
            var destination = logProb.Slice(k * stride, count);
            if (incomplete)
            {
                // The estimator checks once per fit (and the model once per query) that the components take missing entries.
                MarginalLogDensity((IMissingValueComponent)components[k], rows, destination);
            }
            else
            {
                LogDensity(components[k], rows, destination);
            }

            VectorKernels.AddScalar(logWeights[k], destination);
        }
    }

    /// <summary>A component's block log-density on rows checked at the public boundary: a built-in component's unchecked path, a user's component's own method.</summary>
    public static void LogDensity<TComponent>(TComponent component, ReadOnlySpan<double> rows, Span<double> destination)
        where TComponent : IComponent
    {
        if (component is IUncheckedComponent known)
        {
            known.LogDensityUnchecked(rows, destination);
        }
        else
        {
            component.LogDensity(rows, destination);
        }
    }

    /// <summary>As <see cref="LogDensity{TComponent}"/>, for the marginal log-density of rows with missing entries.</summary>
    public static void MarginalLogDensity(IMissingValueComponent component, ReadOnlySpan<double> rows, Span<double> destination)
    {
        if (component is IUncheckedComponent known)
        {
            known.MarginalLogDensityUnchecked(rows, destination);
        }
        else
        {
            component.MarginalLogDensity(rows, destination);
        }
    }

    /// <summary>As <see cref="LogDensity{TComponent}"/>, for the conditional mean of a row.</summary>
    public static void ConditionalMean(IMissingValueComponent component, ReadOnlySpan<double> row, Span<double> destination)
    {
        if (component is IUncheckedComponent known)
        {
            known.ConditionalMeanUnchecked(row, destination);
        }
        else
        {
            component.ConditionalMean(row, destination);
        }
    }

    /// <summary>As <see cref="LogDensity{TComponent}"/>, for one draw.</summary>
    public static void Sample<TComponent>(TComponent component, Random random, Span<double> destination)
        where TComponent : IComponent
    {
        if (component is IUncheckedComponent known)
        {
            known.SampleUnchecked(random, destination);
        }
        else
        {
            component.Sample(random, destination);
        }
    }
}
