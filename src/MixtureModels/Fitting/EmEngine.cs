using MixtureModels.Components;
using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// The generic EM driver. It knows nothing of component types: the family creates accumulators and turns them into
/// components, and the weight step (<see cref="IWeightStep"/>) turns their totals into mixing weights. One pass over
/// the data, block by block and chunk by chunk in parallel, performs the E-step (log-sum-exp responsibilities, through
/// <see cref="BlockEStep{TComponent}"/> or the family's fused <see cref="IBlockKernel{TComponent, TStatistics}"/>) and
/// accumulates the M-step statistics of the same block while it is in cache. Chunks own their accumulators, merged in
/// a fixed order, so the result is the same for any thread count. What an iteration reports and stops on is the E-step's
/// mean log-likelihood, unless an <see cref="IEmObjective{TComponent, TStatistics}"/> is given (the variational fit's
/// evidence lower bound); such fits also get the responsibilities' entropy from the pass, on the unfused path.
/// The rows are either in memory (a <see cref="DataMatrix"/>) or read from a <see cref="RowSource"/> once per pass
/// (out of core): then a <see cref="RowFeed"/> re-assembles the source's blocks into the plan's blocks, which go through
/// the same per-block code, chunk by chunk in row order, into the same per-chunk accumulators merged in the same order,
/// so that both fits of the same rows are bit-identical. Or the rows are held by the shards of a distributed fit
/// (package MixtureModels.Orleans): then an <see cref="IRemoteChunks{TComponent, TStatistics}"/> fills every chunk's
/// results, each shard computing its chunks with <see cref="PassChunks"/> of an engine over its own rows
/// (<see cref="ForShard"/>), and the merge in chunk order is again the same.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The statistics type.</typeparam>
internal sealed class EmEngine<TComponent, TStatistics>
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    private readonly IComponentFamily<TComponent, TStatistics> _family;
    private readonly IWeightStep _weightStep;
    private readonly DataMatrix? _data;           // the rows, when in memory
    private readonly RowFeed? _feed;              // the rows, when read from a source once per pass
    private readonly IRemoteChunks<TComponent, TStatistics>? _remote; // the rows, when held by the shards of a distributed fit
    private readonly int _columns;
    private readonly double[]? _sampleWeights;
    private readonly double _totalWeight;
    private readonly EmSettings _settings;
    private readonly BlockPlan _plan;
    private readonly int _k;
    private readonly double[] _chunkLogLikelihood; // per chunk partial Σ w·log p
    private readonly double[] _chunkEntropy;       // per chunk partial −Σ w Σ_k r log r (computed only for a fit with an objective)
    private readonly IBlockKernel<TComponent, TStatistics>? _blockKernel; // the family's batched path for complete blocks, if it has one
    private readonly int _prefetchRows;            // rows of the next block (about 4 KB) fetched ahead while a block is computed
    private readonly TStatistics[][] _chunkStats;  // per chunk: K accumulators, reset before every pass and reused for the whole fit
    private readonly IEmObjective<TComponent, TStatistics>? _objective; // what an iteration reports, when not the E-step's mean log-likelihood
    private TStatistics[]? _merged;                // the K merged accumulators, reused from one M-step to the next
    private double[]? _lastTotals;                 // N_k of the last M-step
    private readonly long _chunkStatisticsBytes;   // the size of one accumulator

    /// <summary>Below this many bytes of chunk statistics, the merge stays on the calling thread.</summary>
    private const long ParallelMergeBytes = 256L << 10;

    public EmEngine(IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, DataMatrix data, double[]? sampleWeights, int componentCount, EmSettings settings, IEmObjective<TComponent, TStatistics>? objective = null)
        : this(family, weightStep, data, null, null, null, data.Rows, data.Columns, sampleWeights, componentCount, settings, objective)
    {
    }

    /// <summary>
    /// An engine over the rows of a run of whole chunks of a larger plan, cut into chunks of <paramref name="plan"/>
    /// (<see cref="BlockPlan.WithChunkRows"/>): a distributed shard, whose <see cref="PassChunks"/> and
    /// <see cref="DiagnoseChunks"/> compute its chunks exactly as the larger plan's engine would (unweighted).
    /// </summary>
    public static EmEngine<TComponent, TStatistics> ForShard(IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, DataMatrix data, BlockPlan plan, int componentCount, EmSettings settings) =>
        new(family, weightStep, data, null, null, plan, data.Rows, data.Columns, null, componentCount, settings, null);

    /// <summary>
    /// An engine over <paramref name="rows"/> × <paramref name="columns"/> rows held elsewhere (the shards of a
    /// distributed fit), whose passes <paramref name="remote"/> computes chunk by chunk; the plan is that of the same rows
    /// in memory, and the engine merges the chunks in the same order (unweighted).
    /// </summary>
    public EmEngine(IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, IRemoteChunks<TComponent, TStatistics> remote, int rows, int columns, int componentCount, EmSettings settings)
        : this(family, weightStep, null, null, remote, null, rows, columns, null, componentCount, settings, null)
    {
    }

    /// <summary>An engine over <paramref name="rows"/> × <paramref name="columns"/> rows read from <paramref name="feed"/> once per pass (unweighted); the plan is that of the same rows in memory.</summary>
    public EmEngine(IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, RowFeed feed, int rows, int columns, int componentCount, EmSettings settings, IEmObjective<TComponent, TStatistics>? objective = null)
        : this(family, weightStep, null, feed, null, null, rows, columns, null, componentCount, settings, objective)
    {
    }

    private EmEngine(IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, DataMatrix? data, RowFeed? feed, IRemoteChunks<TComponent, TStatistics>? remote, BlockPlan? plan, int rows, int columns, double[]? sampleWeights, int componentCount, EmSettings settings, IEmObjective<TComponent, TStatistics>? objective)
    {
        _feed = feed;
        _remote = remote;
        _columns = columns;
        _objective = objective;
        _family = family;
        _weightStep = weightStep;
        _data = data;
        _sampleWeights = sampleWeights;
        _k = componentCount;
        _settings = settings;
        // One accumulator tells the size of all: the chunk count keeps K × chunks accumulators within the budget.
        var first = family.CreateStatistics(default);
        _chunkStatisticsBytes = first.SizeInBytes;
        _plan = plan ?? new BlockPlan(rows, columns, componentCount * first.SizeInBytes);
        _totalWeight = sampleWeights is null ? rows : Sum(sampleWeights);
        // The chunks' accumulators are made by the pass's threads, so the allocator's clearing of fresh memory is shared
        // between them; a block's scratch is the thread's own (BlockScratch).
        var chunkStats = _chunkStats = new TStatistics[_plan.ChunkCount][];
        int componentCountLocal = _k;
        ChunkRunner.ForEach(_plan.ChunkCount, settings.MaxDegreeOfParallelism, CancellationToken.None, c =>
        {
            var stats = chunkStats[c] = new TStatistics[componentCountLocal];
            for (int k = 0; k < stats.Length; k++)
            {
                stats[k] = c == 0 && k == 0 ? first : family.CreateStatistics(default);
            }
        });

        _chunkLogLikelihood = new double[_plan.ChunkCount];
        _chunkEntropy = new double[_plan.ChunkCount];

        _blockKernel = (family as IBlockKernelSource<TComponent, TStatistics>)?.CreateBlockKernel(componentCount);
        _prefetchRows = Math.Max(512 / columns, 1);
    }

    /// <summary>Σ of the sample weights (N when unweighted).</summary>
    public double TotalWeight => _totalWeight;

    /// <summary>How the rows are cut into blocks and chunks.</summary>
    public BlockPlan Plan => _plan;

    /// <summary>Per chunk, the K accumulators of the last pass that computed statistics.</summary>
    public TStatistics[][] ChunkStatistics => _chunkStats;

    /// <summary>Per chunk, Σ w·log p of the last pass.</summary>
    public double[] ChunkLogLikelihoods => _chunkLogLikelihood;

    /// <summary>Per chunk, the responsibilities' weighted entropy of the last pass that computed it.</summary>
    public double[] ChunkEntropies => _chunkEntropy;

    /// <summary>
    /// Called after every M-step with the K merged statistics and the components estimated from them (before the
    /// statistics are reused): a distributed fit sends these statistics to its shards, which estimate the same components.
    /// </summary>
    public Action<TStatistics[], TComponent[]>? MStepCompleted { get; set; }

    /// <summary>
    /// One E-step pass with the given log-weights, leaving per-chunk results in <see cref="ChunkStatistics"/> (when
    /// <paramref name="statistics"/>), <see cref="ChunkLogLikelihoods"/>, <see cref="ChunkEntropies"/> (when
    /// <paramref name="entropy"/>) and <paramref name="labels"/> (when given): the work of a distributed shard.
    /// </summary>
    public void PassChunks(double[] logWeights, TComponent[] components, bool statistics, bool entropy, int[]? labels, CancellationToken cancellationToken) =>
        PassCore(logWeights, components, statistics ? _chunkStats : null, labels, entropy && statistics, cancellationToken);

    /// <summary>The diagnostic E-step per chunk (see <see cref="Diagnose"/>): the work of a distributed shard.</summary>
    public (double[][] ChunkCounts, double[] ChunkEntropy) DiagnoseChunks(double[] logWeights, TComponent[] components, CancellationToken cancellationToken)
    {
        var chunkCounts = new double[_plan.ChunkCount][];
        var chunkEntropy = new double[_plan.ChunkCount];
        DiagnoseCore(logWeights, components, chunkCounts, chunkEntropy, null, null, cancellationToken);
        return (chunkCounts, chunkEntropy);
    }

    /// <summary>The M-step from a start's responsibilities (N × K values, or labels): every initialiser ends here.</summary>
    public (double[] Weights, TComponent[] Components) FromResponsibilities(InitialAssignment responsibilities, CancellationToken cancellationToken)
    {
        var data = InMemory();
        var chunkStats = _chunkStats;
        ForEachChunk(cancellationToken, c =>
        {
            var (start, end) = _plan.Chunk(c);
            var stats = chunkStats[c];
            for (int k = 0; k < _k; k++)
            {
                // Empty and not centred: the first rows they see set the reference point, as for fresh accumulators.
                _family.ResetStatistics(stats[k], default);
            }

            var scratch = RentScratch();
            var w = scratch.RowValues;
            for (int blockStart = start; blockStart < end; blockStart += _plan.BlockRows)
            {
                int count = Math.Min(_plan.BlockRows, end - blockStart);
                var rows = data.RowBlock(blockStart, count);
                for (int k = 0; k < _k; k++)
                {
                    responsibilities.WeightsOf(k, blockStart, _sampleWeights, w.AsSpan(0, count));
                    stats[k].Accumulate(rows, w.AsSpan(0, count));
                }
            }

            scratch.Return();
        });
        return MStep(chunkStats, null);
    }

    /// <summary>Runs EM from a starting point until |ΔL| &lt; tol or the iteration limit.</summary>
    /// <param name="weights">Starting mixing weights.</param>
    /// <param name="components">Starting components.</param>
    /// <param name="previousLowerBound">−∞ for a fresh start; the previous fit's bound for a warm start.</param>
    /// <param name="initialization">Index reported in progress.</param>
    /// <param name="progress">Optional per-iteration callback. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Checked between blocks and iterations.</param>
    public EmResult<TComponent> Run(double[] weights, TComponent[] components, double previousLowerBound, int initialization, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        var history = new List<double>(_settings.MaxIterations);
        List<double>? objective = null;
        var prior = _family as IComponentPrior<TComponent>;
        var weightScratch = new double[_k];
        double lowerBound = previousLowerBound;
        bool converged = false;
        var chunkStats = _chunkStats;
        int iteration = 0;
        while (iteration < _settings.MaxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iteration++;
            double previous = lowerBound;
            double logNormalizerSum = Pass(weights, components, chunkStats, null, cancellationToken);
            var (previousWeights, previousComponents) = (weights, components);

            // The posterior objective of the same parameters: L + (log p(θ) + log p(π)) / W (only a prior makes it
            // differ; a variational objective is its own bound).
            if (_objective is null)
            {
                double logPrior = (prior?.LogPrior(components) ?? 0) + _weightStep.AddLogPrior(weights, 0, weightScratch);
                if (logPrior != 0 || objective is not null)
                {
                    objective ??= [.. history];
                    objective.Add((logNormalizerSum / _totalWeight) + (logPrior / _totalWeight));
                }
            }

            (weights, components) = MStep(chunkStats, components);
            lowerBound = _objective is null
                ? logNormalizerSum / _totalWeight
                : _objective.AfterMStep(logNormalizerSum, SumOf(_chunkEntropy), previousWeights, previousComponents, _merged!, weights, components);
            history.Add(lowerBound);
            double change = lowerBound - previous;
            progress?.Report(new FitProgress(initialization, iteration, lowerBound, change));
            if (Math.Abs(change) < _settings.Tolerance)
            {
                converged = true;
                break;
            }
        }

        return new EmResult<TComponent>(weights, components, converged, iteration, lowerBound, history.ToArray()) { ResponsibilityTotals = _lastTotals, ObjectiveHistory = objective?.ToArray() };
    }

    /// <summary>
    /// One E-step pass for the gradient optimiser: the mean log-likelihood at (weights, components) and the K merged
    /// statistics of c_nk = wₙ·p(z = k | xₙ), each centred on its component. The returned accumulators are the engine's
    /// own and are overwritten by the next call, so repeated evaluations do not allocate.
    /// </summary>
    public (double MeanLogLikelihood, TStatistics[] Statistics) Statistics(double[] weights, TComponent[] components, CancellationToken cancellationToken)
    {
        InMemory();
        double mean = Pass(weights, components, _chunkStats, null, cancellationToken) / _totalWeight;
        return (mean, Merge(_chunkStats, components));
    }

    /// <summary>The final E-step: mean log-likelihood of the data under the given model, and the hard labels.</summary>
    public double Evaluate(double[] weights, TComponent[] components, int[] labels, CancellationToken cancellationToken) =>
        Pass(weights, components, null, labels, cancellationToken) / _totalWeight;

    /// <summary>
    /// A diagnostic E-step (it changes nothing the fit returns): the effective row count N_k = Σₙ wₙ·p(z = k | xₙ) of
    /// every component, in rows of average weight, and the sample-weighted mean entropy of the responsibilities,
    /// −Σₙ wₙ Σ_k r_nk ln r_nk / Σₙ wₙ. Chunks keep their own sums, merged in a fixed order (thread-count independent).
    /// </summary>
    public (double[] RowCounts, double MeanEntropy) Diagnose(double[] weights, TComponent[] components, CancellationToken cancellationToken)
    {
        var chunkCounts = new double[_plan.ChunkCount][];
        var chunkEntropy = new double[_plan.ChunkCount];
        DiagnoseCore(LogWeights(weights), components, chunkCounts, chunkEntropy, null, null, cancellationToken);
        return MergeDiagnosis(chunkCounts, chunkEntropy);
    }

    /// <summary>
    /// Whether <see cref="DiagnoseAndEvaluate"/> can serve a run (every engine but a distributed one, whose shards answer
    /// the diagnostic and the labelling passes separately).
    /// </summary>
    public bool CanDiagnoseAndEvaluate => _remote is null;

    /// <summary>
    /// <see cref="Diagnose"/> and <see cref="Evaluate"/> under the same model in one pass over the data: the row counts
    /// and entropy of the diagnosis, the hard labels and the mean log-likelihood of the final E-step. Every number is
    /// the one the two passes give (the same per-block kernels, per-chunk sums and merge order). Not for a distributed
    /// engine (see <see cref="CanDiagnoseAndEvaluate"/>).
    /// </summary>
    public (double[] RowCounts, double MeanEntropy, double MeanLogLikelihood) DiagnoseAndEvaluate(double[] weights, TComponent[] components, int[] labels, CancellationToken cancellationToken)
    {
        if (_remote is not null)
        {
            throw new InvalidOperationException("A distributed engine diagnoses and labels in separate passes.");
        }

        var chunkCounts = new double[_plan.ChunkCount][];
        var chunkEntropy = new double[_plan.ChunkCount];
        var chunkLogLikelihood = new double[_plan.ChunkCount];
        DiagnoseCore(LogWeights(weights), components, chunkCounts, chunkEntropy, labels, chunkLogLikelihood, cancellationToken);
        var (rowCounts, meanEntropy) = MergeDiagnosis(chunkCounts, chunkEntropy);
        double logLikelihood = 0;
        foreach (double s in chunkLogLikelihood)
        {
            logLikelihood += s;
        }

        return (rowCounts, meanEntropy, logLikelihood / _totalWeight);
    }

    private (double[] RowCounts, double MeanEntropy) MergeDiagnosis(double[][] chunkCounts, double[] chunkEntropy)
    {
        var rowCounts = new double[_k];
        double total = 0;
        for (int c = 0; c < _plan.ChunkCount; c++)
        {
            for (int k = 0; k < _k; k++)
            {
                rowCounts[k] += chunkCounts[c][k];
            }

            total += chunkEntropy[c];
        }

        return (rowCounts, total / _totalWeight);
    }

    /// <summary>
    /// The diagnostic pass; with <paramref name="labels"/> and <paramref name="chunkLogLikelihood"/> it also does the work
    /// of the final E-step (<see cref="Evaluate"/>): labels and per-chunk log-likelihood sums.
    /// </summary>
    private void DiagnoseCore(double[] logWeights, TComponent[] components, double[][] chunkCounts, double[] chunkEntropy, int[]? labels, double[]? chunkLogLikelihood, CancellationToken cancellationToken)
    {
        if (_remote is not null)
        {
            _remote.Diagnose(logWeights, components, chunkCounts, chunkEntropy, cancellationToken);
            return;
        }

        var eStep = new BlockEStep<TComponent>(components, logWeights, _blockKernel);
        if (_feed is not null)
        {
            for (int c = 0; c < _plan.ChunkCount; c++)
            {
                chunkCounts[c] = new double[_k];
            }

            var logLikelihoods = chunkLogLikelihood ?? new double[_plan.ChunkCount];
            ForEachSourceBlock(
                (c, data, local, blockStart, count) =>
                {
                    var scratch = RentScratch();
                    DiagnoseBlock(eStep, scratch, data, local, blockStart, count, chunkCounts[c], ref chunkEntropy[c], labels, ref logLikelihoods[c]);
                    scratch.Return();
                },
                cancellationToken);
        }
        else
        {
            ForEachChunk(cancellationToken, c =>
            {
                var (start, end) = _plan.Chunk(c);
                var counts = new double[_k];
                int b = _plan.BlockRows;
                double entropy = 0, logLikelihood = 0;
                var scratch = RentScratch();
                for (int blockStart = start; blockStart < end; blockStart += b)
                {
                    int count = Math.Min(b, end - blockStart);
                    if (blockStart + count < end)
                    {
                        // The first lines of the next block, as in a pass.
                        BlockVectorMath.Prefetch(_data!.RowBlock(blockStart + count, Math.Min(_prefetchRows, end - blockStart - count)));
                    }

                    DiagnoseBlock(eStep, scratch, _data!, blockStart, blockStart, count, counts, ref entropy, labels, ref logLikelihood);
                }

                scratch.Return();
                chunkCounts[c] = counts;
                chunkEntropy[c] = entropy;
                if (chunkLogLikelihood is not null)
                {
                    chunkLogLikelihood[c] = logLikelihood;
                }
            });
        }
    }

    /// <summary>The E-step log-weights of <paramref name="weights"/> under the weight step.</summary>
    public double[] LogWeights(double[] weights)
    {
        var logWeights = new double[weights.Length];
        _weightStep.LogWeights(weights, logWeights);
        return logWeights;
    }

    private double Pass(double[] weights, TComponent[] components, TStatistics[][]? chunkStats, int[]? labels, CancellationToken cancellationToken) =>
        PassCore(LogWeights(weights), components, chunkStats, labels, _objective is not null && chunkStats is not null, cancellationToken);

    private double PassCore(double[] logWeights, TComponent[] components, TStatistics[][]? chunkStats, int[]? labels, bool entropy, CancellationToken cancellationToken)
    {
        if (_remote is not null)
        {
            _remote.Pass(logWeights, components, chunkStats, entropy, _chunkLogLikelihood, _chunkEntropy, labels, cancellationToken);
            return SumOf(_chunkLogLikelihood);
        }

        var eStep = new BlockEStep<TComponent>(components, logWeights, _blockKernel);

        // The objective's entropy needs each row's log-probabilities, which the fused kernel does not expose.
        var fused = eStep.UsesKernel && !entropy ? _blockKernel : null;
        if (_feed is not null)
        {
            // Out of core: every chunk starts as the in-memory pass starts it, then sees its blocks in row order.
            for (int c = 0; c < _plan.ChunkCount; c++)
            {
                ResetChunk(chunkStats?[c], components);
                _chunkLogLikelihood[c] = 0;
                _chunkEntropy[c] = 0;
            }

            ForEachSourceBlock(
                (c, data, local, blockStart, count) =>
                {
                    var scratch = RentScratch();
                    PassBlock(eStep, fused, entropy, chunkStats?[c], labels, scratch, data, local, blockStart, count, ref _chunkLogLikelihood[c], ref _chunkEntropy[c]);
                    scratch.Return();
                },
                cancellationToken);
        }
        else
        {
            var data = _data!;
            ForEachChunk(cancellationToken, c =>
            {
                var (start, end) = _plan.Chunk(c);
                var stats = chunkStats?[c];
                ResetChunk(stats, components);
                int b = _plan.BlockRows;
                double sum = 0, entropySum = 0;
                var scratch = RentScratch();
                for (int blockStart = start; blockStart < end; blockStart += b)
                {
                    int count = Math.Min(b, end - blockStart);
                    var next = blockStart + count < end ? data.RowBlock(blockStart + count, Math.Min(b, end - blockStart - count)) : default;
                    if (!next.IsEmpty)
                    {
                        // The first lines of the next block, while this one is computed; the kernels fetch ahead within a
                        // block, and a fetch-ahead kernel fetches the rest of the next block while it computes this one.
                        BlockVectorMath.Prefetch(next[..Math.Min(next.Length, _prefetchRows * _columns)]);
                    }

                    PassBlock(eStep, fused, entropy, stats, labels, scratch, data, blockStart, blockStart, count, ref sum, ref entropySum, next);
                }

                scratch.Return();
                _chunkLogLikelihood[c] = sum;
                _chunkEntropy[c] = entropySum;
            });
        }

        double result = 0;
        foreach (double s in _chunkLogLikelihood)
        {
            result += s;
        }

        return result;
    }

    /// <summary>
    /// Centres a chunk's statistics on the components being re-estimated: the result of an iteration then depends only
    /// on where it starts, so a warm start continues a fit exactly.
    /// </summary>
    private void ResetChunk(TStatistics[]? stats, TComponent[] components)
    {
        if (stats is not null)
        {
            for (int k = 0; k < _k; k++)
            {
                _family.ResetStatistics(stats[k], components[k]);
            }
        }
    }

    /// <summary>
    /// One block of a pass: rows [blockStart, blockStart + count) of the data set, which are rows [local, local + count)
    /// of <paramref name="data"/> (the whole data in memory, or a batch of a source), into its chunk's accumulators
    /// <paramref name="stats"/> and sums, computed in the thread's <paramref name="scratch"/>.
    /// </summary>
    private void PassBlock(
        BlockEStep<TComponent> eStep,
        IBlockKernel<TComponent, TStatistics>? fused,
        bool entropy,
        TStatistics[]? stats,
        int[]? labels,
        BlockScratch scratch,
        DataMatrix data,
        int local,
        int blockStart,
        int count,
        ref double sum,
        ref double entropySum,
        ReadOnlySpan<double> next = default)
    {
        int b = _plan.BlockRows;
        var logProb = scratch.LogProb;
        var rows = data.RowBlock(local, count);
        bool incomplete = data.BlockHasMissing(local, count);
        var rowWeights = _sampleWeights is null ? default : _sampleWeights.AsSpan(blockStart, count);
        var logLikelihoods = scratch.RowValues.AsSpan(0, count);
        if (fused is not null && !incomplete && stats is not null)
        {
            // The family's batched path: E-step and statistics of all K components in one go.
            if (!next.IsEmpty && fused is IFetchAheadKernel<TStatistics> ahead)
            {
                ahead.Accumulate(rows, count, rowWeights, logLikelihoods, stats, next);
            }
            else
            {
                fused.Accumulate(rows, count, rowWeights, logLikelihoods, stats);
            }

            sum += WeightedSum(blockStart, logLikelihoods);
            return;
        }

        eStep.JointLogDensity(data, local, count, logProb, b);
        if (stats is null)
        {
            EStepKernel.LogSumExp(logProb, count, _k, b, logLikelihoods, labels is null ? default : labels.AsSpan(blockStart, count));
            sum += WeightedSum(blockStart, logLikelihoods);
            return;
        }

        if (entropy)
        {
            entropySum += WeightedEntropy(blockStart, count, logProb, b);
        }

        // Responsibility × sample weight becomes the row weight of component k's accumulator.
        EStepKernel.Responsibilities(logProb, count, _k, b, rowWeights, logLikelihoods);
        sum += WeightedSum(blockStart, logLikelihoods);
        for (int k = 0; k < _k; k++)
        {
            if (incomplete)
            {
                // The estimator checked once that the statistics take missing entries.
                ((IMissingValueStatistics)stats[k]).AccumulateIncomplete(rows, logProb.AsSpan(k * b, count));
            }
            else
            {
                stats[k].Accumulate(rows, logProb.AsSpan(k * b, count));
            }
        }
    }

    /// <summary>One block of the diagnostic E-step (see <see cref="PassBlock"/> for the row indices).</summary>
    /// <remarks>
    /// With <paramref name="labels"/>, also the labelling E-step's work: the first most probable component of every row
    /// (taken from the joint log-densities before they become responsibilities, as <see cref="EStepKernel.LogSumExp"/>
    /// takes it) and the weighted sum of log p(xₙ) (the same log-sum-exp: a term the responsibilities flush to 0 is
    /// below half an ulp of the row's largest term, 1).
    /// </remarks>
    private void DiagnoseBlock(BlockEStep<TComponent> eStep, BlockScratch scratch, DataMatrix data, int local, int blockStart, int count, double[] counts, ref double entropy, int[]? labels, ref double logLikelihood)
    {
        int b = _plan.BlockRows;
        var logProb = scratch.LogProb;
        eStep.JointLogDensity(data, local, count, logProb, b);
        if (labels is not null)
        {
            EStepKernel.ArgMax(logProb, count, _k, b, labels.AsSpan(blockStart, count));
        }

        var logLikelihoods = scratch.RowValues.AsSpan(0, count);
        EStepKernel.Responsibilities(logProb, count, _k, b, default, logLikelihoods);
        if (labels is not null)
        {
            logLikelihood += WeightedSum(blockStart, logLikelihoods);
        }

        var rowWeights = _sampleWeights is null ? default : _sampleWeights.AsSpan(blockStart, count);
        for (int k = 0; k < _k; k++)
        {
            EStepKernel.AddCountAndEntropy(logProb.AsSpan(k * b, count), rowWeights, ref counts[k], ref entropy);
        }
    }

    /// <summary>What a pass over a source does with one of the plan's blocks: its chunk, the batch holding it, its row in the batch and in the data set, its row count.</summary>
    private delegate void SourceBlockAction(int chunk, DataMatrix batch, int local, int blockStart, int count);

    /// <summary>
    /// Reads the source once and calls <paramref name="body"/> on every block of the plan, in row order: the blocks of
    /// chunk c are those of the in-memory pass, in the same order (a batch starts at a multiple of the block rows).
    /// </summary>
    private void ForEachSourceBlock(SourceBlockAction body, CancellationToken cancellationToken)
    {
        int b = _plan.BlockRows;
        _feed!.Pass(_plan.Rows, _columns, (batch, firstRow) =>
        {
            for (int local = 0; local < batch.Rows; local += b)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int blockStart = firstRow + local;
                int c = blockStart / _plan.ChunkRows;
                int count = Math.Min(b, Math.Min(_plan.Rows, (c + 1) * _plan.ChunkRows) - blockStart);
                body(c, batch, local, blockStart, count);
            }
        }, cancellationToken);
    }

    /// <summary>The rows in memory; an initialiser's M-step and the gradient passes need them.</summary>
    private DataMatrix InMemory() => _data ?? throw new InvalidOperationException("This step needs the rows in memory; an engine over a row source runs EM passes only.");

    /// <summary>−Σₙ wₙ Σ_k r_nk log r_nk of a block, from its joint log-densities logProb[k·stride + n] (terms with r = 0 are 0).</summary>
    private double WeightedEntropy(int blockStart, int count, ReadOnlySpan<double> logProb, int stride)
    {
        double total = 0;
        for (int n = 0; n < count; n++)
        {
            double logNormalizer = EStepKernel.RowLogSumExp(logProb, n, _k, stride, out _);
            double rowEntropy = 0;
            for (int k = 0; k < _k; k++)
            {
                double logResponsibility = logProb[(k * stride) + n] - logNormalizer;
                double r = Math.Exp(logResponsibility);
                if (r > 0)
                {
                    rowEntropy -= r * logResponsibility;
                }
            }

            total += RowWeight(blockStart + n) * rowEntropy;
        }

        return total;
    }

    private static double SumOf(double[] values)
    {
        double result = 0;
        foreach (double v in values)
        {
            result += v;
        }

        return result;
    }

    private double WeightedSum(int blockStart, ReadOnlySpan<double> logLikelihoods)
    {
        double sum = 0;
        if (_sampleWeights is null)
        {
            // 1 · v is v: the same sum, in the same order, without a weight per row.
            foreach (double v in logLikelihoods)
            {
                sum += v;
            }

            return sum;
        }

        var weights = _sampleWeights.AsSpan(blockStart, logLikelihoods.Length);
        for (int n = 0; n < logLikelihoods.Length; n++)
        {
            sum += weights[n] * logLikelihoods[n];
        }

        return sum;
    }

    private (double[] Weights, TComponent[] Components) MStep(TStatistics[][] chunkStats, TComponent[]? current)
    {
        var merged = Merge(chunkStats, current);
        var components = new TComponent[_k];
        _family.Estimate(merged, components);
        MStepCompleted?.Invoke(merged, components);
        var totals = new double[_k];
        for (int k = 0; k < _k; k++)
        {
            totals[k] = merged[k].TotalWeight;
        }

        var weights = new double[_k];
        _weightStep.Estimate(totals, weights);
        _lastTotals = totals;
        return (weights, components);
    }

    /// <summary>
    /// Merges the chunks' statistics in a fixed order, so that the result does not depend on the thread count. The K
    /// merged accumulators are reused from one call to the next, reset and centred on <paramref name="current"/> (after an
    /// initialiser, <paramref name="current"/> is null and they are centred by the first rows they see).
    /// </summary>
    private TStatistics[] Merge(TStatistics[][] chunkStats, TComponent[]? current)
    {
        var merged = _merged ??= new TStatistics[_k];
        for (int k = 0; k < _k; k++)
        {
            if (merged[k] is null)
            {
                merged[k] = _family.CreateStatistics(current is null ? null : current[k]);
            }
            else
            {
                _family.ResetStatistics(merged[k], current is null ? null : current[k]);
            }
        }

        // Component by component in parallel: each merges the chunks in chunk order into its own accumulator, so the
        // result is the same for any thread count. The chunks' statistics were last written by the pass's workers, and
        // reading them (K × chunks accumulators, 8.6 MB at D = 32, K = 16) from both cores takes half the time.
        if (_k * (long)chunkStats.Length * _chunkStatisticsBytes < ParallelMergeBytes)
        {
            for (int k = 0; k < _k; k++)
            {
                MergeComponent(merged, chunkStats, k);
            }
        }
        else
        {
            ChunkRunner.ForEach(_k, _settings.MaxDegreeOfParallelism, CancellationToken.None, k => MergeComponent(merged, chunkStats, k));
        }

        return merged;
    }

    /// <summary>Merges every chunk's accumulator of component <paramref name="k"/>, in chunk order, into merged[k].</summary>
    private static void MergeComponent(TStatistics[] merged, TStatistics[][] chunkStats, int k)
    {
        var target = merged[k];
        for (int c = 0; c < chunkStats.Length; c++)
        {
            target.Merge(chunkStats[c][k]);
        }
    }

    /// <summary>The calling thread's scratch for one block of this engine's plan (K × block rows, and block rows).</summary>
    private BlockScratch RentScratch() => BlockScratch.Rent(_k * _plan.BlockRows, _plan.BlockRows);

    private void ForEachChunk(CancellationToken cancellationToken, Action<int> body) =>
        ChunkRunner.ForEach(_plan.ChunkCount, _settings.MaxDegreeOfParallelism, cancellationToken, body);

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
