namespace MixtureModels.Tests.Components;

/// <summary>One case of the component contract fixture: a family, how to draw valid rows for it, and what is known about it.</summary>
internal sealed class ContractCase
{
    /// <summary>Display name, also the key the theories are parameterised by.</summary>
    public required string Name { get; init; }

    /// <summary>The family under test.</summary>
    public required ContractFamily Family { get; init; }

    /// <summary>K, the number of components estimated from the case's data.</summary>
    public required int ComponentCount { get; init; }

    /// <summary>Draws one valid row (length D) from cluster k (0 ≤ k &lt; K) of the case's generating model.</summary>
    public required Func<Random, int, double[]> DrawRow { get; init; }

    /// <summary>The known number of free parameters of one component.</summary>
    public required int ComponentParameterCount { get; init; }

    /// <summary>The known family count for families with shared parameters (K → count); null means K × component count.</summary>
    public Func<int, int>? SharedParameterCount { get; init; }

    /// <summary>Whether the support is small enough to sum or integrate the density over it (discrete, or D ≤ 2 continuous).</summary>
    public bool Normalisable { get; init; }

    /// <summary>Whether the M-step uses a prior (MAP), so that the EM lower bound (the log-likelihood) need not increase.</summary>
    public bool HasPrior { get; init; }

    /// <summary>
    /// Whether the statistics depend on the current component beyond their reference point (a Student-t family's
    /// expected weights u): then only statistics accumulated under the same current component can be merged.
    /// </summary>
    public bool StatisticsDependOnCurrent { get; init; }

    public int Dimension => Family.Dimension;

    /// <summary>n rows, row-major, with the cluster of each row in <paramref name="labels"/>.</summary>
    public double[] Rows(int seed, int n, out int[] labels)
    {
        var random = new Random(seed);
        int d = Dimension;
        var rows = new double[n * d];
        labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = random.Next(ComponentCount);
            var row = DrawRow(random, labels[i]);
            row.CopyTo(rows, i * d);
        }

        return rows;
    }

    /// <summary>n rows, row-major.</summary>
    public double[] Rows(int seed, int n) => Rows(seed, n, out _);

    public override string ToString() => Name;
}
