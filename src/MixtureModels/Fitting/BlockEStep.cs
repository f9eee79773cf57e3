using System.Buffers;
using MixtureModels.Components;

namespace MixtureModels.Fitting;

/// <summary>
/// The E-step of fixed weights and components over data, block by block and chunk by chunk in parallel: the one path
/// that the engine's passes and every query of a fitted model (log-density, responsibilities, labels, scores) take.
/// Complete blocks go through the family's batched <see cref="IBlockDensityKernel{TComponent}"/> when there is one;
/// blocks with missing entries and families without a kernel go component by component. Each row's result depends
/// only on the row, so the output is the same for any thread count. Immutable once built; safe to use from many threads.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
internal sealed class BlockEStep<TComponent>
    where TComponent : IComponent
{
    private readonly TComponent[] _components;
    private readonly double[] _logWeights;
    private readonly IBlockDensityKernel<TComponent>? _kernel;

    /// <summary>Prepares the E-step; <paramref name="kernel"/> (a fresh kernel of the family, or null) is prepared here and owned from now on.</summary>
    /// <param name="components">The K components (kept, not copied).</param>
    /// <param name="logWeights">The K log-weights of the E-step (kept, not copied).</param>
    /// <param name="kernel">A kernel of the components' family, or null.</param>
    public BlockEStep(TComponent[] components, double[] logWeights, IBlockDensityKernel<TComponent>? kernel)
    {
        _components = components;
        _logWeights = logWeights;
        _kernel = kernel is not null && kernel.Prepare(components, logWeights) ? kernel : null;
    }

    /// <summary>A row's work on one block: rows [start, start + count) with their joint log-densities in logProb[k·stride + n].</summary>
    public delegate void BlockAction(int start, int count, Span<double> logProb, int stride);

    /// <summary>Number of components K.</summary>
    public int ComponentCount => _components.Length;

    /// <summary>Whether complete blocks go through the family's kernel (it was given and accepted the components).</summary>
    public bool UsesKernel => _kernel is not null;

    /// <summary>Whether complete blocks go through one of this library's own kernels (plain arithmetic on any value, never a throw).</summary>
    public bool UsesLibraryKernel => _kernel is not null && _kernel.GetType().Assembly == typeof(BlockEStep<TComponent>).Assembly;

    /// <summary>Writes log π_k + log p(xₙ | θ_k) of rows [start, start + count) into logProb[k·stride + n].</summary>
    public void JointLogDensity(DataMatrix data, int start, int count, Span<double> logProb, int stride)
    {
        var rows = data.RowBlock(start, count);
        bool incomplete = data.BlockHasMissing(start, count);
        if (_kernel is not null && !incomplete)
        {
            _kernel.JointLogDensity(rows, count, logProb, stride);
        }
        else
        {
            ComponentDensities.JointLogDensity(_components, _logWeights, rows, count, logProb, stride, incomplete);
        }
    }

    /// <summary>Runs <paramref name="body"/> on every block of <paramref name="data"/> after its joint log-densities, chunks in parallel.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads, or -1 for all cores.</param>
    /// <param name="body">Called once per block with that block's joint log-densities; blocks of different chunks run at once.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    public void Run(DataMatrix data, int maxDegreeOfParallelism, BlockAction body, CancellationToken cancellationToken = default)
    {
        var plan = new BlockPlan(data.Rows, data.Columns);
        int k = _components.Length, b = plan.BlockRows;
        ChunkRunner.ForEach(plan.ChunkCount, maxDegreeOfParallelism, cancellationToken, c =>
        {
            var (start, end) = plan.Chunk(c);
            double[] buffer = ArrayPool<double>.Shared.Rent(k * b);
            try
            {
                for (int blockStart = start; blockStart < end; blockStart += b)
                {
                    int count = Math.Min(b, end - blockStart);
                    JointLogDensity(data, blockStart, count, buffer, b);
                    body(blockStart, count, buffer.AsSpan(0, k * b), b);
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        });
    }
}
