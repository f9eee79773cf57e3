using MixtureModels.Components;
using MixtureModels.Internal;

namespace MixtureModels.Fitting;

/// <summary>
/// The generic EM driver. It knows nothing of component types: the family creates accumulators and turns them
/// into components. One pass over the data, block by block and chunk by chunk in parallel, performs the E-step
/// (log-sum-exp responsibilities) and accumulates the M-step statistics of the same block while it is in cache.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
internal sealed class EmEngine<TComponent>
    where TComponent : class, IComponent
{
    private readonly IComponentFamily<TComponent> _family;
    private readonly DataMatrix _data;
    private readonly double[]? _sampleWeights;
    private readonly double _totalWeight;
    private readonly EmSettings _settings;
    private readonly BlockPlan _plan;
    private readonly int _k;
    private readonly double[][] _chunkLogProb;     // per chunk: K × BlockRows
    private readonly double[][] _chunkRowBuffer;   // per chunk: BlockRows (row weights or log-likelihoods of a block)
    private readonly double[] _chunkLogLikelihood; // per chunk partial Σ w·log p
    private readonly IBlockKernel<TComponent>? _blockKernel; // the family's batched path for complete blocks, if it has one
    private readonly int _prefetchRows;            // rows of the next block (about 4 KB) fetched ahead while a block is computed

    public EmEngine(IComponentFamily<TComponent> family, DataMatrix data, double[]? sampleWeights, int componentCount, EmSettings settings)
    {
        _family = family;
        _data = data;
        _sampleWeights = sampleWeights;
        _k = componentCount;
        _settings = settings;
        _plan = new BlockPlan(data.Rows, data.Columns);
        _totalWeight = sampleWeights is null ? data.Rows : Sum(sampleWeights);
        _chunkLogProb = new double[_plan.ChunkCount][];
        _chunkRowBuffer = new double[_plan.ChunkCount][];
        for (int c = 0; c < _plan.ChunkCount; c++)
        {
            _chunkLogProb[c] = new double[_k * _plan.BlockRows];
            _chunkRowBuffer[c] = new double[_plan.BlockRows];
        }

        _chunkLogLikelihood = new double[_plan.ChunkCount];
        _blockKernel = (family as IBlockKernelSource<TComponent>)?.CreateBlockKernel(componentCount);
        _prefetchRows = Math.Max(512 / data.Columns, 1);
    }

    /// <summary>Σ of the sample weights (N when unweighted).</summary>
    public double TotalWeight => _totalWeight;

    /// <summary>The M-step from given responsibilities (N × K, row-major): every initialiser ends here.</summary>
    public (double[] Weights, TComponent[] Components) FromResponsibilities(double[] responsibilities, CancellationToken cancellationToken)
    {
        var chunkStats = CreateChunkStatistics(null);
        ForEachChunk(cancellationToken, c =>
        {
            var (start, end) = _plan.Chunk(c);
            var stats = chunkStats[c];
            var w = _chunkRowBuffer[c];
            for (int blockStart = start; blockStart < end; blockStart += _plan.BlockRows)
            {
                int count = Math.Min(_plan.BlockRows, end - blockStart);
                var rows = _data.RowBlock(blockStart, count);
                for (int k = 0; k < _k; k++)
                {
                    for (int n = 0; n < count; n++)
                    {
                        w[n] = responsibilities[((blockStart + n) * _k) + k] * RowWeight(blockStart + n);
                    }

                    stats[k].Accumulate(rows, w.AsSpan(0, count));
                }
            }
        });
        return MStep(chunkStats, null);
    }

    /// <summary>Runs EM from a starting point until |ΔL| &lt; tol or the iteration limit.</summary>
    /// <param name="weights">Starting mixing weights.</param>
    /// <param name="components">Starting components.</param>
    /// <param name="previousLowerBound">−∞ for a fresh start; the previous fit's bound for a warm start.</param>
    /// <param name="initialization">Index reported in progress.</param>
    /// <param name="progress">Optional per-iteration callback.</param>
    /// <param name="cancellationToken">Checked between blocks and iterations.</param>
    public EmResult<TComponent> Run(double[] weights, TComponent[] components, double previousLowerBound, int initialization, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        var history = new List<double>(_settings.MaxIterations);
        double lowerBound = previousLowerBound;
        bool converged = false;
        var chunkStats = CreateChunkStatistics(components);
        int iteration = 0;
        while (iteration < _settings.MaxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iteration++;
            double previous = lowerBound;
            lowerBound = Pass(weights, components, chunkStats, null, cancellationToken) / _totalWeight;
            (weights, components) = MStep(chunkStats, components);
            history.Add(lowerBound);
            double change = lowerBound - previous;
            progress?.Report(new FitProgress(initialization, iteration, lowerBound, change));
            if (Math.Abs(change) < _settings.Tolerance)
            {
                converged = true;
                break;
            }
        }

        return new EmResult<TComponent>(weights, components, converged, iteration, lowerBound, history.ToArray());
    }

    /// <summary>
    /// One E-step pass for the gradient optimiser: the mean log-likelihood at (weights, components) and the K merged
    /// statistics of c_nk = wₙ·p(z = k | xₙ), each centred on its component. Reuses <paramref name="chunkStats"/> when given
    /// (from a previous call with the same K), so repeated evaluations do not allocate per chunk.
    /// </summary>
    public (double MeanLogLikelihood, ISufficientStatistics[] Statistics) Statistics(double[] weights, TComponent[] components, ref ISufficientStatistics[][]? chunkStats, CancellationToken cancellationToken)
    {
        chunkStats ??= CreateChunkStatistics(components);
        double mean = Pass(weights, components, chunkStats, null, cancellationToken) / _totalWeight;
        return (mean, Merge(chunkStats, components));
    }

    /// <summary>The final E-step: mean log-likelihood of the data under the given model, and the hard labels.</summary>
    public double Evaluate(double[] weights, TComponent[] components, int[] labels, CancellationToken cancellationToken) =>
        Pass(weights, components, null, labels, cancellationToken) / _totalWeight;

    private double Pass(double[] weights, TComponent[] components, ISufficientStatistics[][]? chunkStats, int[]? labels, CancellationToken cancellationToken)
    {
        var logWeights = EStepKernel.LogWeights(weights);
        var blockKernel = _blockKernel is not null && _blockKernel.Prepare(components, logWeights) ? _blockKernel : null;
        ForEachChunk(cancellationToken, c =>
        {
            var (start, end) = _plan.Chunk(c);
            var stats = chunkStats?[c];
            if (stats is not null)
            {
                // Centre this pass's statistics on the components being re-estimated: the result of an iteration
                // then depends only on where it starts, so a warm start continues a fit exactly.
                for (int k = 0; k < _k; k++)
                {
                    _family.ResetStatistics(stats[k], components[k]);
                }
            }

            int b = _plan.BlockRows;
            var logProb = _chunkLogProb[c];
            double sum = 0;
            for (int blockStart = start; blockStart < end; blockStart += b)
            {
                int count = Math.Min(b, end - blockStart);
                var rows = _data.RowBlock(blockStart, count);
                if (blockStart + count < end)
                {
                    // The first lines of the next block, while this one is computed; the kernels fetch ahead within a block.
                    BlockVectorMath.Prefetch(_data.RowBlock(blockStart + count, Math.Min(_prefetchRows, end - blockStart - count)));
                }

                bool incomplete = _data.BlockHasMissing(blockStart, count);
                if (blockKernel is not null && !incomplete && stats is not null)
                {
                    // The family's batched path: E-step and statistics of all K components in one go.
                    var rowWeights = _sampleWeights is null ? default : _sampleWeights.AsSpan(blockStart, count);
                    var logLikelihoods = _chunkRowBuffer[c].AsSpan(0, count);
                    blockKernel.Accumulate(rows, count, rowWeights, logLikelihoods, stats);
                    for (int n = 0; n < count; n++)
                    {
                        sum += RowWeight(blockStart + n) * logLikelihoods[n];
                    }

                    continue;
                }

                if (blockKernel is not null && !incomplete)
                {
                    blockKernel.JointLogDensity(rows, count, logProb, b);
                }
                else
                {
                    EStepKernel.JointLogDensity(components, logWeights, rows, count, logProb, b, incomplete);
                }

                if (stats is null)
                {
                    var logLikelihoods = _chunkRowBuffer[c].AsSpan(0, count);
                    EStepKernel.LogSumExp(logProb, count, _k, b, logLikelihoods, labels is null ? default : labels.AsSpan(blockStart, count));
                    for (int n = 0; n < count; n++)
                    {
                        sum += RowWeight(blockStart + n) * logLikelihoods[n];
                    }
                }
                else
                {
                    // Responsibility × sample weight becomes the row weight of component k's accumulator.
                    var rowWeights = _sampleWeights is null ? default : _sampleWeights.AsSpan(blockStart, count);
                    var logLikelihoods = _chunkRowBuffer[c].AsSpan(0, count);
                    EStepKernel.Responsibilities(logProb, count, _k, b, rowWeights, logLikelihoods);
                    for (int n = 0; n < count; n++)
                    {
                        sum += RowWeight(blockStart + n) * logLikelihoods[n];
                    }
                }

                if (stats is not null)
                {
                    for (int k = 0; k < _k; k++)
                    {
                        if (incomplete)
                        {
                            stats[k].AccumulateIncomplete(rows, logProb.AsSpan(k * b, count));
                        }
                        else
                        {
                            stats[k].Accumulate(rows, logProb.AsSpan(k * b, count));
                        }
                    }
                }
            }

            _chunkLogLikelihood[c] = sum;
        });

        double result = 0;
        foreach (double s in _chunkLogLikelihood)
        {
            result += s;
        }

        return result;
    }

    private (double[] Weights, TComponent[] Components) MStep(ISufficientStatistics[][] chunkStats, TComponent[]? current)
    {
        var merged = Merge(chunkStats, current);
        var components = new TComponent[_k];
        _family.Estimate(merged, components);
        var weights = new double[_k];
        double total = 0;
        for (int k = 0; k < _k; k++)
        {
            weights[k] = merged[k].TotalWeight + MixtureConstants.EmptyComponentWeight;
            total += weights[k];
        }

        for (int k = 0; k < _k; k++)
        {
            weights[k] /= total;
        }

        return (weights, components);
    }

    /// <summary>Merges the chunks' statistics in a fixed order, so that the result does not depend on the thread count.</summary>
    private ISufficientStatistics[] Merge(ISufficientStatistics[][] chunkStats, TComponent[]? current)
    {
        var merged = new ISufficientStatistics[_k];
        for (int k = 0; k < _k; k++)
        {
            merged[k] = _family.CreateStatistics(current?[k]);
            for (int c = 0; c < chunkStats.Length; c++)
            {
                merged[k].Merge(chunkStats[c][k]);
            }
        }

        return merged;
    }

    private ISufficientStatistics[][] CreateChunkStatistics(TComponent[]? current)
    {
        var result = new ISufficientStatistics[_plan.ChunkCount][];
        for (int c = 0; c < result.Length; c++)
        {
            result[c] = new ISufficientStatistics[_k];
            for (int k = 0; k < _k; k++)
            {
                result[c][k] = _family.CreateStatistics(current?[k]);
            }
        }

        return result;
    }

    private void ForEachChunk(CancellationToken cancellationToken, Action<int> body)
    {
        if (_plan.ChunkCount == 1 || _settings.MaxDegreeOfParallelism == 1)
        {
            for (int c = 0; c < _plan.ChunkCount; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(c);
            }

            return;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = _settings.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, _plan.ChunkCount, options, body);
    }

    private double RowWeight(int row) => _sampleWeights is null ? 1.0 : _sampleWeights[row];

    private static double Sum(double[] values)
    {
        double s = 0;
        foreach (double v in values)
        {
            s += v;
        }

        return s;
    }
}
