namespace MixtureModels.Numerics;

/// <summary>
/// The joint log-densities of a kernel that works on transposed pieces of a block (a vector holds one column of as
/// many consecutive rows as it has lanes). <see cref="ColumnPieces.JointLogDensity{TLanes}(IColumnPieceDensities, ReadOnlySpan{double}, int, Span{double}, int, int, int)"/>
/// cuts the block into pieces, transposes them into per-thread scratch and copies the densities out.
/// </summary>
internal interface IColumnPieceDensities
{
    /// <summary>D.</summary>
    int Dimension { get; }

    /// <summary>K.</summary>
    int ComponentCount { get; }

    /// <summary>destination[k·p + n] = log π_k + log p(xₙ | θ_k) for all p rows of the transposed piece.</summary>
    /// <param name="columns">D × p: the piece's rows, transposed (<see cref="BlockVectorMath.Transpose{TLanes}"/>), zero-padded to p rows.</param>
    /// <param name="p">The padded row count, a multiple of the vector width.</param>
    /// <param name="destination">K × p destination.</param>
    void LogDensities(ReadOnlySpan<double> columns, int p, Span<double> destination);
}
