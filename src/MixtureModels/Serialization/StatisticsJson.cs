using System.Globalization;
using System.Text.Json;
using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using MixtureModels.Components.Product;
using MixtureModels.Components.StudentT;
using static MixtureModels.Serialization.ModelJsonReader;

namespace MixtureModels.Serialization;

/// <summary>
/// JSON of the built-in statistics types: every accumulated value (total weight, reference point, sums, scatters,
/// counts, missing-entry weights; a Student-t accumulator's current component; a product's parts), each double in its
/// shortest round-trip form, rebuilt through the types' own FromValues checks. Reading is told what to expect by a fresh
/// accumulator of the family (its type and shape), so statistics of another family or shape are rejected by path.
/// </summary>
internal static class StatisticsJson
{
    /// <summary>Whether statistics of this runtime type (a family's fresh accumulator) have a built-in JSON form.</summary>
    public static bool IsBuiltIn(ISufficientStatistics template) => template switch
    {
        FullScatterStatistics or DiagonalScatterStatistics or BernoulliStatistics or CategoricalStatistics or NormalStatistics or PoissonStatistics or StudentTStatistics => true,
        ProductStatistics product => product.Parts.All(IsBuiltIn),
        _ => false,
    };

    /// <summary>Writes one accumulator as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, ISufficientStatistics statistics)
    {
        writer.WriteStartObject();
        WriteTotal(writer, statistics.TotalWeight);
        switch (statistics)
        {
            case GaussianStatistics gaussian:
                ComponentJson.WriteDoubles(writer, "reference", gaussian.Reference);
                ComponentJson.WriteDoubles(writer, "weightedSum", gaussian.WeightedSum);
                if (gaussian is DiagonalScatterStatistics diagonal)
                {
                    ComponentJson.WriteDoubles(writer, "scatter", diagonal.Scatter);
                    ComponentJson.WriteDoubles(writer, "missingWeights", diagonal.MissingWeights);
                }
                else
                {
                    ComponentJson.WriteDoubles(writer, "scatter", ((FullScatterStatistics)gaussian).Scatter);
                }

                break;
            case BernoulliStatistics bernoulli:
                ComponentJson.WriteDoubles(writer, "weightedCounts", bernoulli.WeightedCounts);
                ComponentJson.WriteDoubles(writer, "missingWeights", bernoulli.MissingWeights);
                break;
            case CategoricalStatistics categorical:
                ComponentJson.WriteDoubles(writer, "weightedCounts", categorical.WeightedCounts);
                break;
            case NormalStatistics normal:
                if (normal.Reference is double reference)
                {
                    writer.WriteNumber("reference", reference);
                }
                else
                {
                    writer.WriteNull("reference");
                }

                writer.WriteNumber("weightedSum", normal.WeightedSum);
                writer.WriteNumber("scatter", normal.Scatter);
                break;
            case PoissonStatistics poisson:
                writer.WriteNumber("weightedSum", poisson.WeightedSum);
                break;
            case StudentTStatistics t:
                writer.WriteNumber("expectedWeightSum", t.ExpectedWeightSum);
                writer.WriteNumber("logWeightTerm", t.LogWeightTerm);
                ComponentJson.WriteDoubles(writer, "reference", t.HasReference ? t.Reference : []);
                ComponentJson.WriteDoubles(writer, "weightedSum", t.WeightedSum);
                ComponentJson.WriteDoubles(writer, "scatter", t.Scatter);
                if (t.Current is null)
                {
                    writer.WriteNull("current");
                }
                else
                {
                    writer.WritePropertyName("current");
                    StudentTJson.WriteComponent(writer, t.Current);
                }

                break;
            case ProductStatistics product:
                writer.WriteStartArray("parts");
                foreach (var part in product.Parts)
                {
                    Write(writer, part);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"{statistics.GetType().Name} has no built-in JSON form."));
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads one accumulator at <paramref name="path"/> of the type and shape of <paramref name="template"/>, a fresh
    /// accumulator of the family (a product's template is filled and returned; the others are rebuilt from their values).
    /// </summary>
    public static ISufficientStatistics Read(JsonElement element, string path, ISufficientStatistics template)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "expected a statistics object.");
        }

        double total = Finite(element, "totalWeight", path);
        if (total < 0)
        {
            throw Invalid(Child(path, "totalWeight"), string.Create(CultureInfo.InvariantCulture, $"{total:R} is negative; a total weight is non-negative."));
        }

        int d = template.Dimension;
        try
        {
            switch (template)
            {
                case FullScatterStatistics:
                    return FullScatterStatistics.FromValues(total, Reference(element, path, d), FiniteArray(element, "weightedSum", path, d), FiniteArray(element, "scatter", path, d * d));
                case DiagonalScatterStatistics:
                    return DiagonalScatterStatistics.FromValues(total, Reference(element, path, d), FiniteArray(element, "weightedSum", path, d), FiniteArray(element, "scatter", path, d), FiniteArray(element, "missingWeights", path, d));
                case BernoulliStatistics:
                    return BernoulliStatistics.FromValues(total, FiniteArray(element, "weightedCounts", path, d), FiniteArray(element, "missingWeights", path, d));
                case CategoricalStatistics categorical:
                    return CategoricalStatistics.FromValues(total, FiniteArray(element, "weightedCounts", path, categorical.LevelCount)).WithLevelsOf(categorical);
                case NormalStatistics:
                    var reference = Property(element, "reference", path);
                    double? a = reference.ValueKind == JsonValueKind.Null ? null : Finite(element, "reference", path);
                    return NormalStatistics.FromValues(total, a, Finite(element, "weightedSum", path), Finite(element, "scatter", path));
                case PoissonStatistics:
                    return PoissonStatistics.FromValues(total, Finite(element, "weightedSum", path));
                case StudentTStatistics:
                    var current = Property(element, "current", path);
                    var component = current.ValueKind == JsonValueKind.Null ? null : StudentTJson.ReadComponent(current, Child(path, "current"), d);
                    return StudentTStatistics.Restore(
                        d,
                        component,
                        total,
                        Finite(element, "expectedWeightSum", path),
                        Finite(element, "logWeightTerm", path),
                        Reference(element, path, d),
                        FiniteArray(element, "weightedSum", path, d),
                        FiniteArray(element, "scatter", path, d * d));
                case ProductStatistics product:
                    var items = Array(element, "parts", path, product.Parts.Count);
                    var parts = new ISufficientStatistics[items.Length];
                    for (int m = 0; m < items.Length; m++)
                    {
                        parts[m] = Read(items[m], Index(Child(path, "parts"), m), product.Parts[m]);
                    }

                    product.Restore(total, parts);
                    return product;
                default:
                    throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"{template.GetType().Name} has no built-in JSON form."));
            }
        }
        catch (ArgumentException ex)
        {
            // A value the statistics' own checks reject (a count above the total weight, a missing weight out of range).
            throw Invalid(path, ex.Message);
        }
    }

    private static void WriteTotal(Utf8JsonWriter writer, double total) => writer.WriteNumber("totalWeight", total);

    /// <summary>A reference point: D finite values, or an empty array when none was set.</summary>
    private static double[] Reference(JsonElement element, string path, int dimension)
    {
        var values = FiniteArray(element, "reference", path);
        if (values.Length != 0 && values.Length != dimension)
        {
            throw Invalid(Child(path, "reference"), string.Create(CultureInfo.InvariantCulture, $"the array has {values.Length} elements but {dimension} (or none) are expected."));
        }

        return values;
    }
}
