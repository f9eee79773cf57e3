using System.Globalization;
using MixtureModels.CustomComponent.VonMises;

namespace MixtureModels.ConsumerTests;

/// <summary>The sample's real data (310 Col de la Roa wind directions) and synthetic draws.</summary>
internal static class WindData
{
    private static readonly Lazy<double[]> Angles = new(() =>
        [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "wind.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => double.Parse(l, CultureInfo.InvariantCulture))]);

    /// <summary>The 310 wind directions in radians.</summary>
    public static double[] Raw => (double[])Angles.Value.Clone();

    /// <summary>One column: N × 1.</summary>
    public static DataMatrix Column(IEnumerable<double> angles) => angles.Select(a => new[] { a }).ToArray();

    /// <summary>A three-component start that every agreement test uses (weights and components given: no initialiser runs).</summary>
    public static MixtureStart<VonMisesComponent> Start() => new(
        [0.5, 0.3, 0.2],
        [new VonMisesComponent(0.1, 3.0), new VonMisesComponent(0.6, 20.0), new VonMisesComponent(2.0, 1.5)]);

    /// <summary>N draws from a known three-component von Mises mixture.</summary>
    public static double[] Draws(int count, int seed)
    {
        var truth = new MixtureModel<VonMisesComponent>(
            [0.5, 0.3, 0.2],
            [new VonMisesComponent(0.0, 8.0), new VonMisesComponent(2.2, 3.0), new VonMisesComponent(-2.0, 20.0)]);
        var sample = truth.Sample(count, new Random(seed));
        return [.. Enumerable.Range(0, count).Select(i => sample.Rows[i, 0])];
    }
}
