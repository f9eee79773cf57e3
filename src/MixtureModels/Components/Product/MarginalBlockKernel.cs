namespace MixtureModels.Components.Product;

/// <summary>
/// A marginal family's own batched density kernel seen through <see cref="IComponent"/>, so that
/// <see cref="ProductBlockKernel"/> can drive the batched kernels of marginals of different component types.
/// The typed components are copied into one array kept for the kernel's lifetime: preparing allocates nothing.
/// </summary>
/// <typeparam name="TComponent">The marginal family's component type.</typeparam>
internal sealed class MarginalBlockKernel<TComponent> : IBlockDensityKernel<IComponent>
    where TComponent : class, IComponent
{
    private readonly IBlockDensityKernel<TComponent> _inner;
    private readonly TComponent[] _typed;

    /// <summary>Wraps <paramref name="inner"/>, a kernel for <paramref name="componentCount"/> components.</summary>
    /// <param name="inner">The marginal family's kernel.</param>
    /// <param name="componentCount">K.</param>
    public MarginalBlockKernel(IBlockDensityKernel<TComponent> inner, int componentCount)
    {
        _inner = inner;
        _typed = new TComponent[componentCount];
    }

    /// <summary>Prepares the wrapped kernel; false when K differs, a component is not a <typeparamref name="TComponent"/> or the wrapped kernel refuses.</summary>
    /// <param name="components">The K marginal components.</param>
    /// <param name="logWeights">log π_k.</param>
    public bool Prepare(IReadOnlyList<IComponent> components, ReadOnlySpan<double> logWeights)
    {
        if (components.Count != _typed.Length)
        {
            return false;
        }

        for (int k = 0; k < _typed.Length; k++)
        {
            if (components[k] is not TComponent typed)
            {
                return false;
            }

            _typed[k] = typed;
        }

        return _inner.Prepare(_typed, logWeights);
    }

    /// <inheritdoc />
    public void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride) =>
        _inner.JointLogDensity(rows, count, logProb, stride);
}
