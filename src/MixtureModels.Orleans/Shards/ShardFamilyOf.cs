using System.Globalization;
using MixtureModels.Components;

namespace MixtureModels.Orleans.Shards;

/// <summary>The registration of one family: <see cref="ShardFamily"/> for components <typeparamref name="TComponent"/>.</summary>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The statistics type.</typeparam>
internal sealed class ShardFamilyOf<TComponent, TStatistics>(string key, Func<int, IComponentFamily<TComponent, TStatistics>> factory) : ShardFamily(key)
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    public override ShardComputer Create(DataMatrix rows, ShardAssignment assignment)
    {
        var family = factory(assignment.Columns);
        if (family.Dimension != assignment.Columns)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The family registered as '{Key}' has dimension {family.Dimension} for {assignment.Columns} columns. Register a factory that makes a family of the given column count."), nameof(assignment));
        }

        (family as IDataValidator)?.Validate(rows, "rows", assignment.AllowMissing);
        return new ShardComputer<TComponent, TStatistics>(family, rows, assignment);
    }
}
