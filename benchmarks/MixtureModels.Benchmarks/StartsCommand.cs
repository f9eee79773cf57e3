using System.Diagnostics;
using System.Globalization;

namespace MixtureModels.Benchmarks;

/// <summary>
/// `starts name=file.csv:columns ...`: which initialisation reaches the best optimum. For every data set, with and without
/// mclust's default prior, it fits K = 1..9 × the four covariance types from each start and scores every fit by BIC
/// (−2·log L + p·log n, from the training log-likelihood; smaller is better). Per start it prints the cells where it
/// reached the best BIC of all starts (within 0.05), the cells more than 1 BIC unit worse than the best, the cells whose
/// fit is degenerate (a covariance eigenvalue below 1e-6 of the smallest column variance, or a component with fewer rows
/// of weight than its own covariance needs without a prior: D + 1 for full, 2 for diagonal and spherical) or failed, the mean deficit against the best, and the time. Degenerate fits are left out
/// of "best" (mclust reports them as missing).
/// </summary>
internal static class StartsCommand
{
    private static readonly (string Name, InitializationMethod Method, int Count)[] Starts =
    [
        ("k-means x1", InitializationMethod.KMeans, 1),
        ("k-means x10", InitializationMethod.KMeans, 10),
        ("std k-means x1", InitializationMethod.KMeansStandardized, 1),
        ("std k-means x10", InitializationMethod.KMeansStandardized, 10),
        ("hierarchical x1", InitializationMethod.ModelBasedHierarchical, 1),
    ];

    public static int Run(string[] args)
    {
        var types = new[] { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical };
        foreach (var spec in args.Skip(1))
        {
            var (name, x) = Read(spec);
            int n = x.GetLength(0), d = x.GetLength(1);
            double smallestVariance = Enumerable.Range(0, d).Min(j => Variance(x, j));
            foreach (bool withPrior in new[] { false, true })
            {
                // bic[start][cell]; NaN = failed or degenerate.
                var bic = new double[Starts.Length][];
                var degenerate = new int[Starts.Length];
                var failed = new int[Starts.Length];
                var seconds = new double[Starts.Length];
                for (int s = 0; s < Starts.Length; s++)
                {
                    bic[s] = new double[types.Length * 9];
                    var watch = Stopwatch.StartNew();
                    for (int t = 0; t < types.Length; t++)
                    {
                        for (int k = 1; k <= 9; k++)
                        {
                            int cell = (t * 9) + (k - 1);
                            var options = new GaussianMixtureOptions
                            {
                                ComponentCount = k,
                                CovarianceType = types[t],
                                Initialization = Starts[s].Method,
                                InitializationCount = Starts[s].Count,
                                Tolerance = 1e-5,
                                MaxIterations = 1000,
                                CovariancePrior = withPrior ? CovariancePrior.FromData(x, k) : null,
                            };
                            try
                            {
                                var model = new GaussianMixture(options).Fit(x);
                                // Too few rows for the component's own covariance (full: D + 1, diagonal and spherical: 2;
                                // tied pools them), or a variance collapsed towards reg_covar.
                                // With the prior no covariance can collapse, so only the eigenvalue rule applies there.
                                int needed = withPrior ? 0 : types[t] switch { CovarianceType.Full => d + 1, CovarianceType.Tied => 0, _ => 2 };
                                bool collapsed = Enumerable.Range(0, k).Any(c =>
                                    model.Weights[c] * n < needed
                                    || model.GetCovariance(c).Evd().EigenValues.Min(e => e.Real) < 1e-6 * smallestVariance);
                                if (collapsed)
                                {
                                    degenerate[s]++;
                                    bic[s][cell] = double.NaN;
                                }
                                else
                                {
                                    bic[s][cell] = model.BayesianInformationCriterion(x);
                                }
                            }
                            catch (CovarianceNotPositiveDefiniteException)
                            {
                                failed[s]++;
                                bic[s][cell] = double.NaN;
                            }
                        }
                    }

                    seconds[s] = watch.Elapsed.TotalSeconds;
                }

                int cells = types.Length * 9;

                // One more row: the better of std k-means x10 and one hierarchical run, per cell (both fits, no new ones).
                var combined = Enumerable.Range(0, cells).Select(c => double.IsFinite(bic[3][c]) && double.IsFinite(bic[4][c]) ? Math.Min(bic[3][c], bic[4][c]) : double.IsFinite(bic[3][c]) ? bic[3][c] : bic[4][c]).ToArray();
                bic = [.. bic, combined];
                degenerate = [.. degenerate, combined.Count(v => !double.IsFinite(v))];
                failed = [.. failed, 0];
                seconds = [.. seconds, seconds[3] + seconds[4]];
                var names = Starts.Select(start => start.Name).Append("std x10 + hierarchical").ToArray();
                var best = Enumerable.Range(0, cells).Select(c => Enumerable.Range(0, Starts.Length).Select(s => bic[s][c]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min()).ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"### {name} (n = {n}, D = {d}), {(withPrior ? "mclust's default prior" : "no prior")}"));
                Console.WriteLine();
                Console.WriteLine("| start | best (±0.05) | > 1 worse | degenerate | failed | mean deficit | best model | seconds |");
                Console.WriteLine("|---|---|---|---|---|---|---|---|");
                for (int s = 0; s < names.Length; s++)
                {
                    int wins = 0, worse = 0;
                    double deficit = 0;
                    int counted = 0;
                    for (int c = 0; c < cells; c++)
                    {
                        if (!double.IsFinite(best[c]) || !double.IsFinite(bic[s][c]))
                        {
                            continue;
                        }

                        double gap = bic[s][c] - best[c];
                        wins += gap <= 0.05 ? 1 : 0;
                        worse += gap > 1 ? 1 : 0;
                        deficit += gap;
                        counted++;
                    }

                    int bestCell = Enumerable.Range(0, cells).Where(c => double.IsFinite(bic[s][c])).MinBy(c => bic[s][c]);
                    string model = string.Create(CultureInfo.InvariantCulture, $"{types[bestCell / 9]} K={(bestCell % 9) + 1} {bic[s][bestCell]:F1}");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {names[s]} | {wins}/{cells} | {worse} | {degenerate[s]} | {failed[s]} | {deficit / Math.Max(counted, 1):F2} | {model} | {seconds[s]:F2} |"));
                }

                Console.WriteLine();
            }
        }

        return 0;
    }

    private static (string Name, double[,] Data) Read(string spec)
    {
        // name=path:columns
        int eq = spec.IndexOf('=', StringComparison.Ordinal);
        int colon = spec.LastIndexOf(':');
        string name = spec[..eq];
        string path = spec[(eq + 1)..colon];
        int columns = int.Parse(spec[(colon + 1)..], CultureInfo.InvariantCulture);
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).ToArray();
        var x = new double[lines.Length, columns];
        for (int i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(',');
            for (int j = 0; j < columns; j++)
            {
                x[i, j] = double.Parse(parts[j], CultureInfo.InvariantCulture);
            }
        }

        return (name, x);
    }

    private static double Variance(double[,] x, int j)
    {
        int n = x.GetLength(0);
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            mean += x[i, j] / n;
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += (x[i, j] - mean) * (x[i, j] - mean);
        }

        return sum / n;
    }
}
