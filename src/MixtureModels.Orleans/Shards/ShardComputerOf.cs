using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Serialization;

namespace MixtureModels.Orleans.Shards;

/// <summary>
/// The passes of one shard: an engine over the shard's rows cut into the fit's chunks (the same blocks and chunks as
/// the local fit's engine over all rows), whose per-chunk results go back to the coordinator. The components are
/// estimated here from the merged statistics the coordinator estimated them from, by the same family code.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The statistics type.</typeparam>
internal sealed class ShardComputer<TComponent, TStatistics> : ShardComputer
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    private readonly IComponentFamily<TComponent, TStatistics> _family;
    private readonly EmEngine<TComponent, TStatistics> _engine;
    private readonly int _k;
    private readonly int _rows;

    public ShardComputer(IComponentFamily<TComponent, TStatistics> family, DataMatrix rows, ShardAssignment assignment)
    {
        _family = family;
        _k = assignment.ComponentCount;
        _rows = rows.Rows;
        var settings = new EmSettings(0, 1, assignment.MaxDegreeOfParallelism);
        var plan = BlockPlan.WithChunkRows(rows.Rows, rows.Columns, assignment.ChunkRows);
        _engine = EmEngine<TComponent, TStatistics>.ForShard(family, MaximumLikelihoodWeights.Instance, rows, plan, _k, settings);
    }

    public override ShardPassResult Pass(ShardPassRequest request, CancellationToken cancellationToken)
    {
        var statistics = StatisticsSerializer.Deserialize(request.Statistics, _family);
        var components = new TComponent[_k];
        _family.Estimate(statistics, components);
        switch (request.Kind)
        {
            case ShardPassKind.Labels:
            {
                var labels = new int[_rows];
                _engine.PassChunks(request.LogWeights, components, false, false, labels, cancellationToken);
                return new ShardPassResult { Loaded = true, ChunkLogLikelihood = [.. _engine.ChunkLogLikelihoods], Labels = labels };
            }

            case ShardPassKind.Diagnosis:
            {
                var (chunkCounts, chunkEntropy) = _engine.DiagnoseChunks(request.LogWeights, components, cancellationToken);
                var counts = new double[chunkCounts.Length * _k];
                for (int c = 0; c < chunkCounts.Length; c++)
                {
                    chunkCounts[c].CopyTo(counts, c * _k);
                }

                return new ShardPassResult { Loaded = true, ChunkEntropy = chunkEntropy, ChunkCounts = counts };
            }

            default:
            {
                bool entropy = request.Kind == ShardPassKind.StatisticsAndEntropy;
                _engine.PassChunks(request.LogWeights, components, true, entropy, null, cancellationToken);
                var all = new List<TStatistics>(_engine.ChunkStatistics.Length * _k);
                foreach (var chunk in _engine.ChunkStatistics)
                {
                    all.AddRange(chunk);
                }

                return new ShardPassResult
                {
                    Loaded = true,
                    Statistics = StatisticsSerializer.SerializeToBytes(all, _family),
                    ChunkLogLikelihood = [.. _engine.ChunkLogLikelihoods],
                    ChunkEntropy = [.. _engine.ChunkEntropies],
                };
            }
        }
    }
}
