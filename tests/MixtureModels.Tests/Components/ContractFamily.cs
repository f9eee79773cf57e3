using MixtureModels.Components;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Components;

/// <summary>
/// A non-generic view of an <see cref="IComponentFamily{TComponent, TStatistics}"/>, so that one contract fixture can run over
/// families of every component type. Each member forwards to the typed family.
/// </summary>
internal sealed class ContractFamily
{
    private readonly Func<int, int> _parameterCount;
    private readonly Func<IComponent?, ISufficientStatistics> _createStatistics;
    private readonly Action<ISufficientStatistics, IComponent> _resetStatistics;
    private readonly Func<ISufficientStatistics[], IComponent[]> _estimate;
    private readonly Action<ISufficientStatistics, ISufficientStatistics> _merge;
    private readonly Func<DataMatrix, double[], int, int, int, double[]> _runEm;
    private readonly Func<IComponent[], double[], ComponentDegeneracy[]> _checkDegeneracy;

    private ContractFamily(
        object family,
        int dimension,
        Func<int, int> parameterCount,
        Func<IComponent?, ISufficientStatistics> createStatistics,
        Action<ISufficientStatistics, IComponent> resetStatistics,
        Func<ISufficientStatistics[], IComponent[]> estimate,
        Action<ISufficientStatistics, ISufficientStatistics> merge,
        Func<DataMatrix, double[], int, int, int, double[]> runEm,
        Func<IComponent[], double[], ComponentDegeneracy[]> checkDegeneracy)
    {
        Inner = family;
        Dimension = dimension;
        _parameterCount = parameterCount;
        _createStatistics = createStatistics;
        _resetStatistics = resetStatistics;
        _estimate = estimate;
        _merge = merge;
        _runEm = runEm;
        _checkDegeneracy = checkDegeneracy;
    }

    /// <summary>The typed family behind the adapter.</summary>
    public object Inner { get; }

    /// <summary>K statistics of the family as JSON bytes (<see cref="MixtureModels.Serialization.StatisticsSerializer"/>).</summary>
    public Func<ISufficientStatistics[], byte[]> SerializeStatistics { get; private init; } = null!;

    /// <summary>Statistics of the family read back from JSON bytes.</summary>
    public Func<byte[], ISufficientStatistics[]> DeserializeStatistics { get; private init; } = null!;

    public int Dimension { get; }

    public static ContractFamily From<TComponent, TStatistics>(IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        ArgumentNullException.ThrowIfNull(family);
        return new ContractFamily(
            family,
            family.Dimension,
            family.ParameterCount,
            current => family.CreateStatistics((TComponent?)current),
            (statistics, current) => family.ResetStatistics((TStatistics)statistics, (TComponent)current),
            statistics =>
            {
                var typed = new TComponent[statistics.Length];
                family.Estimate(Array.ConvertAll(statistics, s => (TStatistics)s), typed);
                return Array.ConvertAll(typed, c => (IComponent)c);
            },
            (target, source) => ((TStatistics)target).Merge((TStatistics)source),
            (data, responsibilities, k, iterations, threads) =>
            {
                var engine = new EmEngine<TComponent, TStatistics>(family, MaximumLikelihoodWeights.Instance, data, null, k, new EmSettings(0, iterations, threads));
                var (weights, components) = engine.FromResponsibilities(InitialAssignment.Soft(responsibilities, k), CancellationToken.None);
                return engine.Run(weights, components, double.NegativeInfinity, 0, null, CancellationToken.None).LowerBoundHistory;
            },
            (components, rowCounts) =>
            {
                var result = new ComponentDegeneracy[components.Length];
                DegeneracyRule.Check<TComponent>(family, Array.ConvertAll(components, c => (TComponent)c), rowCounts, result);
                return result;
            })
        {
            SerializeStatistics = statistics => MixtureModels.Serialization.StatisticsSerializer.SerializeToBytes(Array.ConvertAll(statistics, s => (TStatistics)s), family),
            DeserializeStatistics = bytes => Array.ConvertAll(MixtureModels.Serialization.StatisticsSerializer.Deserialize(bytes, family), s => (ISufficientStatistics)s),
        };
    }

    public int ParameterCount(int componentCount) => _parameterCount(componentCount);

    /// <summary>The family's degeneracy check (or the generic rule) for components with the given effective row counts.</summary>
    public ComponentDegeneracy[] CheckDegeneracy(IComponent[] components, double[] rowCounts) => _checkDegeneracy(components, rowCounts);

    public ISufficientStatistics CreateStatistics(IComponent? current) => _createStatistics(current);

    public void ResetStatistics(ISufficientStatistics statistics, IComponent current) => _resetStatistics(statistics, current);

    public IComponent[] Estimate(params ISufficientStatistics[] statistics) => _estimate(statistics);

    /// <summary>Merges <paramref name="source"/> into <paramref name="target"/> with the typed merge of the family's statistics.</summary>
    public void Merge(ISufficientStatistics target, ISufficientStatistics source) => _merge(target, source);

    /// <summary>
    /// Runs the internal EM engine for a fixed number of iterations (tolerance 0), starting from the M-step of the
    /// given responsibilities (N × K, row-major), and returns the lower bound after every iteration.
    /// </summary>
    public double[] RunEm(DataMatrix data, double[] responsibilities, int componentCount, int iterations, int threads) =>
        _runEm(data, responsibilities, componentCount, iterations, threads);

    public override string ToString() => Inner.GetType().Name;
}
