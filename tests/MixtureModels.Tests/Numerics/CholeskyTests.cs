using MixtureModels.Numerics;

namespace MixtureModels.Tests.Numerics;

/// <summary>The blocked factorisation and inverse (D ≥ 65) against the textbook loops and against A·P·Pᵀ = I.</summary>
public sealed class CholeskyTests
{
    [Theory]
    [InlineData(65)]
    [InlineData(100)]
    [InlineData(131)]
    [InlineData(257)]
    public void The_blocked_factor_and_inverse_agree_with_the_textbook_loops(int d)
    {
        var a = RandomSpd(d, new Random(d));
        var blocked = new double[d * d];
        var reference = new double[d * d];
        Cholesky.TryFactor(a, d, blocked).Should().BeTrue();
        Cholesky.TryFactorUnblocked(a, d, reference).Should().BeTrue();
        MaxRelativeDifference(blocked, reference).Should().BeLessThan(1e-12);
        for (int i = 0; i < d; i++)
        {
            for (int j = i + 1; j < d; j++)
            {
                blocked[(i * d) + j].Should().Be(0, "the upper part of L is zero");
            }
        }

        var p = new double[d * d];
        var pReference = new double[d * d];
        Cholesky.InverseTranspose(reference, d, p);
        Cholesky.InverseTransposeUnblocked(reference, d, pReference);
        MaxRelativeDifference(p, pReference).Should().BeLessThan(1e-11);

        // A · (P·Pᵀ) = I.
        var precision = new double[d * d];
        Cholesky.MultiplyByTranspose(p, d, precision);
        double worst = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                {
                    s += a[(i * d) + k] * precision[(k * d) + j];
                }

                worst = Math.Max(worst, Math.Abs(s - (i == j ? 1 : 0)));
            }
        }

        worst.Should().BeLessThan(1e-10);
    }

    [Fact]
    public void The_blocked_factor_refuses_a_matrix_that_is_not_positive_definite_in_a_late_panel()
    {
        const int d = 150;
        var a = RandomSpd(d, new Random(3));
        a[(140 * d) + 140] = -1; // the failure shows in the third panel
        Cholesky.TryFactor(a, d, new double[d * d]).Should().BeFalse();
        Cholesky.TryFactorUnblocked(a, d, new double[d * d]).Should().BeFalse();
    }

    /// <summary>B·Bᵀ/d + I for a random B: symmetric positive definite with a moderate condition number.</summary>
    private static double[] RandomSpd(int d, Random random)
    {
        var b = new double[d * d];
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = Reference.StandardNormal(random);
        }

        var a = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++)
                {
                    s += b[(i * d) + k] * b[(j * d) + k];
                }

                a[(i * d) + j] = a[(j * d) + i] = (s / d) + (i == j ? 1 : 0);
            }
        }

        return a;
    }

    private static double MaxRelativeDifference(double[] actual, double[] expected)
    {
        double scale = expected.Max(Math.Abs);
        return actual.Zip(expected, (x, y) => Math.Abs(x - y)).Max() / scale;
    }
}
