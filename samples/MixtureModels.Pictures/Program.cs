using System.Diagnostics;
using MixtureModels;
using MixtureModels.Pictures;
using MixtureModels.Samples;
using MixtureModels.Selection;

// Draws the README's pictures as PNG files: Old Faithful density contours, BIC over K and covariance type (the model
// search), iris coloured by responsibilities, Bernoulli prototypes of binarised digits, and the EM lower bound per
// iteration. The folder is the first argument (default artifacts/pictures); docs/images holds the committed copies:
//   dotnet run -c Release --project samples/MixtureModels.Pictures -- docs/images
var stopwatch = Stopwatch.StartNew();
string folder = args.Length > 0 ? args[0] : Path.Combine("artifacts", "pictures");
Directory.CreateDirectory(folder);
PlotStyle.UseShippedFont();
Console.WriteLine($"Writing pictures to {Path.GetFullPath(folder)}");
CovarianceType[] types = [CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical];

// Old Faithful (272 eruptions): two components with full covariance, as in the table sample.
var faithful = CsvTable.Load("faithful.csv", numericColumns: 2);
var faithfulModel = new GaussianMixture(new GaussianMixtureOptions
{
    ComponentCount = 2, CovarianceType = CovarianceType.Full, InitializationCount = 5, Seed = 42,
}).Fit(faithful.Values);
PlotStyle.Save(FaithfulDensity.Draw(faithful, faithfulModel), folder, "faithful-density.png", 900, 650);

// The model search of the table sample on Old Faithful: K = 1..9 × the four covariance types, ranked by BIC.
var search = ModelSearch.Gaussian(
    faithful.Values,
    Enumerable.Range(1, 9),
    types,
    new GaussianMixtureOptions { ComponentCount = 1, InitializationCount = ModelSearch.RecommendedInitializationCount, Seed = 42 });
PlotStyle.Save(SearchCurves.Draw("Old Faithful", search), folder, "faithful-bic.png", 1200, 550);

// Iris (150 flowers, 4 measurements): three full-covariance components on all four columns, drawn on two principal components.
var iris = CsvTable.Load("iris.csv", numericColumns: 4);
var irisModel = new GaussianMixture(new GaussianMixtureOptions
{
    ComponentCount = 3, CovarianceType = CovarianceType.Full, InitializationCount = 5, Seed = 42,
}).Fit(iris.Values);
PlotStyle.Save(IrisResponsibilities.Draw(iris, irisModel), folder, "iris-responsibilities.png", 900, 650);

// Digits: 1797 images of 8 × 8 pixel counts (0..16), a pixel is "on" from 8; ten Bernoulli components with a light
// Beta(2, 2) prior so that no probability is exactly 0 or 1.
var digits = DigitsData.Load();
var bernoulli = new BernoulliMixture(new BernoulliMixtureOptions
{
    ComponentCount = 10, InitializationCount = 5, Seed = 42, Priors = new BernoulliPriors { Alpha = 2, Beta = 2 },
}).Fit(digits.Binarize(threshold: 8));
PlotStyle.Save(DigitPrototypes.Draw(bernoulli, digits), folder, "digits-bernoulli-prototypes.png", 900, 480);

// The lower bound per iteration on iris, one fit per covariance type from the same random responsibilities, run to a
// tight tolerance so that the slow last stretch of EM shows.
var lowerBounds = types.Select(type => (type.ToString(), new GaussianMixture(new GaussianMixtureOptions
{
    ComponentCount = 3, CovarianceType = type, Initialization = InitializationMethod.RandomResponsibilities,
    Tolerance = 1e-6, MaxIterations = 500, Seed = 3,
}).Fit(iris.Values))).ToArray();
PlotStyle.Save(
    LowerBoundCurves.Draw("Iris, K = 3: EM lower bound per iteration from random responsibilities", lowerBounds),
    folder,
    "iris-lower-bound.png",
    900,
    600);

Console.WriteLine($"Done in {stopwatch.Elapsed.TotalSeconds:F2} s.");
