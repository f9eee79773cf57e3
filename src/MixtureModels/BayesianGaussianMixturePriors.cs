using System.Globalization;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>The priors of a <see cref="BayesianGaussianMixture"/> fit, with scikit-learn's data-dependent defaults, checked against the data.</summary>
internal static class BayesianGaussianMixturePriors
{
    /// <summary>Builds the component family and the weight step/objective of one fit.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="data">The checked training data.</param>
    /// <param name="weights">Relative sample weights (average 1), or null.</param>
    public static (NormalWishartFamily Family, VariationalGaussianStep Step) Resolve(BayesianGaussianMixtureOptions options, DataMatrix data, double[]? weights)
    {
        int d = data.Columns, k = options.ComponentCount;
        double concentration = options.WeightConcentrationPrior ?? (1.0 / k);
        double meanPrecision = options.MeanPrecisionPrior ?? 1.0;
        double degreesOfFreedom = options.DegreesOfFreedomPrior ?? d;
        if (!(degreesOfFreedom > d - 1))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(options.DegreesOfFreedomPrior), degreesOfFreedom, string.Create(CultureInfo.InvariantCulture, $"The data has D = {d} columns: use degrees of freedom greater than D − 1 = {d - 1}, such as D (the default when null)."));
        }

        var mean = Mean(data, weights);
        double[] meanPrior;
        if (options.MeanPrior is { } given)
        {
            if (given.Count != d)
            {
                ThrowHelper.ThrowArgument(nameof(options.MeanPrior), string.Create(CultureInfo.InvariantCulture, $"MeanPrior has {given.Count} values but the data has {d} columns. Give one value per column, or null for the data's mean."));
            }

            meanPrior = [.. given];
        }
        else
        {
            meanPrior = mean;
        }

        var covariancePrior = options.CovariancePrior is null
            ? DefaultCovariancePrior(options.CovarianceType, data, weights, mean)
            : GivenCovariancePrior(options, d);
        var family = new NormalWishartFamily(options.CovarianceType, d, options.CovarianceRegularization, meanPrecision, meanPrior, degreesOfFreedom, covariancePrior);
        return (family, new VariationalGaussianStep(family, options.WeightConcentrationPriorType, concentration));
    }

    private static double[] Mean(DataMatrix data, double[]? weights)
    {
        int d = data.Columns;
        var sum = new double[d];
        double total = 0;
        for (int n = 0; n < data.Rows; n++)
        {
            double w = weights is null ? 1 : weights[n];
            var row = data.Row(n);
            for (int i = 0; i < d; i++)
            {
                sum[i] += w * row[i];
            }

            total += w;
        }

        for (int i = 0; i < d; i++)
        {
            sum[i] /= total;
        }

        return sum;
    }

    /// <summary>scikit-learn's default: the data's covariance with denominator W − 1 (full, tied), its diagonal (diagonal), the diagonal's mean (spherical).</summary>
    private static double[] DefaultCovariancePrior(CovarianceType type, DataMatrix data, double[]? weights, double[] mean)
    {
        int d = data.Columns;
        double total = weights is null ? data.Rows : weights.Sum();
        if (!(total > 1))
        {
            ThrowHelper.ThrowArgument(nameof(BayesianGaussianMixtureOptions.CovariancePrior), string.Create(CultureInfo.InvariantCulture, $"The default covariance prior is the data's covariance with denominator W − 1, but the total weight W is {total}. Pass more rows, or give CovariancePrior."));
        }

        var covariance = new double[d * d];
        var centred = new double[d];
        for (int n = 0; n < data.Rows; n++)
        {
            double w = weights is null ? 1 : weights[n];
            var row = data.Row(n);
            for (int i = 0; i < d; i++)
            {
                centred[i] = row[i] - mean[i];
            }

            for (int i = 0; i < d; i++)
            {
                for (int j = i; j < d; j++)
                {
                    covariance[(i * d) + j] += w * centred[i] * centred[j];
                }
            }
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                covariance[(i * d) + j] /= total - 1;
                covariance[(j * d) + i] = covariance[(i * d) + j];
            }
        }

        switch (type)
        {
            case CovarianceType.Full:
            case CovarianceType.Tied:
                return covariance;
            case CovarianceType.Diagonal:
                return Diagonal(covariance, d);
            default:
                return [Diagonal(covariance, d).Average()];
        }
    }

    private static double[] GivenCovariancePrior(BayesianGaussianMixtureOptions options, int d)
    {
        var m = options.CovariancePrior!;
        const string Name = nameof(options.CovariancePrior);
        if (m.RowCount != d)
        {
            ThrowHelper.ThrowArgument(Name, string.Create(CultureInfo.InvariantCulture, $"CovariancePrior is {m.RowCount} × {m.ColumnCount} but the data has {d} columns. Give a D × D matrix, or null for the data's covariance."));
        }

        var values = new double[d * d];
        double scale = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double v = m[i, j];
                if (!double.IsFinite(v))
                {
                    ThrowHelper.ThrowArgument(Name, string.Create(CultureInfo.InvariantCulture, $"CovariancePrior[{i}, {j}] = {v} is not finite. Give a finite symmetric positive definite matrix."));
                }

                values[(i * d) + j] = v;
                scale = Math.Max(scale, Math.Abs(v));
            }
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (Math.Abs(values[(i * d) + j] - values[(j * d) + i]) > 1e-12 * scale)
                {
                    ThrowHelper.ThrowArgument(Name, string.Create(CultureInfo.InvariantCulture, $"CovariancePrior is not symmetric: [{i}, {j}] = {values[(i * d) + j]} but [{j}, {i}] = {values[(j * d) + i]}. Give a symmetric positive definite matrix."));
                }
            }
        }

        switch (options.CovarianceType)
        {
            case CovarianceType.Full:
            case CovarianceType.Tied:
                if (!Cholesky.TryFactor(values, d, new double[d * d]))
                {
                    ThrowHelper.ThrowArgument(Name, "CovariancePrior is not positive definite. Give a symmetric positive definite matrix, such as the data's covariance (the default when null).");
                }

                return values;
            case CovarianceType.Diagonal:
                RequireDiagonal(values, d, Name, "Diagonal covariance takes a diagonal prior with positive entries");
                return Diagonal(values, d);
            default:
                RequireDiagonal(values, d, Name, "Spherical covariance takes a positive multiple of I");
                for (int i = 1; i < d; i++)
                {
                    if (values[(i * d) + i] != values[0])
                    {
                        ThrowHelper.ThrowArgument(Name, string.Create(CultureInfo.InvariantCulture, $"CovariancePrior[{i}, {i}] = {values[(i * d) + i]} differs from [0, 0] = {values[0]}. Spherical covariance takes a positive multiple of I."));
                    }
                }

                return [values[0]];
        }
    }

    private static void RequireDiagonal(double[] values, int d, string name, string fix)
    {
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double v = values[(i * d) + j];
                if ((i != j && v != 0) || (i == j && !(v > 0)))
                {
                    ThrowHelper.ThrowArgument(name, string.Create(CultureInfo.InvariantCulture, $"CovariancePrior[{i}, {j}] = {v}. {fix}."));
                }
            }
        }
    }

    private static double[] Diagonal(double[] matrix, int d)
    {
        var result = new double[d];
        for (int i = 0; i < d; i++)
        {
            result[i] = matrix[(i * d) + i];
        }

        return result;
    }
}
