using System.Globalization;
using MixtureModels.Fitting;
using MixtureModels.Internal;

namespace MixtureModels.Components.Bernoulli;

/// <summary>The user's optional starting weights and probabilities, checked once against the data's dimension.</summary>
internal sealed class BernoulliStartingPoint : IStartingPoint<BernoulliComponent>
{
    private readonly double[]? _weights;
    private readonly BernoulliComponent[]? _components;

    private BernoulliStartingPoint(double[]? weights, BernoulliComponent[]? components)
    {
        _weights = weights;
        _components = components;
    }

    /// <inheritdoc />
    public bool IsComplete => _weights is not null && _components is not null;

    public static BernoulliStartingPoint Parse(BernoulliMixtureOptions options, int d)
    {
        int k = options.ComponentCount;
        double[]? weights = options.InitialWeights is null ? null : MixtureModel<BernoulliComponent>.CheckWeights(options.InitialWeights, k, nameof(options.InitialWeights));
        BernoulliComponent[]? components = null;
        if (options.InitialProbabilities is { } p)
        {
            if (p.RowCount != k || p.ColumnCount != d)
            {
                ThrowHelper.ThrowArgument(nameof(options.InitialProbabilities), string.Create(CultureInfo.InvariantCulture, $"InitialProbabilities is {p.RowCount} × {p.ColumnCount} but must be ComponentCount × columns = {k} × {d}. Pass one row of probabilities per component."));
            }

            components = new BernoulliComponent[k];
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    if (!(p[c, j] > 0 && p[c, j] < 1))
                    {
                        ThrowHelper.ThrowArgument(nameof(options.InitialProbabilities), string.Create(CultureInfo.InvariantCulture, $"InitialProbabilities[{c}, {j}] = {p[c, j]} is not strictly between 0 and 1. Pass probabilities in (0, 1)."));
                    }
                }

                components[c] = BernoulliComponent.WithProbabilities(p.Row(c).ToArray());
            }
        }

        return new BernoulliStartingPoint(weights, components);
    }

    /// <inheritdoc />
    public (double[] Weights, BernoulliComponent[] Components) Complete() => ((double[])_weights!.Clone(), (BernoulliComponent[])_components!.Clone());

    /// <inheritdoc />
    public (double[] Weights, BernoulliComponent[] Components) Apply(double[] weights, BernoulliComponent[] components) =>
        (_weights is null ? weights : (double[])_weights.Clone(), _components is null ? components : (BernoulliComponent[])_components.Clone());
}
