using MixtureModels.Numerics;

namespace MixtureModels.Tests.Numerics;

/// <summary>The block E-step against a direct computation of p(z = k | x) = exp(lₖ) / Σⱼ exp(lⱼ).</summary>
public sealed class EStepKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(8, 256)]
    [InlineData(5, 13)]
    public void Responsibilities_times_weights_and_log_likelihoods_match_a_direct_computation(int k, int count)
    {
        const int stride = 300;
        var random = new Random((k * 100) + count);
        var logProb = new double[k * stride];
        for (int i = 0; i < logProb.Length; i++)
        {
            logProb[i] = -30 * random.NextDouble(); // exp of these is representable: the direct formula is exact enough
        }

        var rowWeights = Enumerable.Range(0, count).Select(_ => random.NextDouble() * 3).ToArray();
        var original = (double[])logProb.Clone();
        var logLikelihood = new double[count];

        EStepKernel.Responsibilities(logProb, count, k, stride, rowWeights, logLikelihood);

        for (int n = 0; n < count; n++)
        {
            double total = 0;
            for (int c = 0; c < k; c++)
            {
                total += Math.Exp(original[(c * stride) + n]);
            }

            logLikelihood[n].Should().BeApproximately(Math.Log(total), 1e-12 * Math.Max(1, Math.Abs(Math.Log(total))));
            for (int c = 0; c < k; c++)
            {
                double expected = rowWeights[n] * Math.Exp(original[(c * stride) + n]) / total;
                logProb[(c * stride) + n].Should().BeApproximately(expected, 1e-13 + (1e-12 * expected));
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(8, 256)]
    [InlineData(5, 13)]
    public void Block_log_sum_exp_and_labels_match_the_row_by_row_path(int k, int count)
    {
        const int stride = 300;
        var random = new Random((k * 7) + count);
        var logProb = new double[k * stride];
        for (int i = 0; i < logProb.Length; i++)
        {
            logProb[i] = -800 * random.NextDouble();
        }

        if (count > 5)
        {
            for (int c = 0; c < k; c++)
            {
                logProb[(c * stride) + 2] = double.NegativeInfinity; // row 2: every component impossible
                logProb[(c * stride) + 5] = -3;                      // row 5: a tie, the first component wins
            }
        }

        var logLikelihood = new double[count];
        var labels = new int[count];
        EStepKernel.LogSumExp(logProb, count, k, stride, logLikelihood, labels);
        for (int n = 0; n < count; n++)
        {
            double expected = EStepKernel.RowLogSumExp(logProb, n, k, stride, out int best);
            labels[n].Should().Be(best, $"row {n}");
            if (double.IsNegativeInfinity(expected))
            {
                logLikelihood[n].Should().Be(double.NegativeInfinity);
            }
            else
            {
                logLikelihood[n].Should().BeApproximately(expected, 1e-14 * Math.Max(1, Math.Abs(expected)), $"row {n}");
            }
        }
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(4, 256)]
    [InlineData(9, 37)]
    public void ArgMax_picks_the_largest_joint_density_and_the_first_of_equal_ones(int k, int count)
    {
        var random = new Random(k + count);
        int stride = count + 2;
        var logProb = new double[k * stride];
        for (int i = 0; i < logProb.Length; i++)
        {
            // Few distinct values, so that ties are common; some −∞ (components of weight 0).
            int v = random.Next(6);
            logProb[i] = v == 0 ? double.NegativeInfinity : -v;
        }

        var labels = new int[count];
        EStepKernel.ArgMax(logProb, count, k, stride, labels);
        for (int n = 0; n < count; n++)
        {
            int expected = 0;
            for (int c = 1; c < k; c++)
            {
                if (logProb[(c * stride) + n] > logProb[(expected * stride) + n])
                {
                    expected = c;
                }
            }

            labels[n].Should().Be(expected, $"row {n}");
        }
    }

    [Fact]
    public void Rows_far_below_underflow_stay_finite_and_normalised()
    {
        // Joint log-densities near −1e300: exp underflows without the maximum shift; with it, rows still sum to 1.
        const int k = 3, count = 6;
        var logProb = new double[k * count];
        for (int i = 0; i < logProb.Length; i++)
        {
            logProb[i] = -1e300 - (i % k);
        }

        logProb[0] = double.NegativeInfinity; // one component impossible for row 0
        var logLikelihood = new double[count];
        EStepKernel.Responsibilities(logProb, count, k, count, default, logLikelihood);

        for (int n = 0; n < count; n++)
        {
            double rowSum = 0;
            for (int c = 0; c < k; c++)
            {
                double.IsFinite(logProb[(c * count) + n]).Should().BeTrue();
                rowSum += logProb[(c * count) + n];
            }

            rowSum.Should().BeApproximately(1.0, 1e-12);
            double.IsNaN(logLikelihood[n]).Should().BeFalse();
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(7, true)]
    [InlineData(256, false)]
    [InlineData(101, true)]
    public void Count_and_entropy_equal_the_naive_sums(int rows, bool weighted)
    {
        var random = new Random(rows);
        var r = Enumerable.Range(0, rows).Select(i => i % 5 == 0 ? 0.0 : i % 7 == 0 ? 1.0 : random.NextDouble()).ToArray();
        var w = weighted ? Enumerable.Range(0, rows).Select(i => i % 3 == 0 ? 0.0 : random.NextDouble() * 2).ToArray() : null;
        double count = 1.5, entropy = 0.25;
        EStepKernel.AddCountAndEntropy(r, w, ref count, ref entropy);
        double expectedCount = 1.5, expectedEntropy = 0.25;
        for (int n = 0; n < rows; n++)
        {
            double weight = w?[n] ?? 1.0;
            expectedCount += weight * r[n];
            expectedEntropy += r[n] > 0 ? -weight * r[n] * Math.Log(r[n]) : 0;
        }

        count.Should().BeApproximately(expectedCount, 1e-12 * Math.Max(1, expectedCount));
        entropy.Should().BeApproximately(expectedEntropy, 1e-12 * Math.Max(1, expectedEntropy));
    }

    [Theory]
    [InlineData(3, 45)]
    [InlineData(8, 256)]
    [InlineData(16, 83)]
    public void Groups_of_rows_with_an_impossible_row_match_the_row_by_row_path(int k, int count)
    {
        // Impossible rows (every term −∞) in several groups of eight, among ordinary rows: the vector paths take the
        // other groups whole and these row by row; responsibilities, log-likelihoods and labels agree with the scalar path.
        int stride = count + 5;
        var random = new Random((k * 31) + count);
        var logProb = new double[k * stride];
        for (int i = 0; i < logProb.Length; i++)
        {
            logProb[i] = -200 * random.NextDouble();
        }

        foreach (int row in new[] { 2, 17, count - 1 })
        {
            for (int c = 0; c < k; c++)
            {
                logProb[(c * stride) + row] = double.NegativeInfinity;
            }
        }

        var rowWeights = Enumerable.Range(0, count).Select(_ => random.NextDouble() * 2).ToArray();
        var expected = (double[])logProb.Clone();
        var expectedLogLikelihood = new double[count];
        var expectedLabels = new int[count];
        for (int n = 0; n < count; n++)
        {
            expectedLogLikelihood[n] = EStepKernel.RowLogSumExp(logProb, n, k, stride, out expectedLabels[n]);
            EStepKernel.NormalizeRow(expected, n, k, stride);
            for (int c = 0; c < k; c++)
            {
                expected[(c * stride) + n] *= rowWeights[n];
            }
        }

        var logLikelihood = new double[count];
        var labels = new int[count];
        EStepKernel.LogSumExp(logProb, count, k, stride, logLikelihood, labels);
        labels.Should().Equal(expectedLabels);
        for (int n = 0; n < count; n++)
        {
            if (double.IsNegativeInfinity(expectedLogLikelihood[n]))
            {
                logLikelihood[n].Should().Be(double.NegativeInfinity, $"row {n}");
            }
            else
            {
                logLikelihood[n].Should().BeApproximately(expectedLogLikelihood[n], 1e-14 * Math.Max(1, Math.Abs(expectedLogLikelihood[n])), $"row {n}");
            }
        }

        var responsibilities = (double[])logProb.Clone();
        EStepKernel.Responsibilities(responsibilities, count, k, stride, rowWeights, logLikelihood);
        for (int n = 0; n < count; n++)
        {
            if (!double.IsNegativeInfinity(expectedLogLikelihood[n]))
            {
                logLikelihood[n].Should().BeApproximately(expectedLogLikelihood[n], 1e-14 * Math.Max(1, Math.Abs(expectedLogLikelihood[n])), $"row {n}");
            }

            for (int c = 0; c < k; c++)
            {
                double e = expected[(c * stride) + n];
                responsibilities[(c * stride) + n].Should().BeApproximately(e, 1e-15 + (1e-13 * e), $"row {n}, component {c}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Entropy_of_tiny_and_subnormal_responsibilities_equals_the_naive_sum(bool onlyTiny)
    {
        // r ln r of responsibilities down to the smallest subnormal (e^−708 relative, divided by the row's total); with
        // only tiny ones, the subnormal terms are a visible part of the sum.
        var r = onlyTiny
            ? new[] { 1e-310, 4.9e-324, 3e-320, 2e-308, 1e-307, 2.2250738585072014E-308, 1e-315, 7e-309, 0.0 }
            : new[] { 1.0, 0.5, 1e-300, 2.2250738585072014E-308, 1e-310, 4.9e-324, 0.0, 1e-200, 0.25, 3e-320, 0.75, 1e-30, 0.0, 2e-308, 0.1, 0.9, 5e-324 };
        double count = 0, entropy = 0;
        EStepKernel.AddCountAndEntropy(r, default, ref count, ref entropy);
        double expectedCount = 0, expectedEntropy = 0;
        foreach (double v in r)
        {
            expectedCount += v;
            expectedEntropy += v > 0 ? -v * Math.Log(v) : 0;
        }

        count.Should().BeApproximately(expectedCount, 1e-14 * expectedCount);
        entropy.Should().BeApproximately(expectedEntropy, 1e-13 * expectedEntropy);
        double.IsFinite(entropy).Should().BeTrue();
    }
}
