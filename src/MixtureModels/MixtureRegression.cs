using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// The result of Gaussian mixture regression (<see cref="GaussianMixtureModel.Regress"/>): for every input row, the mean
/// E[x_b | x_a] of the output columns b under the conditional mixture and, when asked for, its covariance
/// Σ_k w_k (C_k + m_k m_kᵀ) − m mᵀ. Immutable and safe to share across threads; every getter returns a new copy.
/// </summary>
public sealed class MixtureRegression
{
    private readonly int[] _outputColumns;
    private readonly double[] _means;
    private readonly double[]? _covariances;

    internal MixtureRegression(int[] outputColumns, int rowCount, double[] means, double[]? covariances)
    {
        _outputColumns = outputColumns;
        RowCount = rowCount;
        _means = means;
        _covariances = covariances;
    }

    /// <summary>The output columns b (the model's columns not used as inputs), ascending; column j of <see cref="GetMeans"/> is model column <c>OutputColumns[j]</c>.</summary>
    public IReadOnlyList<int> OutputColumns => Array.AsReadOnly(_outputColumns);

    /// <summary>Number of input rows N.</summary>
    public int RowCount { get; }

    /// <summary>Whether the conditional covariances were computed (<see cref="GetCovariance"/> is available).</summary>
    public bool HasCovariances => _covariances is not null;

    /// <summary>Returns a new N × |b| matrix of the conditional means, one row per input row.</summary>
    public Matrix<double> GetMeans()
    {
        int b = _outputColumns.Length;
        return Matrix<double>.Build.Dense(RowCount, b, (n, j) => _means[(n * b) + j]);
    }

    /// <summary>Returns a new |b| × |b| conditional covariance of input row <paramref name="row"/>.</summary>
    /// <param name="row">Row index in [0, N).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside [0, N).</exception>
    /// <exception cref="InvalidOperationException">The regression was run without covariances.</exception>
    public Matrix<double> GetCovariance(int row)
    {
        if ((uint)row >= (uint)RowCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(row), row, $"Use a row index in [0, {RowCount}).");
        }

        if (_covariances is null)
        {
            throw new InvalidOperationException("This regression was run without covariances. Call Regress with includeCovariances: true.");
        }

        int b = _outputColumns.Length;
        int offset = row * b * b;
        return Matrix<double>.Build.Dense(b, b, (i, j) => _covariances[offset + (i * b) + j]);
    }
}
