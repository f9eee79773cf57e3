using System.Globalization;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// Marginalising, conditioning and regressing a Gaussian mixture, shared by <see cref="GaussianMixtureModel"/> and
/// <see cref="GaussianMixtureDistribution"/>. Checks the public arguments; never changes the model.
/// </summary>
internal static class GaussianMixtureAlgebra
{
    private const int BlockRows = 256;

    /// <summary>The marginal mixture over <paramref name="columns"/> (in that order).</summary>
    public static GaussianMixtureDistribution Marginalize(MixtureModel<GaussianComponent> model, CovarianceType type, double regularization, IReadOnlyList<int> columns, IReadOnlyList<int> sourceColumns)
    {
        var keep = ColumnSelection.CheckColumns(columns, model.Dimension, nameof(columns));
        int k = model.ComponentCount;
        var components = new GaussianComponent[k];
        for (int c = 0; c < k; c++)
        {
            var component = model.Components[c];
            var mean = Pick(component.Mean, keep);
            components[c] = component switch
            {
                DiagonalGaussian diagonal => DiagonalGaussian.WithMeanVariances(mean, Pick(diagonal.Variances, keep)),
                SphericalGaussian spherical => SphericalGaussian.WithMeanVariance(mean, spherical.Variance),
                FullGaussian when type == CovarianceType.Tied && c > 0 => components[0].WithMean(mean),
                _ => SubCovariance(component, c, regularization, mean, keep),
            };
        }

        return new GaussianMixtureDistribution([.. model.Weights], components, type, regularization, model.MissingValues, Pick(sourceColumns, keep));
    }

    /// <summary>The conditional mixture over the columns not in <paramref name="columns"/>, given x_a = <paramref name="values"/>.</summary>
    public static GaussianMixtureDistribution Condition(MixtureModel<GaussianComponent> model, CovarianceType type, double regularization, IReadOnlyList<int> columns, ReadOnlySpan<double> values, IReadOnlyList<int> sourceColumns)
    {
        var conditioner = CreateConditioner(model, type, regularization, columns, nameof(columns));
        if (values.Length != conditioner.InputCount)
        {
            ThrowHelper.ThrowArgument(nameof(values), string.Create(CultureInfo.InvariantCulture, $"values has {values.Length} entries but columns lists {conditioner.InputCount}. Pass one value per conditioning column, in the order of columns."));
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                ThrowHelper.ThrowArgument(nameof(values), string.Create(CultureInfo.InvariantCulture, $"values[{i}] = {values[i]} (column {conditioner.InputColumns[i]}). Condition on finite values only; to leave a column unknown, Marginalize it out instead."));
            }
        }

        int k = conditioner.ComponentCount;
        int b = conditioner.OutputCount;
        var weights = new double[k];
        var means = new double[k * b];
        var scratch = new double[2 * conditioner.InputCount];
        if (!conditioner.Evaluate(values, weights, means, scratch))
        {
            ThrowHelper.ThrowArgument(nameof(values), "values has zero density under every component, so the conditional weights are undefined. Condition on values within the range of the training data.");
        }

        var components = new GaussianComponent[k];
        for (int c = 0; c < k; c++)
        {
            components[c] = conditioner.ConditionalComponent(c, means.AsSpan(c * b, b).ToArray());
        }

        return new GaussianMixtureDistribution(weights, components, type, regularization, model.MissingValues, Pick(sourceColumns, conditioner.OutputColumns));
    }

    /// <summary>Conditional means (and covariances) of the other columns for every row of <paramref name="inputs"/>.</summary>
    public static MixtureRegression Regress(MixtureModel<GaussianComponent> model, CovarianceType type, double regularization, IReadOnlyList<int> inputColumns, DataMatrix inputs, bool includeCovariances)
    {
        var conditioner = CreateConditioner(model, type, regularization, inputColumns, nameof(inputColumns));
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Columns != conditioner.InputCount)
        {
            ThrowHelper.ThrowArgument(nameof(inputs), string.Create(CultureInfo.InvariantCulture, $"inputs has {inputs.Columns} columns but inputColumns lists {conditioner.InputCount}. Pass one column per entry of inputColumns, in that order."));
        }

        inputs = Fitting.InputValidation.QueryData(inputs, conditioner.InputCount);
        int n = inputs.Rows;
        int a = conditioner.InputCount;
        int b = conditioner.OutputCount;
        int k = conditioner.ComponentCount;
        var means = new double[n * b];
        var covariances = includeCovariances ? new double[n * b * b] : null;
        int blocks = (n + BlockRows - 1) / BlockRows;
        string? failure = null;
        Parallel.For(0, blocks, block =>
        {
            var weights = new double[k];
            var componentMeans = new double[k * b];
            var scratch = new double[2 * a];
            int end = Math.Min(n, (block + 1) * BlockRows);
            for (int row = block * BlockRows; row < end; row++)
            {
                if (!conditioner.Evaluate(inputs.Row(row), weights, componentMeans, scratch))
                {
                    Interlocked.CompareExchange(ref failure, string.Create(CultureInfo.InvariantCulture, $"inputs row {row} has zero density under every component, so its conditional weights are undefined. Pass rows within the range of the training data."), null);
                    return;
                }

                conditioner.Moments(weights, componentMeans, means.AsSpan(row * b, b), covariances is null ? default : covariances.AsSpan(row * b * b, b * b));
            }
        });
        if (failure is not null)
        {
            ThrowHelper.ThrowArgument(nameof(inputs), failure);
        }

        return new MixtureRegression(conditioner.OutputColumns, n, means, covariances);
    }

    /// <summary>The overall mean Σ_k π_k μ_k of a Gaussian mixture.</summary>
    public static double[] MixtureMean(MixtureModel<GaussianComponent> model)
    {
        var (means, _) = Stack(model, covariances: false);
        var mean = new double[model.Dimension];
        GaussianConditioner.MixtureMoments([.. model.Weights], means, model.Dimension, null!, mean, default);
        return mean;
    }

    /// <summary>The overall covariance Σ_k π_k (Σ_k + μ_k μ_kᵀ) − μ μᵀ of a Gaussian mixture (row-major D × D).</summary>
    public static double[] MixtureCovariance(MixtureModel<GaussianComponent> model)
    {
        int d = model.Dimension;
        var (means, covariances) = Stack(model, covariances: true);
        var mean = new double[d];
        var covariance = new double[d * d];
        GaussianConditioner.MixtureMoments([.. model.Weights], means, d, c => covariances![c], mean, covariance);
        return covariance;
    }

    private static GaussianConditioner CreateConditioner(MixtureModel<GaussianComponent> model, CovarianceType type, double regularization, IReadOnlyList<int> columns, string parameterName)
    {
        var inputs = ColumnSelection.CheckColumns(columns, model.Dimension, parameterName);
        var outputs = new int[model.Dimension - inputs.Length];
        var isInput = new bool[model.Dimension];
        foreach (int c in inputs)
        {
            isInput[c] = true;
        }

        for (int j = 0, o = 0; j < model.Dimension; j++)
        {
            if (!isInput[j])
            {
                outputs[o++] = j;
            }
        }

        return new GaussianConditioner(model.Weights, model.Components, type, regularization, inputs, outputs);
    }

    private static GaussianComponent SubCovariance(GaussianComponent component, int index, double regularization, double[] mean, int[] keep)
    {
        var sigma = component.GetCovariance();
        int m = keep.Length;
        var covariance = new double[m * m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                covariance[(i * m) + j] = sigma[keep[i], keep[j]];
            }
        }

        if (!FullGaussian.TryCreate(mean, covariance, out var result))
        {
            ThrowHelper.ThrowNotPositiveDefinite(index, regularization);
        }

        return result;
    }

    private static (double[] Means, double[][]? Covariances) Stack(MixtureModel<GaussianComponent> model, bool covariances)
    {
        int d = model.Dimension;
        int k = model.ComponentCount;
        var means = new double[k * d];
        var result = covariances ? new double[k][] : null;
        for (int c = 0; c < k; c++)
        {
            model.Components[c].Mean.CopyTo(means.AsSpan(c * d, d));
            if (result is not null)
            {
                var sigma = model.Components[c].GetCovariance();
                result[c] = new double[d * d];
                for (int i = 0; i < d; i++)
                {
                    for (int j = 0; j < d; j++)
                    {
                        result[c][(i * d) + j] = sigma[i, j];
                    }
                }
            }
        }

        return (means, result);
    }

    private static double[] Pick(ReadOnlySpan<double> values, int[] columns)
    {
        var result = new double[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            result[i] = values[columns[i]];
        }

        return result;
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
