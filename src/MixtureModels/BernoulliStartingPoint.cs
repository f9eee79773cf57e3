using System.Globalization;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>The user's optional starting weights and probabilities of a <see cref="BernoulliMixture"/>, checked once against the data's dimension.</summary>
internal static class BernoulliStartingPoint
{
    /// <summary>The start the options give, or null when they give none.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="d">The data's column count.</param>
    public static MixtureStart<BernoulliComponent>? Parse(BernoulliMixtureOptions options, int d)
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

        return weights is null && components is null ? null : new MixtureStart<BernoulliComponent>(weights, components);
    }
}
