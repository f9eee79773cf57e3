using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// A user's starting point for <see cref="MixtureEstimator{TComponent, TStatistics}"/> (scikit-learn's weights_init and,
/// for any family, the components themselves): weights only, components only, or both. What is given replaces what the
/// initialiser estimated; when both are given no initialiser runs.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
public sealed class MixtureStart<TComponent> : IStartingPoint<TComponent>
    where TComponent : class, IComponent
{
    private readonly double[]? _weights;
    private readonly TComponent[]? _components;

    /// <summary>Creates a starting point.</summary>
    /// <param name="weights">Optional K finite, non-negative weights summing to 1 (within 1e-8).</param>
    /// <param name="components">Optional K components of one dimension.</param>
    /// <exception cref="ArgumentException">Both are null, the counts differ, the weights are invalid, or a component is null or of another dimension.</exception>
    public MixtureStart(IReadOnlyList<double>? weights = null, IReadOnlyList<TComponent>? components = null)
    {
        if (weights is null && components is null)
        {
            ThrowHelper.ThrowArgument(nameof(weights), "weights and components are both null. Give starting weights, starting components, or both.");
        }

        if (components is not null)
        {
            if (components.Count == 0)
            {
                ThrowHelper.ThrowArgument(nameof(components), "components is empty. Give one starting component per mixture component.");
            }

            _components = [.. components];
            for (int k = 0; k < _components.Length; k++)
            {
                if (_components[k] is null || _components[k].Dimension != _components[0].Dimension)
                {
                    ThrowHelper.ThrowArgument(nameof(components), string.Create(CultureInfo.InvariantCulture, $"components[{k}] is null or has another dimension than components[0]. Give K components of the data's dimension."));
                }
            }
        }

        if (weights is not null)
        {
            _weights = MixtureModel<TComponent>.CheckWeights(weights, components?.Count ?? weights.Count, nameof(weights));
        }
    }

    /// <summary>The starting weights, or null when the initialiser's are used.</summary>
    public IReadOnlyList<double>? Weights => _weights is null ? null : Array.AsReadOnly(_weights);

    /// <summary>The starting components, or null when the initialiser's are used.</summary>
    public IReadOnlyList<TComponent>? Components => _components is null ? null : Array.AsReadOnly(_components);

    /// <inheritdoc />
    bool IStartingPoint<TComponent>.IsComplete => _weights is not null && _components is not null;

    /// <inheritdoc />
    void IStartingPoint<TComponent>.Check(int componentCount, int dimension)
    {
        int given = _components?.Length ?? _weights!.Length;
        if (given != componentCount)
        {
            ThrowHelper.ThrowArgument("Start", string.Create(CultureInfo.InvariantCulture, $"The starting point has {given} components but ComponentCount is {componentCount}. Give one starting weight or component per mixture component."));
        }

        if (_components is not null && _components[0].Dimension != dimension)
        {
            ThrowHelper.ThrowArgument("Start", string.Create(CultureInfo.InvariantCulture, $"The starting components have dimension {_components[0].Dimension} but the data has {dimension} columns. Give components of the data's dimension."));
        }
    }

    /// <inheritdoc />
    (double[] Weights, TComponent[] Components) IStartingPoint<TComponent>.Complete() => ((double[])_weights!.Clone(), (TComponent[])_components!.Clone());

    /// <inheritdoc />
    (double[] Weights, TComponent[] Components) IStartingPoint<TComponent>.Apply(double[] weights, TComponent[] components) =>
        (_weights is null ? weights : (double[])_weights.Clone(), _components is null ? components : (TComponent[])_components.Clone());
}
