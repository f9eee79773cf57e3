namespace MixtureModels.Fitting;

/// <summary>
/// The responsibilities a start hands to the first M-step: N × K values (row-major), or one component per row, held as
/// N labels instead of N × K doubles. Every hard initialiser (k-means, its standardised form, the hierarchical cut) and
/// <see cref="MixtureOptions.InitialLabels"/> give labels: on W1 that is 0.8 MB instead of a 12.8 MB array of ones and
/// zeros, whose first touch alone cost a fit 5–25 ms of page faults on a VM.
/// </summary>
/// <remarks>
/// The M-step reads both forms through <see cref="WeightsOf"/>, which gives the same values the N × K form gives: the
/// responsibility times the row's weight, where a label's responsibility is exactly 1 for its component and 0 for the
/// others (1·w is w, 0·w is +0 for the finite, non-negative sample weights), so a hard start fits bit for bit as the
/// same start written out as N × K ones and zeros.
/// </remarks>
internal sealed class InitialAssignment
{
    private readonly double[]? _responsibilities;
    private readonly int[]? _labels;

    private InitialAssignment(double[]? responsibilities, int[]? labels, int componentCount)
    {
        _responsibilities = responsibilities;
        _labels = labels;
        ComponentCount = componentCount;
    }

    /// <summary>K.</summary>
    public int ComponentCount { get; }

    /// <summary>Soft responsibilities: N × K values, row-major, each row summing to 1 (or all 0 for a row no component starts from).</summary>
    /// <param name="responsibilities">The N × K values; kept, not copied.</param>
    /// <param name="componentCount">K.</param>
    public static InitialAssignment Soft(double[] responsibilities, int componentCount) => new(responsibilities, null, componentCount);

    /// <summary>
    /// One component per row: row i belongs to component labels[i] (in [0, K)) with responsibility 1; rows from
    /// labels.Length on belong to none.
    /// </summary>
    /// <param name="labels">The labels; kept, not copied.</param>
    /// <param name="componentCount">K.</param>
    public static InitialAssignment Hard(int[] labels, int componentCount) => new(null, labels, componentCount);

    /// <summary>
    /// destination[n] = r(start + n, <paramref name="component"/>) · w(start + n) for n &lt; destination.Length, with
    /// w the sample weights (1 when <paramref name="sampleWeights"/> is null).
    /// </summary>
    /// <param name="component">k.</param>
    /// <param name="start">The first row.</param>
    /// <param name="sampleWeights">A weight per row of the data, or null.</param>
    /// <param name="destination">One value per row from <paramref name="start"/> on.</param>
    public void WeightsOf(int component, int start, double[]? sampleWeights, Span<double> destination)
    {
        if (_labels is { } labels)
        {
            for (int n = 0; n < destination.Length; n++)
            {
                int row = start + n;
                destination[n] = row < labels.Length && labels[row] == component ? (sampleWeights is null ? 1.0 : sampleWeights[row]) : 0.0;
            }

            return;
        }

        var responsibilities = _responsibilities!;
        int k = ComponentCount;
        for (int n = 0; n < destination.Length; n++)
        {
            int row = start + n;
            destination[n] = responsibilities[(row * k) + component] * (sampleWeights is null ? 1.0 : sampleWeights[row]);
        }
    }
}
