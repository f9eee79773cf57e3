// "Write your own component": a von Mises mixture for wind directions, with a component family written outside the
// library (VonMises/) and fitted by the library's public MixtureEstimator<TComponent, TStatistics>.
//
// Data: data/wind.csv, 310 wind directions (radians) recorded at the Col de la Roa station in the Italian Alps between
// 3:00 and 4:00 am every day from 29 January to 31 March 2001: the `wind` data set of the R package `circular`
// (see data/README.md for the source and licence).
using System.Globalization;
using MixtureModels;
using MixtureModels.CustomComponent;
using MixtureModels.CustomComponent.VonMises;

string path = Path.Combine(AppContext.BaseDirectory, "data", "wind.csv");
double[] angles = [.. File.ReadLines(path).Skip(1).Where(line => line.Length > 0).Select(line => double.Parse(line, CultureInfo.InvariantCulture))];

// The directions are recorded to 0.1°, so some repeat. Fit the distinct angles with their counts as sample weights:
// integer weights are the same as repeated rows (checked below against the raw 310 rows).
var groups = angles.GroupBy(a => a).OrderBy(g => g.Key).ToArray();
double[][] distinct = [.. groups.Select(g => new[] { g.Key })];
double[] counts = [.. groups.Select(g => (double)g.Count())];
DataMatrix data = distinct;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Col de la Roa wind directions: {angles.Length} measurements, {distinct.Length} distinct angles (counts as sample weights)"));

var family = new VonMisesFamily();
FittedMixtureModel<VonMisesComponent>? best = null;
double bestBic = double.PositiveInfinity;
for (int k = 1; k <= 4; k++)
{
    var options = new MixtureOptions
    {
        ComponentCount = k,
        InitializationCount = 5,   // restarts; the best lower bound is kept
        Initialization = InitializationMethod.RandomFromData,
        Tolerance = 1e-9,
        MaxIterations = 1000,
        Seed = 2001,
    };
    var progress = new ConsoleFitProgress($"K = {k}") { Every = 250 };
    var model = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(family, options).Fit(data, counts, progress);
    double bic = model.BayesianInformationCriterion(data, counts);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"K = {k}: BIC {bic:F2}, mean log-likelihood {model.Report.TrainingLogLikelihood:F6}, restart {model.Report.BestInitialization} kept of [{string.Join(", ", model.Report.InitializationLowerBounds.Select(b => b.ToString("F6", CultureInfo.InvariantCulture)))}], {model.IterationCount} iterations, converged {model.Converged}"));
    foreach (int j in Enumerable.Range(0, k).OrderByDescending(j => model.Weights[j]))
    {
        var c = model.Components[j];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    weight {model.Weights[j]:F3}   mean {Angles.ToDegrees(c.Mean),6:F1}°   κ {c.Concentration,9:F3}   mean resultant length {c.MeanResultantLength:F3}"));
    }

    if (bic < bestBic)
    {
        (best, bestBic) = (model, bic);
    }
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BIC prefers K = {best!.ComponentCount}."));

// The same fit from the raw rows (no weights), started where the weighted fit started, must agree.
var raw = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(family, new MixtureOptions { ComponentCount = best.ComponentCount, Tolerance = 0, MaxIterations = 50 })
{
    Start = new MixtureStart<VonMisesComponent>(best.Weights, best.Components),
};
var weighted = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(family, new MixtureOptions { ComponentCount = best.ComponentCount, Tolerance = 0, MaxIterations = 50 })
{
    Start = new MixtureStart<VonMisesComponent>(best.Weights, best.Components),
};
DataMatrix rawData = angles.Select(a => new[] { a }).ToArray();
var fromRaw = raw.Fit(rawData);
var fromWeighted = weighted.Fit(data, counts);
double difference = Enumerable.Range(0, best.ComponentCount).Max(j => Math.Max(
    Math.Abs(fromRaw.Weights[j] - fromWeighted.Weights[j]),
    Math.Abs(fromRaw.Components[j].Concentration - fromWeighted.Components[j].Concentration) / fromRaw.Components[j].Concentration));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"310 raw rows vs {distinct.Length} weighted rows, 50 EM iterations from the same start: largest difference in weights or relative κ {difference:E1}"));

// Where would the next gust come from? The model is a density on the circle: query and sample it like any mixture.
double[][] compass = [.. Enumerable.Range(0, 8).Select(i => new[] { i * Math.PI / 4 })];
double[] logDensity = best.LogDensity(compass);
string[] names = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"];
Console.WriteLine("density per degree at the compass points: " + string.Join("  ", names.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n} {Math.Exp(logDensity[i]) * Math.PI / 180:F4}"))));
var draws = best.Sample(5, new Random(7));
Console.WriteLine("five simulated directions: " + string.Join(", ", Enumerable.Range(0, 5).Select(i => string.Create(CultureInfo.InvariantCulture, $"{Angles.ToDegrees(draws.Rows[i, 0]):F1}°"))));
