namespace MixtureModels.Orleans.Tests;

/// <summary>Seeded synthetic data sets.</summary>
internal static class TestRows
{
    /// <summary>Three Gaussian blobs in <paramref name="columns"/> dimensions.</summary>
    public static DataMatrix Blobs(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows * columns];
        for (int n = 0; n < rows; n++)
        {
            int blob = random.Next(3);
            for (int j = 0; j < columns; j++)
            {
                double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                double normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                values[(n * columns) + j] = (blob * 4.0 * (j % 2 == 0 ? 1 : -1)) + ((1 + (0.5 * blob)) * normal);
            }
        }

        return DataMatrix.FromRowMajor(values, columns);
    }

    /// <summary>Binary rows from three prototypes with noise.</summary>
    public static DataMatrix Binary(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows * columns];
        for (int n = 0; n < rows; n++)
        {
            int prototype = random.Next(3);
            for (int j = 0; j < columns; j++)
            {
                double p = (j % 3) == prototype ? 0.85 : 0.15;
                values[(n * columns) + j] = random.NextDouble() < p ? 1 : 0;
            }
        }

        return DataMatrix.FromRowMajor(values, columns);
    }
}
