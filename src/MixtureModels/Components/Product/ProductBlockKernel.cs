using System.Runtime.CompilerServices;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Product;

/// <summary>
/// The fused E+M pass of product components on a block, for all K components at once. Each marginal's columns are
/// gathered once per block (not once per component, as <see cref="ProductComponent.LogDensity(ReadOnlySpan{double}, Span{double})"/>
/// and <see cref="ProductStatistics.Accumulate"/> do), the log-densities of a marginal whose family has its own
/// <see cref="IBlockKernel{TComponent, TStatistics}"/> come from that kernel for all K components together (the others from each
/// marginal component's <see cref="IComponent.LogDensity(ReadOnlySpan{double}, Span{double})"/>), and every marginal's
/// accumulators are fed the gathered columns directly. Its gain does not depend on the CPU: the families offer it
/// everywhere, and on a CPU where the marginals' kernels are not built every part takes the per-component densities.
/// </summary>
internal sealed class ProductBlockKernel : IBlockKernel<ProductComponent, ProductStatistics>
{
    [ThreadStatic]
    private static double[]? t_gathered;                   // every marginal's columns of a block (Gather)

    [ThreadStatic]
    private static double[]? t_densities;                  // the K joint log-densities and one marginal's, held while the marginals' kernels run

    private readonly ProductFamily _family;
    private readonly int _d;
    private readonly int _k;
    private readonly int[][] _columns;                     // per marginal: its data columns
    private readonly int[] _starts;                        // per marginal: Σ of the earlier marginals' column counts
    private readonly bool _identity;                       // one marginal over columns 0..D−1 in order: the rows need no gathering
    private readonly IBlockDensityKernel<IComponent>?[] _partKernels; // per marginal: its family's batched kernel, if it has one
    private readonly bool[] _partPrepared;                 // per marginal: whether its kernel serves this pass's components
    private readonly IComponent[][] _parts;                // per marginal: its K components of this pass
    private readonly double[] _logWeights;                 // log π_k of this pass
    private readonly double[] _zeroLogWeights;             // the parts' kernels give log p_m only: π enters once, here

    /// <summary>Creates the kernel for K components of <paramref name="family"/>.</summary>
    /// <param name="family">The product family, which checks the accumulators handed to <see cref="Accumulate"/>.</param>
    /// <param name="columns">Per marginal, its data columns (disjoint, covering 0..D−1).</param>
    /// <param name="partKernels">Per marginal, its family's kernel for K components, or null where it has none.</param>
    /// <param name="componentCount">K.</param>
    public ProductBlockKernel(ProductFamily family, int[][] columns, IBlockDensityKernel<IComponent>?[] partKernels, int componentCount)
    {
        _family = family;
        _d = family.Dimension;
        _k = componentCount;
        _columns = columns;
        _partKernels = partKernels;
        _starts = new int[columns.Length];
        for (int m = 1; m < columns.Length; m++)
        {
            _starts[m] = _starts[m - 1] + columns[m - 1].Length;
        }

        _identity = columns.Length == 1 && IsInOrder(columns[0]);
        _partPrepared = new bool[columns.Length];
        _parts = new IComponent[columns.Length][];
        for (int m = 0; m < columns.Length; m++)
        {
            _parts[m] = new IComponent[componentCount];
        }

        _logWeights = new double[componentCount];
        _zeroLogWeights = new double[componentCount];
    }

    /// <summary>
    /// Keeps log π_k and each marginal's K components, and prepares the marginals' own kernels with log-weights 0;
    /// false when K or a component's shape (dimension, marginals, columns) differs from this family's. A marginal
    /// whose kernel refuses its components is served by their per-component densities for this pass instead.
    /// </summary>
    /// <param name="components">The K product components.</param>
    /// <param name="logWeights">log π_k.</param>
    public bool Prepare(IReadOnlyList<ProductComponent> components, ReadOnlySpan<double> logWeights)
    {
        if (components.Count != _k || logWeights.Length != _k)
        {
            return false;
        }

        for (int k = 0; k < _k; k++)
        {
            var component = components[k];
            if (component.Dimension != _d || component.MarginalCount != _columns.Length)
            {
                return false;
            }

            for (int m = 0; m < _columns.Length; m++)
            {
                var columns = component.ColumnArray(m);
                if (!ReferenceEquals(columns, _columns[m]) && !columns.AsSpan().SequenceEqual(_columns[m]))
                {
                    return false;
                }

                _parts[m][k] = component.Marginal(m);
            }
        }

        logWeights.CopyTo(_logWeights);
        for (int m = 0; m < _columns.Length; m++)
        {
            _partPrepared[m] = _partKernels[m]?.Prepare(_parts[m], _zeroLogWeights) == true;
        }

        return true;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accumulate(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<ProductStatistics> statistics)
    {
        int length = _k * count;
        var scratch = ScratchBuffer.Get(ref t_densities, 2 * length);
        var responsibilities = scratch[..length];
        var gathered = Gather(rows, count);
        GatheredJointLogDensity(gathered, count, responsibilities, count, scratch.Slice(length, length));
        EStepKernel.Responsibilities(responsibilities, count, _k, count, rowWeights, logLikelihood);

        for (int k = 0; k < _k; k++)
        {
            var weights = responsibilities.Slice(k * count, count);
            double total = VectorKernels.Sum(weights);
            if (total == 0)
            {
                // As the per-component path: ProductStatistics.Accumulate would add 0 to the total, and every part
                // (centred on its component by ResetStatistics at the start of the pass) nothing to its sums.
                continue;
            }

            var product = statistics[k];
            product.AddBlock(total);
            for (int m = 0; m < _columns.Length; m++)
            {
                product.Part(m).Accumulate(Columns(gathered, m, count), weights);
            }
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride)
    {
        var partial = ScratchBuffer.Get(ref t_densities, _k * count);
        GatheredJointLogDensity(Gather(rows, count), count, logProb, stride, partial);
    }

    /// <summary>Whether <paramref name="columns"/> is 0, 1, …, D − 1.</summary>
    private bool IsInOrder(int[] columns)
    {
        if (columns.Length != _d)
        {
            return false;
        }

        for (int j = 0; j < columns.Length; j++)
        {
            if (columns[j] != j)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Every marginal's columns of the block, gathered once into this thread's scratch (marginal m's count × c_m
    /// row-major values from count·start_m on); the rows themselves when one marginal covers them in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<double> Gather(ReadOnlySpan<double> rows, int count)
    {
        if (_identity)
        {
            return rows[..(count * _d)];
        }

        var gathered = ScratchBuffer.Get(ref t_gathered, count * _d);
        for (int m = 0; m < _columns.Length; m++)
        {
            var columns = _columns[m];
            ColumnGather.Gather(rows, count, _d, columns, gathered.Slice(count * _starts[m], count * columns.Length));
        }

        return gathered;
    }

    /// <summary>Marginal m's count × c_m block within the output of <see cref="Gather"/>.</summary>
    private ReadOnlySpan<double> Columns(ReadOnlySpan<double> gathered, int m, int count) =>
        gathered.Slice(count * _starts[m], count * _columns[m].Length);

    /// <summary>
    /// logProb[k·stride + n] = log π_k + Σ_m log p_m(xₙ | θ_km) from the gathered block, summed over the marginals in
    /// order and π added last, as <see cref="ProductComponent"/> and <see cref="ComponentDensities.JointLogDensity{TComponent}"/> do.
    /// </summary>
    /// <param name="gathered">The output of <see cref="Gather"/>.</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="logProb">K × stride destination.</param>
    /// <param name="stride">Distance between components in <paramref name="logProb"/>.</param>
    /// <param name="partial">K × count scratch for the second and later marginals' log-densities.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GatheredJointLogDensity(ReadOnlySpan<double> gathered, int count, Span<double> logProb, int stride, Span<double> partial)
    {
        for (int m = 0; m < _columns.Length; m++)
        {
            // The first marginal writes straight into the destination; the others into scratch, then added.
            var target = m == 0 ? logProb : partial;
            int targetStride = m == 0 ? stride : count;
            var x = Columns(gathered, m, count);
            if (_partPrepared[m])
            {
                _partKernels[m]!.JointLogDensity(x, count, target, targetStride);
            }
            else
            {
                var parts = _parts[m];
                for (int k = 0; k < _k; k++)
                {
                    ComponentDensities.LogDensity(parts[k], x, target.Slice(k * targetStride, count));
                }
            }

            if (m > 0)
            {
                for (int k = 0; k < _k; k++)
                {
                    VectorKernels.Add(partial.Slice(k * count, count), logProb.Slice(k * stride, count));
                }
            }
        }

        for (int k = 0; k < _k; k++)
        {
            VectorKernels.AddScalar(_logWeights[k], logProb.Slice(k * stride, count));
        }
    }
}
