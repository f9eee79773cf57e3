using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>A start's responsibilities written out as N × K row-major values, read through the M-step's own reader.</summary>
internal static class InitialAssignmentDense
{
    /// <summary>r(i, k) at [i·K + k] for the first <paramref name="rows"/> rows (unweighted).</summary>
    public static double[] Dense(this InitialAssignment assignment, int rows)
    {
        int k = assignment.ComponentCount;
        var result = new double[rows * k];
        var column = new double[rows];
        for (int c = 0; c < k; c++)
        {
            assignment.WeightsOf(c, 0, null, column);
            for (int i = 0; i < rows; i++)
            {
                result[(i * k) + c] = column[i];
            }
        }

        return result;
    }
}
