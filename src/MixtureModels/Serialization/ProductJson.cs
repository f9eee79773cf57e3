using System.Globalization;
using System.Text.Json;
using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using MixtureModels.Components.Product;
using static MixtureModels.Serialization.ModelJsonReader;

namespace MixtureModels.Serialization;

/// <summary>
/// JSON of a product family and its K components, marginal by marginal: {"kind", "columns", the marginal's settings and
/// priors, "components": [K marginal components]}. Loading rebuilds each <see cref="Marginal"/> with its public factory,
/// so the loaded family checks query data exactly as the fitted one.
/// </summary>
internal static class ProductJson
{
    /// <summary>Writes the "marginals" property.</summary>
    public static void Write(Utf8JsonWriter writer, ProductFamily family, IReadOnlyList<ProductComponent> components)
    {
        writer.WriteStartArray("marginals");
        for (int m = 0; m < family.Marginals.Count; m++)
        {
            var marginal = family.Marginals[m];
            writer.WriteStartObject();
            writer.WriteString("kind", marginal.Kind.ToString());
            ComponentJson.WriteInts(writer, "columns", marginal.ColumnArray);
            switch (marginal.Family)
            {
                case MarginalFamily<NormalComponent, NormalStatistics> normal:
                    ComponentJson.WriteNormal(writer, (NormalFamily)normal.Inner, Parts<NormalComponent>(components, m));
                    break;
                case MarginalFamily<BernoulliComponent, BernoulliStatistics> bernoulli:
                    ComponentJson.WriteBernoulli(writer, ((BernoulliFamily)bernoulli.Inner).Priors, Parts<BernoulliComponent>(components, m));
                    break;
                case MarginalFamily<CategoricalComponent, CategoricalStatistics> categorical:
                    var c = (CategoricalFamily)categorical.Inner;
                    writer.WriteNumber("levelCount", c.LevelCount);
                    writer.WriteNumber("dirichletAlpha", c.DirichletAlpha);
                    if (c.LevelValues is { } levels)
                    {
                        ComponentJson.WriteDoubles(writer, "levels", levels); // since 0.3.0; absent for the levels 0, …, L − 1
                    }

                    ComponentJson.WriteCategorical(writer, Parts<CategoricalComponent>(components, m));
                    break;
                case MarginalFamily<PoissonComponent, PoissonStatistics>:
                    ComponentJson.WritePoisson(writer, Parts<PoissonComponent>(components, m));
                    break;
                case MarginalFamily<GaussianComponent, GaussianStatistics> gaussian:
                    ComponentJson.WriteGaussian(writer, (GaussianFamily)gaussian.Inner, Parts<GaussianComponent>(components, m));
                    break;
                default:
                    throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"The {marginal.Kind} marginal cannot be saved."));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads the "marginals" property: the family, then the K components.</summary>
    public static (ProductFamily Family, ProductComponent[] Components) Read(JsonElement root, int dimension, int componentCount)
    {
        var items = Array(root, "marginals", "$");
        if (items.Length == 0)
        {
            throw Invalid("$.marginals", "the array is empty; a product has at least one marginal.");
        }

        var marginals = new Marginal[items.Length];
        for (int m = 0; m < items.Length; m++)
        {
            string at = Index("$.marginals", m);
            var item = items[m];
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(at, "expected a marginal object.");
            }

            var kind = Enum<MarginalKind>(item, "kind", at);
            var columns = Int32Array(item, "columns", at, 0, dimension - 1);
            if (columns.Length == 0 || (kind is MarginalKind.Normal or MarginalKind.Categorical or MarginalKind.Poisson && columns.Length != 1))
            {
                throw Invalid(Child(at, "columns"), string.Create(CultureInfo.InvariantCulture, $"a {kind} marginal has {(kind is MarginalKind.Bernoulli or MarginalKind.Gaussian ? "at least one column" : "exactly one column")}, not {columns.Length}."));
            }

            marginals[m] = kind switch
            {
                MarginalKind.Normal => Marginal.Normal(columns[0], Finite(item, "varianceRegularization", at), ComponentJson.ReadPrior(item, at)),
                MarginalKind.Bernoulli => Marginal.Bernoulli(columns, ComponentJson.ReadBernoulliPriors(item, at)),
                MarginalKind.Categorical => CategoricalMarginal(item, at, columns[0]),
                MarginalKind.Poisson => Marginal.Poisson(columns[0]),
                _ => GaussianMarginal(item, at, columns),
            };
        }

        // Checks that the marginals cover every column exactly once.
        var family = new ProductFamily(dimension, marginals);
        var parts = new IComponent[items.Length][];
        for (int m = 0; m < items.Length; m++)
        {
            string at = Index("$.marginals", m);
            var item = items[m];
            var marginal = family.Marginals[m];
            parts[m] = marginal.Family switch
            {
                MarginalFamily<NormalComponent, NormalStatistics> => ComponentJson.ReadNormalComponents(item, at, componentCount),
                MarginalFamily<BernoulliComponent, BernoulliStatistics> => ComponentJson.ReadBernoulliComponents(item, at, marginal.ColumnArray.Length, componentCount),
                MarginalFamily<CategoricalComponent, CategoricalStatistics> c => ComponentJson.ReadCategoricalComponents(item, at, ((CategoricalFamily)c.Inner).LevelCount, ((CategoricalFamily)c.Inner).LevelValues, componentCount),
                MarginalFamily<PoissonComponent, PoissonStatistics> => ComponentJson.ReadPoissonComponents(item, at, componentCount),
                _ => ComponentJson.ReadGaussianComponents(item, at, ComponentJson.ReadGaussianSettings(item, at).Type, marginal.ColumnArray.Length, componentCount),
            };
        }

        var columnArrays = family.Marginals.Select(m => m.ColumnArray).ToArray();
        var components = new ProductComponent[componentCount];
        for (int k = 0; k < componentCount; k++)
        {
            var marginalComponents = new IComponent[items.Length];
            for (int m = 0; m < items.Length; m++)
            {
                marginalComponents[m] = parts[m][k];
            }

            components[k] = new ProductComponent(dimension, columnArrays, marginalComponents);
        }

        return (family, components);
    }

    private static Marginal GaussianMarginal(JsonElement item, string at, int[] columns)
    {
        var (type, regularization, prior) = ComponentJson.ReadGaussianSettings(item, at);
        return Marginal.Gaussian(columns, type, regularization, prior);
    }

    private static TPart[] Parts<TPart>(IReadOnlyList<ProductComponent> components, int marginal)
        where TPart : IComponent
    {
        var result = new TPart[components.Count];
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = (TPart)components[k].Marginal(marginal);
        }

        return result;
    }

    /// <summary>A categorical marginal: its level count, smoothing and, when not 0, …, L − 1, its level values.</summary>
    private static Marginal CategoricalMarginal(JsonElement item, string at, int column)
    {
        int levelCount = Int32(item, "levelCount", at, 1);
        double alpha = Finite(item, "dirichletAlpha", at);
        if (!item.TryGetProperty("levels", out _))
        {
            return Marginal.Categorical(column, levelCount, alpha);
        }

        var levels = FiniteArray(item, "levels", at, levelCount);
        for (int l = 1; l < levels.Length; l++)
        {
            if (!(levels[l] > levels[l - 1]))
            {
                throw Invalid(Child(at, "levels"), string.Create(CultureInfo.InvariantCulture, $"the level values must increase strictly, but levels[{l}] = {levels[l]:R} follows {levels[l - 1]:R}."));
            }
        }

        return Marginal.Categorical(column, levels, alpha);
    }
}
