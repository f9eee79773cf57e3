using MathNet.Numerics;

namespace MixtureModels.Components.Poisson;

/// <summary>
/// Poisson draws from a caller's <see cref="Random"/>: Knuth's multiplication method for λ &lt; 10, and Hörmann's
/// transformed rejection with squeeze (PTRS, 1993) for λ ≥ 10, whose expected cost does not grow with λ.
/// </summary>
internal static class PoissonSampler
{
    /// <summary>The rate from which PTRS is used (it is valid for λ ≥ 10).</summary>
    public const double RejectionThreshold = 10;

    /// <summary>One draw from Poisson(λ); <paramref name="logRate"/> = log λ.</summary>
    public static double Sample(Random random, double rate, double logRate) =>
        rate < RejectionThreshold ? Knuth(random, rate) : TransformedRejection(random, rate, logRate);

    /// <summary>Counts uniforms until their product drops to e^−λ or below.</summary>
    private static double Knuth(Random random, double rate)
    {
        double limit = Math.Exp(-rate);
        double product = random.NextDouble();
        int count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }

    /// <summary>PTRS (W. Hörmann, "The transformed rejection method for generating Poisson random variables", 1993).</summary>
    private static double TransformedRejection(Random random, double rate, double logRate)
    {
        double sqrtRate = Math.Sqrt(rate);
        double b = 0.931 + (2.53 * sqrtRate);
        double a = -0.059 + (0.02483 * b);
        double inverseAlpha = 1.1239 + (1.1328 / (b - 3.4));
        double vr = 0.9277 - (3.6224 / (b - 2));
        while (true)
        {
            double u = random.NextDouble() - 0.5;
            double v = random.NextDouble();
            double us = 0.5 - Math.Abs(u);
            double k = Math.Floor((((2 * a / us) + b) * u) + rate + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return k;
            }

            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }

            double lhs = Math.Log(v) + Math.Log(inverseAlpha) - Math.Log((a / (us * us)) + b);
            double rhs = -rate + (k * logRate) - SpecialFunctions.GammaLn(k + 1);
            if (lhs <= rhs)
            {
                return k;
            }
        }
    }
}
