using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>Boundary checks shared by the Gaussian factories and the estimator's user-given starting point.</summary>
internal static class GaussianValidation
{
    /// <summary>Copies a mean after checking it is non-empty and finite.</summary>
    public static double[] Mean(ReadOnlySpan<double> mean, string parameterName)
    {
        if (mean.Length == 0)
        {
            ThrowHelper.ThrowArgument(parameterName, $"{parameterName} is empty. Pass a mean with one value per column.");
        }

        for (int i = 0; i < mean.Length; i++)
        {
            if (!double.IsFinite(mean[i]))
            {
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{i}] = {mean[i]} is not finite. Pass finite values."));
            }
        }

        return mean.ToArray();
    }

    /// <summary>Copies a D × D matrix row-major after checking shape, finiteness and symmetry.</summary>
    public static double[] SymmetricMatrix(Matrix<double> matrix, int d, string parameterName, string? label = null)
    {
        label ??= parameterName;
        if (matrix.RowCount != d || matrix.ColumnCount != d)
        {
            ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{label} is {matrix.RowCount} × {matrix.ColumnCount} but the data has {d} columns. Pass a {d} × {d} matrix."));
        }

        var values = new double[d * d];
        double scale = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double v = matrix[i, j];
                if (!double.IsFinite(v))
                {
                    ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{label}[{i}, {j}] = {v} is not finite. Pass a finite symmetric positive-definite matrix."));
                }

                values[(i * d) + j] = v;
                scale = Math.Max(scale, Math.Abs(v));
            }
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (Math.Abs(values[(i * d) + j] - values[(j * d) + i]) > 1e-10 * scale)
                {
                    ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{label} is not symmetric: [{i}, {j}] = {values[(i * d) + j]} but [{j}, {i}] = {values[(j * d) + i]}. Pass a symmetric positive-definite matrix."));
                }
            }
        }

        return values;
    }

    /// <summary>Inverts a symmetric positive-definite matrix given by the user, throwing an <see cref="ArgumentException"/> when it is not.</summary>
    public static double[] InvertSymmetricPositiveDefinite(Matrix<double> matrix, int d, string parameterName, string? label = null)
    {
        label ??= parameterName;
        var values = SymmetricMatrix(matrix, d, parameterName, label);
        var lower = new double[d * d];
        if (!Cholesky.TryFactor(values, d, lower))
        {
            ThrowHelper.ThrowArgument(parameterName, $"{label} is not positive definite. Pass symmetric positive-definite matrices (precision = inverse covariance).");
        }

        var inverseTranspose = new double[d * d];
        Cholesky.InverseTranspose(lower, d, inverseTranspose); // U = L⁻ᵀ, U·Uᵀ = A⁻¹
        var inverse = new double[d * d];
        Cholesky.MultiplyByTranspose(inverseTranspose, d, inverse);
        return inverse;
    }

    /// <summary>Checks that every value is finite and strictly positive (variances, precisions).</summary>
    public static double[] Positive(ReadOnlySpan<double> values, string parameterName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!(values[i] > 0) || !double.IsFinite(values[i]))
            {
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{i}] = {values[i]} is not a finite positive number. Pass strictly positive values."));
            }
        }

        return values.ToArray();
    }
}
