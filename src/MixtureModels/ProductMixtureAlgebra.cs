using System.Globalization;
using MixtureModels.Components.Product;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>Conditioning a product mixture on whole marginals, shared by <see cref="ProductMixtureModel"/> and <see cref="ProductMixtureDistribution"/>.</summary>
internal static class ProductMixtureAlgebra
{
    /// <summary>
    /// The conditional mixture over the columns not in <paramref name="columns"/>: the remaining marginals unchanged, the
    /// weights ∝ π_k Π_{m conditioned} p_m(x_m | θ_km).
    /// </summary>
    public static ProductMixtureDistribution Condition(MixtureModel<ProductComponent> model, IReadOnlyList<Marginal> marginals, MissingValueHandling missingValues, IReadOnlyList<int> columns, ReadOnlySpan<double> values, IReadOnlyList<int> sourceColumns)
    {
        int d = model.Dimension;
        var a = ColumnSelection.CheckColumns(columns, d, nameof(columns));
        if (values.Length != a.Length)
        {
            ThrowHelper.ThrowArgument(nameof(values), string.Create(CultureInfo.InvariantCulture, $"values has {values.Length} entries but columns lists {a.Length}. Pass one value per conditioning column, in the order of columns."));
        }

        var full = new double[d];
        var given = new bool[d];
        for (int i = 0; i < a.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                ThrowHelper.ThrowArgument(nameof(values), string.Create(CultureInfo.InvariantCulture, $"values[{i}] = {values[i]} (column {a[i]}). Condition on finite values only."));
            }

            full[a[i]] = values[i];
            given[a[i]] = true;
        }

        // Every marginal is conditioned on as a whole or not at all.
        var conditioned = new bool[marginals.Count];
        for (int m = 0; m < marginals.Count; m++)
        {
            var cols = marginals[m].ColumnArray;
            int count = cols.Count(c => given[c]);
            if (count != 0 && count != cols.Length)
            {
                int left = cols.First(c => !given[c]);
                ThrowHelper.ThrowArgument(nameof(columns), string.Create(CultureInfo.InvariantCulture, $"columns covers part of marginals[{m}] ({marginals[m].Kind} on columns {string.Join(", ", cols)}) but not column {left}. Condition on whole marginals: list all of its columns or none."));
            }

            conditioned[m] = count != 0;
            if (conditioned[m])
            {
                var row = new double[d];
                foreach (int c in cols)
                {
                    row[c] = full[c];
                }

                marginals[m].ValidateData(DataMatrix.FromRowMajor(row, d), nameof(values));
            }
        }

        // Column map: the remaining columns, ascending, numbered 0..D'−1.
        var remaining = Enumerable.Range(0, d).Where(c => !given[c]).ToArray();
        var index = new int[d];
        for (int i = 0; i < remaining.Length; i++)
        {
            index[remaining[i]] = i;
        }

        var kept = Enumerable.Range(0, marginals.Count).Where(m => !conditioned[m]).ToArray();
        var newMarginals = kept.Select(m => marginals[m].WithColumns([.. marginals[m].ColumnArray.Select(c => index[c])])).ToArray();
        var newColumns = newMarginals.Select(m => m.ColumnArray).ToArray();

        int k = model.ComponentCount;
        var logWeights = new double[k];
        var components = new ProductComponent[k];
        for (int c = 0; c < k; c++)
        {
            var component = model.Components[c];
            double logWeight = Math.Log(model.Weights[c]);
            for (int m = 0; m < marginals.Count; m++)
            {
                if (conditioned[m])
                {
                    var cols = marginals[m].ColumnArray;
                    var x = new double[cols.Length];
                    for (int j = 0; j < cols.Length; j++)
                    {
                        x[j] = full[cols[j]];
                    }

                    logWeight += component.Marginal(m).LogDensity(x);
                }
            }

            logWeights[c] = logWeight;
            components[c] = new ProductComponent(remaining.Length, newColumns, [.. kept.Select(m => component.Marginal(m))]);
        }

        double max = logWeights.Max();
        if (!double.IsFinite(max))
        {
            ThrowHelper.ThrowArgument(nameof(values), "values has zero probability under every component, so the conditional weights are undefined. Condition on values the model can produce.");
        }

        double total = 0;
        var weights = new double[k];
        for (int c = 0; c < k; c++)
        {
            weights[c] = Math.Exp(logWeights[c] - max);
            total += weights[c];
        }

        for (int c = 0; c < k; c++)
        {
            weights[c] /= total;
        }

        var family = new ProductFamily(remaining.Length, newMarginals);
        return new ProductMixtureDistribution(weights, components, family, missingValues, [.. remaining.Select(c => sourceColumns[c])]);
    }
}
