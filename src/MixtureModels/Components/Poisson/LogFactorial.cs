using MathNet.Numerics;

namespace MixtureModels.Components.Poisson;

/// <summary>log x! = log Γ(x + 1), tabulated for small counts (the common case) and from <see cref="SpecialFunctions.GammaLn"/> otherwise.</summary>
internal static class LogFactorial
{
    private const int TableSize = 256;

    private static readonly double[] Table = BuildTable();

    /// <summary>log Γ(x + 1) for a non-negative integer <paramref name="x"/>.</summary>
    public static double Of(double x) => x < TableSize ? Table[(int)x] : SpecialFunctions.GammaLn(x + 1);

    private static double[] BuildTable()
    {
        var table = new double[TableSize];
        for (int i = 2; i < TableSize; i++)
        {
            table[i] = SpecialFunctions.GammaLn(i + 1.0);
        }

        return table;
    }
}
