namespace MixtureModels.Numerics;

/// <summary>Standard normal draws from a caller's <see cref="Random"/> (Box–Muller).</summary>
internal static class StandardNormal
{
    /// <summary>Fills <paramref name="destination"/> with independent N(0, 1) draws.</summary>
    public static void Fill(Random random, Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(); // (0, 1]
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            double angle = 2.0 * Math.PI * u2;
            destination[i] = radius * Math.Cos(angle);
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = radius * Math.Sin(angle);
            }
        }
    }
}
