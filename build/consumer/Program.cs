// The consumer test's program (build/consumer-test.sh): a fresh console project that references the packed MixtureModels
// package, built for net10.0 and net8.0. It uses the package as an application would and checks what it can check
// independently of the library: known clusters are found, a saved model loads back with the same answers, the
// responsibilities are probabilities, and the library assembly is the one built for this target framework.
// It exits with 1 and names the failed check if one fails.
using System.Reflection;
using System.Runtime.Versioning;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels;
using MixtureModels.Selection;

int failures = 0;
void Check(bool condition, string what)
{
    Console.WriteLine($"{(condition ? "holds: " : "BROKEN:")} {what}");
    if (!condition)
    {
        failures++;
    }
}

string app = typeof(Program).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
string library = typeof(GaussianMixture).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName;
Console.WriteLine($"app built for {app}, MixtureModels {typeof(GaussianMixture).Assembly.GetName().Version} built for {library}, running on {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
Check(app == library, "the package's library asset matches the app's target framework");

// Three well-separated blobs with known centres, drawn with a fixed seed (Box–Muller, no library code).
double[][] centres = [[0, 0], [10, 0], [0, 10]];
var random = new Random(12345);
double[][] rows = new double[900][];
for (int i = 0; i < rows.Length; i++)
{
    double[] c = centres[i % 3];
    double r = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())), t = 2 * Math.PI * random.NextDouble();
    rows[i] = [c[0] + (r * Math.Cos(t)), c[1] + (r * Math.Sin(t))];
}

GaussianMixtureModel model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, Seed = 1 }).Fit(rows);
Matrix<double> means = model.GetMeans();
double worst = centres.Max(c => Enumerable.Range(0, 3).Min(k => Math.Sqrt(Math.Pow(means[k, 0] - c[0], 2) + Math.Pow(means[k, 1] - c[1], 2))));
Check(worst < 0.3, $"every true centre has a fitted mean within 0.3 (largest distance {worst:F3})");
Check(model.Weights.All(w => Math.Abs(w - (1.0 / 3)) < 0.05), $"weights near 1/3 ({string.Join(", ", model.Weights.Select(w => w.ToString("F3")))})");

double[,] p = model.PredictProbabilities(rows);
bool probabilities = Enumerable.Range(0, rows.Length).All(n =>
    Enumerable.Range(0, 3).All(k => p[n, k] >= 0 && p[n, k] <= 1) && Math.Abs(p[n, 0] + p[n, 1] + p[n, 2] - 1) < 1e-12);
Check(probabilities, "responsibilities lie in [0, 1] and sum to 1 per row");
int[] labels = model.Predict(rows);
bool together = Enumerable.Range(0, 3).All(c => Enumerable.Range(0, rows.Length).Where(n => n % 3 == c).Select(n => labels[n]).GroupBy(l => l).Max(g => g.Count()) >= 295);
Check(together, "at least 295 of the 300 rows of each blob share one label");

string path = Path.Combine(Path.GetTempPath(), $"mixturemodels-consumer-{Environment.ProcessId}.json");
try
{
    model.Save(path);
    GaussianMixtureModel loaded = GaussianMixtureModel.Load(path);
    Check(loaded.LogDensity(rows).SequenceEqual(model.LogDensity(rows)), "a saved and loaded model gives the same log-densities, bit for bit");
}
finally
{
    File.Delete(path);
}

// A mixed table (a Gaussian column, a 0/1 column, a count column): the two groups differ in every column.
double[,] table = new double[200, 3];
for (int n = 0; n < 200; n++)
{
    bool high = n % 2 == 0;
    table[n, 0] = (high ? 5 : -5) + (random.NextDouble() - 0.5);
    table[n, 1] = high ? (n % 10 == 0 ? 0 : 1) : (n % 10 == 1 ? 1 : 0);
    table[n, 2] = high ? 8 + (n % 3) : n % 2;
}

var mixed = new ProductMixture(new ProductMixtureOptions
{
    ComponentCount = 2,
    Marginals = [Marginal.Normal(0), Marginal.Bernoulli([1]), Marginal.Poisson(2)],
}).Fit(table);
int[] groups = mixed.Predict(table);
Check(Enumerable.Range(0, 200).All(n => groups[n] == groups[n % 2]), "the product mixture separates the two groups of the mixed table");

ModelSearchResult<GaussianMixtureModel> search = ModelSearch.Gaussian(rows, Enumerable.Range(1, 4), [CovarianceType.Spherical, CovarianceType.Full]);
Check(search.BestModel.ComponentCount == 3, $"BIC chooses K = 3 ({search.Best!.Name})");

Console.WriteLine(failures == 0 ? "consumer checks: every one holds" : $"consumer checks: {failures} broken");
return failures == 0 ? 0 : 1;
