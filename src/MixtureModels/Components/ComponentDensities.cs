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
                ((IMissingValueComponent)components[k]).MarginalLogDensity(rows, destination);
            }
            else
            {
                components[k].LogDensity(rows, destination);
            }

            VectorKernels.AddScalar(logWeights[k], destination);
        }
    }
}
