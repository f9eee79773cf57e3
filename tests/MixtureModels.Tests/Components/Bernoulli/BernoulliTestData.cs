namespace MixtureModels.Tests.Components.Bernoulli;

/// <summary>Binary data and naive Bernoulli formulas written from the definitions, independent of the library.</summary>
internal static class BernoulliTestData
{
    /// <summary>rows·d values, row-major, each 1 with probability <paramref name="density"/>.</summary>
    public static double[] Binary(int rows, int d, int seed, double density = 0.4)
    {
        var random = new Random(seed);
        var x = new double[rows * d];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() < density ? 1 : 0;
        }

        return x;
    }

    /// <summary>Probabilities spread over [0.05, 0.95].</summary>
    public static double[] Probabilities(int d, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, d).Select(_ => 0.05 + (0.9 * random.NextDouble())).ToArray();
    }

    /// <summary>Non-negative weights, some exactly zero.</summary>
    public static double[] Weights(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(i => i % 7 == 3 ? 0 : 3 * random.NextDouble()).ToArray();
    }

    /// <summary>log Π_d φ_d^x_d (1 − φ_d)^(1 − x_d), as the logarithm of the product itself.</summary>
    public static double NaiveLogDensity(ReadOnlySpan<double> x, IReadOnlyList<double> phi)
    {
        double p = 1;
        for (int i = 0; i < x.Length; i++)
        {
            p *= Math.Pow(phi[i], x[i]) * Math.Pow(1 - phi[i], 1 - x[i]);
        }

        return Math.Log(p);
    }

    /// <summary>Σₙ wₙ·xₙd per column and Σₙ wₙ, by brute force.</summary>
    public static (double Total, double[] Counts) WeightedCounts(double[] rows, double[] weights, int d)
    {
        var counts = new double[d];
        double total = 0;
        for (int n = 0; n < weights.Length; n++)
        {
            total += weights[n];
            for (int i = 0; i < d; i++)
            {
                counts[i] += weights[n] * rows[(n * d) + i];
            }
        }

        return (total, counts);
    }
}
