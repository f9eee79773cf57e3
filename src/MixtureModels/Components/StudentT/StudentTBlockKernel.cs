using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Components.StudentT;

/// <summary>
/// The batched E-step and statistics of Student-t components on a block of complete rows: the Mahalanobis distances of
/// all rows to a component in one vectorised pass (<see cref="FullCovarianceKernel.QuadraticForms"/> with its precision
/// Cholesky factor), the t log-densities and responsibilities from them, and the scatter Σ r·u·(x − a)(x − a)ᵀ of the
/// block with the vectorised scatter kernel, reusing each distance for the expected weight u instead of recomputing
/// it row by row. Prepared once per pass; <see cref="Accumulate"/> may run on many threads at once (scratch is per thread).
/// </summary>
internal sealed class StudentTBlockKernel : IBlockKernel<StudentTComponent, StudentTStatistics>
{
    [ThreadStatic]
    private static double[]? t_scratch;

    private readonly int _d;
    private readonly int _k;
    private readonly int _dp;
    private readonly double[] _factors;   // K × dp × dp, zero-padded precision Cholesky factors
    private readonly double[] _logWeights;
    private StudentTComponent[] _components = [];

    public StudentTBlockKernel(int dimension, int componentCount)
    {
        _d = dimension;
        _k = componentCount;
        _dp = FullCovarianceKernel.PaddedDimension(dimension);
        _factors = new double[componentCount * _dp * _dp];
        _logWeights = new double[componentCount];
    }

    /// <inheritdoc />
    public bool Prepare(IReadOnlyList<StudentTComponent> components, ReadOnlySpan<double> logWeights)
    {
        if (components.Count != _k || logWeights.Length != _k)
        {
            return false;
        }

        int d = _d, dp = _dp;
        var prepared = new StudentTComponent[_k];
        for (int k = 0; k < _k; k++)
        {
            var component = components[k];
            if (component is null || component.Dimension != d)
            {
                return false;
            }

            var p = component.PrecisionCholeskySpan;
            var target = _factors.AsSpan(k * dp * dp, dp * dp);
            target.Clear();
            for (int i = 0; i < d; i++)
            {
                p.Slice(i * d, d).CopyTo(target.Slice(i * dp, d));
            }

            prepared[k] = component;
        }

        logWeights.CopyTo(_logWeights);
        _components = prepared;
        return true;
    }

    /// <inheritdoc />
    public void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride)
    {
        for (int k = 0; k < _k; k++)
        {
            var destination = logProb.Slice(k * stride, count);
            Distances(rows, count, k, destination);
            var component = _components[k];
            for (int n = 0; n < count; n++)
            {
                destination[n] = _logWeights[k] + component.LogDensityOfDistance(destination[n]);
            }
        }
    }

    /// <inheritdoc />
    public void Accumulate(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<StudentTStatistics> statistics)
    {
        int d = _d, dp = _dp, k = _k;
        var scratch = ScratchBuffer.Get(ref t_scratch, (2 * k * count) + (2 * count * dp) + (dp * dp) + (2 * dp) + count);
        var distances = scratch[..(k * count)];
        var logProb = scratch.Slice(k * count, k * count);
        var weighted = scratch.Slice(2 * k * count, count * dp);
        var centred = scratch.Slice((2 * k * count) + (count * dp), count * dp);
        var blockScatter = scratch.Slice((2 * k * count) + (2 * count * dp), dp * dp);
        var blockSum = scratch.Slice((2 * k * count) + (2 * count * dp) + (dp * dp), dp);
        var center = scratch.Slice((2 * k * count) + (2 * count * dp) + (dp * dp) + dp, dp);
        var ru = scratch.Slice((2 * k * count) + (2 * count * dp) + (dp * dp) + (2 * dp), count);
        for (int c = 0; c < k; c++)
        {
            var q = distances.Slice(c * count, count);
            Distances(rows, count, c, q);
            var component = _components[c];
            var target = logProb.Slice(c * count, count);
            for (int n = 0; n < count; n++)
            {
                target[n] = _logWeights[c] + component.LogDensityOfDistance(q[n]);
            }
        }

        // Responsibility × sample weight, in place, as the engine's general path computes it.
        EStepKernel.Responsibilities(logProb, count, k, count, rowWeights, logLikelihood);
        for (int c = 0; c < k; c++)
        {
            var weights = logProb.Slice(c * count, count);
            var s = statistics[c];
            var component = _components[c];
            if (!ReferenceEquals(s.Current, component))
            {
                // Statistics for another component (not the engine's passes): the general path.
                s.Accumulate(rows[..(count * d)], weights);
                continue;
            }

            var q = distances.Slice(c * count, count);
            double total = 0, expected = 0, logTerm = 0;
            for (int n = 0; n < count; n++)
            {
                double r = weights[n];
                if (r == 0)
                {
                    ru[n] = 0;
                    continue;
                }

                double u = component.ExpectedWeightOfDistance(q[n]);
                ru[n] = r * u;
                total += r;
                expected += ru[n];
                logTerm += r * (Math.Log(u) - u);
            }

            if (total == 0)
            {
                continue;
            }

            blockScatter.Clear();
            blockSum.Clear();
            center.Clear();
            var reference = s.Reference;
            if (dp == d)
            {
                reference.CopyTo(center);
                FullCovarianceKernel.Scatter(rows, center, ru, count, dp, weighted, blockScatter, blockSum);
            }
            else
            {
                FullCovarianceKernel.Centre(rows, count, reference, dp, centred);
                FullCovarianceKernel.Scatter(centred, center, ru, count, dp, weighted, blockScatter, blockSum);
            }

            s.AddBlock(total, expected, logTerm, blockSum, blockScatter, dp);
        }
    }

    /// <summary>δ² of <paramref name="count"/> rows to component <paramref name="component"/> into <paramref name="destination"/>.</summary>
    private void Distances(ReadOnlySpan<double> rows, int count, int component, Span<double> destination) =>
        FullCovarianceKernel.QuadraticForms(rows, count, _components[component].Mean, _dp, _factors.AsSpan(component * _dp * _dp, _dp * _dp), destination);
}
