namespace MixtureModels.Components;

/// <summary>
/// Optional capability of a component: the density of a row's observed entries and the conditional expectation of its
/// missing ones. The E-step of rows with missing entries and <c>Impute</c> use it; together with
/// <see cref="IMissingValueStatistics"/> it lets a family be fitted with <see cref="MissingValueHandling.Marginalize"/>.
/// </summary>
public interface IMissingValueComponent : IComponent
{
    /// <summary>
    /// Writes log p(x_O | θ) for a block of rows that may contain NaN, NaN meaning "not observed": the marginal density
    /// of each row's observed entries (the missing ones integrated out). Every row has at least one observed entry; rows
    /// without NaN give the same values as <see cref="IComponent.LogDensity(ReadOnlySpan{double}, Span{double})"/> (up to
    /// rounding).
    /// </summary>
    /// <param name="rows">destination.Length rows of D values each, row-major; NaN marks a missing entry.</param>
    /// <param name="destination">One log-density per row.</param>
    void MarginalLogDensity(ReadOnlySpan<double> rows, Span<double> destination);

    /// <summary>
    /// Copies <paramref name="row"/> into <paramref name="destination"/> with every NaN replaced by its conditional
    /// expectation E[x_M | x_O, θ] under this component.
    /// </summary>
    /// <param name="row">A row of length D; NaN marks a missing entry.</param>
    /// <param name="destination">Receives the completed row (length D).</param>
    void ConditionalMean(ReadOnlySpan<double> row, Span<double> destination);
}
