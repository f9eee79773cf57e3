using System.Diagnostics;
using MixtureModels;
using MixtureModels.Samples;
using MixtureModels.Selection;

// Fits Gaussian mixtures to two classic data sets with every covariance type and compares them by BIC.
// On iris, the clusters are also compared with the species (which the fit never sees).
var stopwatch = Stopwatch.StartNew();
CovarianceType[] types = [CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical];

// Old Faithful: 272 eruptions × (duration in minutes, waiting time in minutes). Two well-known clusters.
var faithful = CsvTable.Load("faithful.csv", numericColumns: 2);
DataMatrix faithfulData = faithful.Values;
Report.Heading($"Old Faithful ({faithfulData.Rows} rows × {faithfulData.Columns} columns), K = 2");
var faithfulModels = new List<GaussianMixtureModel>();
foreach (var type in types)
{
    var options = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = type, InitializationCount = 5, Seed = 42 };
    var model = new GaussianMixture(options).Fit(faithfulData);
    Report.Model(model, faithfulData, faithful.ColumnNames);
    faithfulModels.Add(model);
}

Report.BicSummary(faithfulModels, faithfulData);

// Iris: 150 flowers × 4 measurements in cm, three species (50 each).
var iris = CsvTable.Load("iris.csv", numericColumns: 4);
DataMatrix irisData = iris.Values;
Report.Heading($"Iris ({irisData.Rows} rows × {irisData.Columns} columns), K = 3");
var irisModels = new List<GaussianMixtureModel>();
foreach (var type in types)
{
    var options = new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, InitializationCount = 5, Seed = 42 };
    var model = new GaussianMixture(options).Fit(irisData);
    Report.Model(model, irisData, iris.ColumnNames);
    Report.Agreement("clusters vs species", ClusterAgreement.Compute(iris.Labels, model.TrainingLabels, model.ComponentCount));
    irisModels.Add(model);
}

Report.BicSummary(irisModels, irisData);

// Baseline: plain k-means on the same data.
var kmeans = new KMeans(new KMeansOptions { ClusterCount = 3, InitializationCount = 5, Seed = 42 }).Fit(irisData);
Console.WriteLine();
Report.Agreement($"k-means baseline (inertia {kmeans.Inertia:F2})", ClusterAgreement.Compute(iris.Labels, kmeans.Labels, kmeans.ClusterCount));

// Model search, as mclust's Mclust(): K = 1..9 × the four covariance types, each cell fitted from the recommended starts
// (k-means and standardised k-means with 10 restarts each, and mclust's hierarchical start), ranked by BIC.
// Degenerate fits (a component collapsed onto a few rows) are never chosen over sound ones; a failing fit is a row.
int[] componentCounts = [.. Enumerable.Range(1, 9)];
var searchTemplate = new GaussianMixtureOptions { ComponentCount = 1, InitializationCount = ModelSearch.RecommendedInitializationCount, Seed = 42 };
foreach (var (name, data, table) in new[] { ("Old Faithful", faithfulData, faithful), ("Iris", irisData, iris) })
{
    Report.Heading($"Model search on {name}: K = 1..9 × 4 covariance types, k-means, standardised k-means ({searchTemplate.InitializationCount} restarts each) and mclust's hierarchical start");
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var searchClock = Stopwatch.StartNew();
    var search = ModelSearch.Gaussian(data, componentCounts, types, searchTemplate);
    searchClock.Stop();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    Report.SearchTable(search, table.ColumnNames);
    Console.WriteLine($"   {search.Rows.Count} fits in {searchClock.Elapsed.TotalSeconds:F2} s ({cpu.TotalSeconds:F2} s of CPU time on {Environment.ProcessorCount} cores)");
}

// Outliers and multi-valued regression: Student-t components, and the conditional mixture of a joint Gaussian fit.
RobustAndRegression.RobustClustering(faithfulData, faithful.ColumnNames);
RobustAndRegression.Regression();

Console.WriteLine();
Console.WriteLine($"Done in {stopwatch.Elapsed.TotalSeconds:F2} s.");
