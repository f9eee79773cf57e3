namespace MixtureModels.Components;

/// <summary>
/// A fitted component distribution p(x | θ) over D-dimensional rows. Implementations are immutable and
/// safe to use from many threads at once; they cache whatever their density needs.
/// </summary>
public interface IComponent
{
    /// <summary>Dimension D of the rows this component is defined on.</summary>
    int Dimension { get; }

    /// <summary>Number of free parameters of this component on its own (for example D + D(D+1)/2 for a full Gaussian).</summary>
    int ParameterCount { get; }

    /// <summary>
    /// The hot path: writes log p(xₙ | θ) for a block of rows into <paramref name="destination"/>.
    /// </summary>
    /// <param name="rows">destination.Length rows of D values each, row-major.</param>
    /// <param name="destination">One log-density per row.</param>
    void LogDensity(ReadOnlySpan<double> rows, Span<double> destination);

    /// <summary>log p(x | θ) of a single row of length D.</summary>
    /// <param name="row">The row.</param>
    double LogDensity(ReadOnlySpan<double> row);

    /// <summary>Draws one row from the component into <paramref name="destination"/> (length D) using the caller's generator.</summary>
    /// <param name="random">Source of randomness.</param>
    /// <param name="destination">Receives the draw.</param>
    void Sample(Random random, Span<double> destination);
}
