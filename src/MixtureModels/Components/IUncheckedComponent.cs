namespace MixtureModels.Components;

/// <summary>
/// The built-in components' density paths without the argument checks of their public methods: the E-step, the fitted
/// model's queries and the product components call these on data checked once at the public boundary, so the hot loops
/// do no checks. A user's component has no such path and is called through <see cref="IComponent"/>.
/// </summary>
internal interface IUncheckedComponent
{
    /// <summary>As <see cref="IComponent.LogDensity(ReadOnlySpan{double}, Span{double})"/>, for finite rows of the right length.</summary>
    void LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination);

    /// <summary>As <see cref="IMissingValueComponent.MarginalLogDensity"/>, for rows of the right length with at least one observed entry each.</summary>
    void MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination);

    /// <summary>As <see cref="IMissingValueComponent.ConditionalMean"/>, for a row and destination of length D.</summary>
    void ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination);

    /// <summary>As <see cref="IComponent.Sample"/>, for a non-null generator and a destination of length D.</summary>
    void SampleUnchecked(Random random, Span<double> destination);
}
