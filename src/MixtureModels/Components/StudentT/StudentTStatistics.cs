using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.StudentT;

/// <summary>
/// Weighted sufficient statistics of one Student-t component for the EM step of Peel and McLachlan (2000). With row
/// weights r (responsibility × sample weight) and the expected latent weights u = (ν + D)/(ν + δ²) under the component
/// being re-estimated (<see cref="Current"/>; u = 1 without one, which makes the statistics Gaussian), they hold
/// W = Σ r, U = Σ r·u, s = Σ r·u·(x − a), S = Σ r·u·(x − a)(x − a)ᵀ about a reference point a (the current location, or
/// the first row seen), and Σ r·(log u − u) for the degrees-of-freedom equation.
/// </summary>
public sealed class StudentTStatistics : ISufficientStatistics<StudentTStatistics>
{
    private readonly double[] _reference;
    private readonly double[] _sum;
    private readonly double[] _scatter; // D×D row-major, upper triangle accumulated
    private bool _hasReference;

    /// <summary>Creates empty statistics for re-estimating <paramref name="current"/> (or, when null, for the first M-step after an initialiser: u = 1).</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="current">The component being re-estimated, of dimension D, or null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="current"/> has another dimension.</exception>
    public StudentTStatistics(int dimension, StudentTComponent? current = null)
    {
        ArgumentChecks.AtLeast(dimension, 1, nameof(dimension), "Use the data's column count, at least 1.");
        Dimension = dimension;
        _reference = new double[dimension];
        _sum = new double[dimension];
        _scatter = new double[dimension * dimension];
        Reset(current);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>The component being re-estimated, whose expected weights u the statistics use; null for the initial M-step (u = 1).</summary>
    public StudentTComponent? Current { get; private set; }

    /// <summary>W = Σ r, the total row weight (the component's share of the data).</summary>
    public double TotalWeight { get; private set; }

    /// <summary>U = Σ r·u.</summary>
    public double ExpectedWeightSum { get; private set; }

    /// <summary>Σ r·(log u − u), the data term of the degrees-of-freedom equation.</summary>
    public double LogWeightTerm { get; private set; }

    /// <summary>The reference point a (length D); all zeros until a row has been seen when there is no current component.</summary>
    public ReadOnlySpan<double> Reference => _reference;

    /// <summary>s = Σ r·u·(x − a), length D.</summary>
    public ReadOnlySpan<double> WeightedSum => _sum;

    /// <summary>S = Σ r·u·(x − a)(x − a)ᵀ, D × D row-major (upper triangle).</summary>
    public ReadOnlySpan<double> Scatter => _scatter;

    /// <summary>The D × D scatter and the vectors: 8·(D² + 2D) bytes and a little more.</summary>
    long ISufficientStatistics.SizeInBytes => (8L * Dimension * (Dimension + 2)) + 96;

    /// <inheritdoc />
    public void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int d = Dimension;
        SpanArguments.Block(rows, weights.Length, d);
        var current = Current;
        Span<double> centred = d <= 64 ? stackalloc double[d] : new double[d];
        for (int n = 0; n < weights.Length; n++)
        {
            double r = weights[n];
            if (r == 0)
            {
                continue;
            }

            var row = rows.Slice(n * d, d);
            if (!_hasReference)
            {
                row.CopyTo(_reference);
                _hasReference = true;
            }

            double u = 1;
            if (current is not null)
            {
                u = current.ExpectedWeightOfDistance(current.MahalanobisSquared(row));
            }

            double ru = r * u;
            TotalWeight += r;
            ExpectedWeightSum += ru;
            LogWeightTerm += r * (Math.Log(u) - u);
            for (int i = 0; i < d; i++)
            {
                centred[i] = row[i] - _reference[i];
                _sum[i] += ru * centred[i];
            }

            for (int i = 0; i < d; i++)
            {
                double wi = ru * centred[i];
                var scatterRow = _scatter.AsSpan(i * d, d);
                for (int j = i; j < d; j++)
                {
                    scatterRow[j] += wi * centred[j];
                }
            }
        }
    }

    /// <inheritdoc />
    public void Clear()
    {
        TotalWeight = 0;
        ExpectedWeightSum = 0;
        LogWeightTerm = 0;
        Array.Clear(_sum);
        Array.Clear(_scatter);
    }

    /// <inheritdoc />
    /// <remarks>The other statistics' moments are moved to this reference point; both should have been computed under the same current component.</remarks>
    public void Merge(StudentTStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Dimension != Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(other), string.Create(CultureInfo.InvariantCulture, $"other has dimension {other.Dimension} but these statistics have dimension {Dimension}. Merge statistics of the same dimension."));
        }

        if (!other._hasReference && other.TotalWeight == 0)
        {
            return;
        }

        if (!_hasReference)
        {
            other._reference.CopyTo(_reference, 0);
            _hasReference = true;
        }

        int d = Dimension;
        Span<double> shift = d <= 64 ? stackalloc double[d] : new double[d];
        for (int i = 0; i < d; i++)
        {
            shift[i] = other._reference[i] - _reference[i];
        }

        // Σ r·u·(x − a) = Σ r·u·(x − b) + U·(b − a), and likewise for the scatter.
        double uo = other.ExpectedWeightSum;
        var so = other._sum;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                _scatter[(i * d) + j] += other._scatter[(i * d) + j] + (so[i] * shift[j]) + (shift[i] * so[j]) + (uo * shift[i] * shift[j]);
            }
        }

        for (int i = 0; i < d; i++)
        {
            _sum[i] += so[i] + (uo * shift[i]);
        }

        TotalWeight += other.TotalWeight;
        ExpectedWeightSum += uo;
        LogWeightTerm += other.LogWeightTerm;
    }

    /// <summary>Empties the statistics and centres them on <paramref name="current"/> (or leaves the reference to the first row seen).</summary>
    internal void Reset(StudentTComponent? current)
    {
        if (current is not null && current.Dimension != Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(current), string.Create(CultureInfo.InvariantCulture, $"current has dimension {current.Dimension} but the statistics have dimension {Dimension}. Pass a component of the data's dimension."));
        }

        Clear();
        Current = current;
        if (current is null)
        {
            Array.Clear(_reference);
            _hasReference = false;
        }
        else
        {
            current.Mean.CopyTo(_reference);
            _hasReference = true;
        }
    }

    /// <summary>Writes the location Σ r·u·x / Σ r·u into <paramref name="mean"/> and adds Σ r·u·(x − μ)(x − μ)ᵀ (full symmetric) to <paramref name="scatter"/>.</summary>
    internal void CentredMoments(Span<double> mean, Span<double> scatter)
    {
        int d = Dimension;
        double u = ExpectedWeightSum + MixtureConstants.EmptyComponentWeight;
        for (int i = 0; i < d; i++)
        {
            mean[i] = _reference[i] + (_sum[i] / u);
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = _scatter[(i * d) + j] - (_sum[i] * _sum[j] / u);
                scatter[(i * d) + j] += v;
                if (j != i)
                {
                    scatter[(j * d) + i] += v;
                }
            }
        }
    }
}
