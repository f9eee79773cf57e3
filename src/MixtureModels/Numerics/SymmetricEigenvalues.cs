using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Numerics;

/// <summary>The extreme eigenvalues of a small symmetric matrix (diagnostics only, never on a hot path).</summary>
internal static class SymmetricEigenvalues
{
    /// <summary>The smallest and largest eigenvalue of the D × D symmetric matrix stored row-major in <paramref name="matrix"/>; (NaN, NaN) when the decomposition fails.</summary>
    public static (double Smallest, double Largest) Extremes(ReadOnlySpan<double> matrix, int dimension)
    {
        if (dimension == 1)
        {
            return (matrix[0], matrix[0]);
        }

        var m = Matrix<double>.Build.Dense(dimension, dimension, matrix.ToArray()); // column-major = row-major for a symmetric matrix
        return Extremes(m);
    }

    /// <summary>The smallest and largest eigenvalue of a symmetric matrix; (NaN, NaN) when the decomposition fails.</summary>
    public static (double Smallest, double Largest) Extremes(Matrix<double> matrix)
    {
        try
        {
            var values = matrix.Evd(Symmetricity.Symmetric).EigenValues;
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (var v in values)
            {
                min = Math.Min(min, v.Real);
                max = Math.Max(max, v.Real);
            }

            return (min, max);
        }
        catch (ArithmeticException)
        {
            return (double.NaN, double.NaN);
        }
    }
}
