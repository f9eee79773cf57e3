using System.Globalization;
using MixtureModels.Components.StudentT;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// Marginalising and conditioning a Student-t mixture, shared by <see cref="StudentTMixtureModel"/> and
/// <see cref="StudentTMixtureDistribution"/>. Checks the public arguments; never changes the model.
/// </summary>
internal static class StudentTMixtureAlgebra
{
    /// <summary>The marginal mixture over <paramref name="columns"/> (in that order): each t restricted to them, same ν and weights.</summary>
    public static StudentTMixtureDistribution Marginalize(MixtureModel<StudentTComponent> model, CovarianceType type, double regularization, IReadOnlyList<int> columns, IReadOnlyList<int> sourceColumns)
    {
        var keep = ColumnSelection.CheckColumns(columns, model.Dimension, nameof(columns));
        int d = model.Dimension, m = keep.Length, k = model.ComponentCount;
        var components = new StudentTComponent[k];
        for (int c = 0; c < k; c++)
        {
            var component = model.Components[c];
            var scale = component.ScaleSpan;
            var mean = new double[m];
            var sub = new double[m * m];
            for (int i = 0; i < m; i++)
            {
                mean[i] = component.Mean[keep[i]];
                for (int j = 0; j < m; j++)
                {
                    sub[(i * m) + j] = scale[(keep[i] * d) + keep[j]];
                }
            }

            if (!StudentTComponent.TryCreate(mean, sub, component.DegreesOfFreedom, out components[c]))
            {
                ThrowHelper.ThrowNotPositiveDefinite(c, regularization);
            }
        }

        return new StudentTMixtureDistribution([.. model.Weights], components, type, regularization, model.MissingValues, Pick(sourceColumns, keep));
    }

    /// <summary>
    /// The conditional mixture over the columns b not in <paramref name="columns"/> given x_a = <paramref name="values"/>:
    /// component k becomes t(μ_b + Σ_ba Σ_aa⁻¹(x_a − μ_a), ((ν + δ_a²)/(ν + |a|))·(Σ_bb − Σ_ba Σ_aa⁻¹ Σ_ab), ν + |a|) with
    /// weight ∝ π_k t(x_a | μ_a, Σ_aa, ν).
    /// </summary>
    public static StudentTMixtureDistribution Condition(MixtureModel<StudentTComponent> model, CovarianceType type, double regularization, IReadOnlyList<int> columns, ReadOnlySpan<double> values, IReadOnlyList<int> sourceColumns)
    {
        var inputs = ColumnSelection.CheckColumns(columns, model.Dimension, nameof(columns));
        if (values.Length != inputs.Length)
        {
            ThrowHelper.ThrowArgument(nameof(values), string.Create(CultureInfo.InvariantCulture, $"values has {values.Length} entries but columns lists {inputs.Length}. Pass one value per conditioning column, in the order of columns."));
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                ThrowHelper.ThrowArgument(nameof(values), string.Create(CultureInfo.InvariantCulture, $"values[{i}] = {values[i]} (column {inputs[i]}). Condition on finite values only; to leave a column unknown, Marginalize it out instead."));
            }
        }

        // A row with NaN in the output columns: the component's observed-pattern algebra gives every piece.
        int d = model.Dimension, a = inputs.Length, b = d - a, k = model.ComponentCount;
        var row = new double[d];
        Array.Fill(row, double.NaN);
        for (int i = 0; i < a; i++)
        {
            row[inputs[i]] = values[i];
        }

        var logWeights = new double[k];
        var components = new StudentTComponent[k];
        var centred = new double[a];
        var completed = new double[d];
        double max = double.NegativeInfinity;
        for (int c = 0; c < k; c++)
        {
            var component = model.Components[c];
            var pattern = StudentTPattern.For(row, component.ScaleSpan, null);
            double distance = pattern.Distance(row, component.Mean, centred);
            double nu = component.DegreesOfFreedom;
            logWeights[c] = Math.Log(model.Weights[c]) + component.ObservedLogDensity(a, pattern.LogDeterminantLower, distance);
            max = Math.Max(max, logWeights[c]);
            pattern.Complete(row, component.Mean, centred, completed);
            var location = new double[b];
            for (int i = 0; i < b; i++)
            {
                location[i] = completed[pattern.Missing[i]];
            }

            double factor = (nu + distance) / (nu + a);
            var scale = new double[b * b];
            for (int i = 0; i < scale.Length; i++)
            {
                scale[i] = factor * pattern.Conditional[i];
            }

            if (!StudentTComponent.TryCreate(location, scale, nu + a, out components[c]))
            {
                throw new CovarianceNotPositiveDefiniteException(c, regularization, "The conditional scale Σ_bb − Σ_ba Σ_aa⁻¹ Σ_ab is not positive definite: the conditioning columns determine the others almost exactly. Condition on fewer columns, or refit with a larger CovarianceRegularization.");
            }
        }

        if (!double.IsFinite(max))
        {
            ThrowHelper.ThrowArgument(nameof(values), "values has zero density under every component, so the conditional weights are undefined. Condition on values within the range of the training data.");
        }

        var weights = new double[k];
        double total = 0;
        for (int c = 0; c < k; c++)
        {
            weights[c] = Math.Exp(logWeights[c] - max);
            total += weights[c];
        }

        for (int c = 0; c < k; c++)
        {
            weights[c] /= total;
        }

        var outputs = new int[b];
        for (int j = 0, o = 0; j < d; j++)
        {
            if (double.IsNaN(row[j]))
            {
                outputs[o++] = j;
            }
        }

        // The conditional scales differ by (ν + δ_a²)/(ν + |a|) per component, so tied scales are no longer shared.
        var resultType = type == CovarianceType.Tied ? CovarianceType.Full : type;
        return new StudentTMixtureDistribution(weights, components, resultType, regularization, model.MissingValues, Pick(sourceColumns, outputs));
    }

    /// <summary>
    /// Conditional means (and covariances) of the other columns for every row of <paramref name="inputs"/>: the same
    /// numbers as <see cref="Condition"/> followed by the mixture moments, with each component's factors of Σ_aa, regression
    /// matrix and conditional scale computed once (the input columns are the same for every row).
    /// </summary>
    public static MixtureRegression Regress(MixtureModel<StudentTComponent> model, IReadOnlyList<int> inputColumns, DataMatrix inputs, bool includeCovariances)
    {
        var a = ColumnSelection.CheckColumns(inputColumns, model.Dimension, nameof(inputColumns));
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Columns != a.Length)
        {
            ThrowHelper.ThrowArgument(nameof(inputs), string.Create(CultureInfo.InvariantCulture, $"inputs has {inputs.Columns} columns but inputColumns lists {a.Length}. Pass one column per entry of inputColumns, in that order."));
        }

        inputs = Fitting.InputValidation.QueryData(inputs, a.Length);
        int d = model.Dimension, k = model.ComponentCount, na = a.Length, nb = d - na, n = inputs.Rows;
        var template = new double[d];
        Array.Fill(template, double.NaN);
        foreach (int c in a)
        {
            template[c] = 0;
        }

        var patterns = new StudentTPattern[k];
        var logWeights = new double[k];
        for (int c = 0; c < k; c++)
        {
            var component = model.Components[c];
            patterns[c] = StudentTPattern.For(template, component.ScaleSpan, null);
            logWeights[c] = Math.Log(model.Weights[c]);
            double nu = component.DegreesOfFreedom + na;
            if (model.Weights[c] > 0 && (!(nu > 1) || (includeCovariances && !(nu > 2))))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Component {c}'s conditional t has ν + |a| = {nu}, so its conditional {(nu > 1 ? "covariance is infinite" : "mean does not exist")}. Regress without covariances, condition on more columns, or fit with larger degrees of freedom."));
            }
        }

        var outputs = patterns[0].Missing;
        var means = new double[n * nb];
        var covariances = includeCovariances ? new double[n * nb * nb] : null;
        const int blockRows = 256;
        int blocks = (n + blockRows - 1) / blockRows;
        string? failure = null;
        Parallel.For(0, blocks, block =>
        {
            var row = (double[])template.Clone();
            var centred = new double[na];
            var completed = new double[d];
            var weights = new double[k];
            var locations = new double[k * nb];
            var factors = new double[k];
            int end = Math.Min(n, (block + 1) * blockRows);
            for (int r = block * blockRows; r < end; r++)
            {
                var input = inputs.Row(r);
                for (int i = 0; i < na; i++)
                {
                    row[a[i]] = input[i];
                }

                double max = double.NegativeInfinity;
                for (int c = 0; c < k; c++)
                {
                    var component = model.Components[c];
                    var pattern = patterns[c];
                    double distance = pattern.Distance(row, component.Mean, centred);
                    double nu = component.DegreesOfFreedom;
                    weights[c] = logWeights[c] + component.ObservedLogDensity(na, pattern.LogDeterminantLower, distance);
                    max = Math.Max(max, weights[c]);
                    pattern.Complete(row, component.Mean, centred, completed);
                    for (int i = 0; i < nb; i++)
                    {
                        locations[(c * nb) + i] = completed[outputs[i]];
                    }

                    // Covariance of the conditional t: ν'/(ν' − 2) × ((ν + δ²)/(ν + |a|))·C, with ν' = ν + |a|.
                    double conditionalNu = nu + na;
                    factors[c] = conditionalNu / (conditionalNu - 2) * (nu + distance) / (nu + na);
                }

                if (!double.IsFinite(max))
                {
                    Interlocked.CompareExchange(ref failure, string.Create(CultureInfo.InvariantCulture, $"inputs row {r} has zero density under every component, so its conditional weights are undefined. Pass rows within the range of the training data."), null);
                    return;
                }

                double total = 0;
                for (int c = 0; c < k; c++)
                {
                    weights[c] = Math.Exp(weights[c] - max);
                    total += weights[c];
                }

                var mean = means.AsSpan(r * nb, nb);
                for (int c = 0; c < k; c++)
                {
                    weights[c] /= total;
                    for (int i = 0; i < nb; i++)
                    {
                        mean[i] += weights[c] * locations[(c * nb) + i];
                    }
                }

                if (covariances is null)
                {
                    continue;
                }

                var covariance = covariances.AsSpan(r * nb * nb, nb * nb);
                for (int c = 0; c < k; c++)
                {
                    double w = weights[c];
                    if (w == 0)
                    {
                        continue;
                    }

                    var conditional = patterns[c].Conditional;
                    for (int i = 0; i < nb; i++)
                    {
                        double di = locations[(c * nb) + i] - mean[i];
                        for (int j = 0; j < nb; j++)
                        {
                            covariance[(i * nb) + j] += w * ((factors[c] * conditional[(i * nb) + j]) + (di * (locations[(c * nb) + j] - mean[j])));
                        }
                    }
                }
            }
        });
        if (failure is not null)
        {
            ThrowHelper.ThrowArgument(nameof(inputs), failure);
        }

        return new MixtureRegression((int[])outputs.Clone(), n, means, covariances);
    }

    /// <summary>Σ_k π_k μ_k; needs ν_k &gt; 1 for every component with positive weight.</summary>
    public static double[] MixtureMean(MixtureModel<StudentTComponent> model)
    {
        int d = model.Dimension;
        var mean = new double[d];
        for (int c = 0; c < model.ComponentCount; c++)
        {
            double w = model.Weights[c];
            if (w == 0)
            {
                continue;
            }

            var component = model.Components[c];
            if (!(component.DegreesOfFreedom > 1))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Component {c} has ν = {component.DegreesOfFreedom} ≤ 1, so its mean (and the mixture's) does not exist. Use the locations (GetMeans) or fit with larger degrees of freedom."));
            }

            for (int i = 0; i < d; i++)
            {
                mean[i] += w * component.Mean[i];
            }
        }

        return mean;
    }

    /// <summary>Σ_k π_k (ν_k/(ν_k − 2)·Σ_k + (μ_k − m)(μ_k − m)ᵀ); needs ν_k &gt; 2 for every component with positive weight.</summary>
    public static double[] MixtureCovariance(MixtureModel<StudentTComponent> model)
    {
        int d = model.Dimension;
        var mean = MixtureMean(model);
        var covariance = new double[d * d];
        for (int c = 0; c < model.ComponentCount; c++)
        {
            double w = model.Weights[c];
            if (w == 0)
            {
                continue;
            }

            var component = model.Components[c];
            double nu = component.DegreesOfFreedom;
            if (!(nu > 2))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Component {c} has ν = {nu} ≤ 2, so its covariance (and the mixture's) is infinite. Use the scale matrices (GetScale) or fit with larger degrees of freedom."));
            }

            double factor = nu / (nu - 2);
            var scale = component.ScaleSpan;
            for (int i = 0; i < d; i++)
            {
                double di = component.Mean[i] - mean[i];
                for (int j = 0; j < d; j++)
                {
                    covariance[(i * d) + j] += w * ((factor * scale[(i * d) + j]) + (di * (component.Mean[j] - mean[j])));
                }
            }
        }

        return covariance;
    }

    private static int[] Pick(IReadOnlyList<int> values, int[] columns)
    {
        var result = new int[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            result[i] = values[columns[i]];
        }

        return result;
    }
}
