using System.Globalization;
using MixtureModels.Selection;

namespace MixtureModels.Samples;

/// <summary>Console output of fitted models and cluster agreement.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Heading(string text)
    {
        Console.WriteLine();
        Console.WriteLine(text);
        Console.WriteLine(new string('=', text.Length));
    }

    public static void Model(GaussianMixtureModel model, DataMatrix data, string[] columnNames)
    {
        Console.WriteLine(string.Create(Invariant,
            $"-- {Name(model.CovarianceType)}: BIC {model.BayesianInformationCriterion(data):F2}, AIC {model.AkaikeInformationCriterion(data):F2}, " +
            $"mean log-likelihood {model.MeanLogLikelihood(data):F4}, {model.ParameterCount} parameters, " +
            $"{model.IterationCount} iterations, {(model.Converged ? "converged" : "NOT converged")}"));

        var means = model.GetMeans();
        Console.WriteLine("   component  weight  " + string.Join("  ", columnNames.Select(c => c.PadLeft(12))));
        for (int k = 0; k < model.ComponentCount; k++)
        {
            var cells = Enumerable.Range(0, model.Dimension).Select(j => means[k, j].ToString("F3", Invariant).PadLeft(12));
            Console.WriteLine(string.Create(Invariant, $"   {k,9}  {model.Weights[k],6:F3}  {string.Join("  ", cells)}"));
        }
    }

    public static void BicSummary(IEnumerable<GaussianMixtureModel> models, DataMatrix data)
    {
        var scored = models.Select(m => (m.CovarianceType, Bic: m.BayesianInformationCriterion(data))).OrderBy(p => p.Bic).ToList();
        Console.WriteLine();
        Console.WriteLine("   BIC by covariance type (lower is better):");
        foreach (var (type, bic) in scored)
        {
            Console.WriteLine(string.Create(Invariant, $"     {Name(type),-10} {bic,10:F2}{(type == scored[0].CovarianceType ? "   <- best" : string.Empty)}"));
        }
    }

    public static void Agreement(string title, ClusterAgreement agreement)
    {
        Console.WriteLine(string.Create(Invariant,
            $"   {title}: adjusted Rand index {agreement.AdjustedRandIndex:F3}, best-match accuracy {agreement.BestMatchAccuracy:P1}"));
        Console.WriteLine("     species      " + string.Join(" ", Enumerable.Range(0, agreement.ClusterCount).Select(k => $"c{k}".PadLeft(5))));
        for (int i = 0; i < agreement.ClassNames.Length; i++)
        {
            var cells = Enumerable.Range(0, agreement.ClusterCount).Select(k => agreement.Table[i, k].ToString(Invariant).PadLeft(5));
            Console.WriteLine($"     {agreement.ClassNames[i],-12} {string.Join(" ", cells)}");
        }
    }

    /// <summary>
    /// The search's table as mclust prints its BIC table: one line per K, one column per covariance type (with mclust's
    /// model name), our sign (lower is better; mclust's BIC is the negative). "degen." marks a degenerate fit (a
    /// component collapsed onto a few rows; mclust prints NA), "failed" a fit that threw.
    /// </summary>
    public static void SearchTable(ModelSearchResult<GaussianMixtureModel> search, string[] columnNames)
    {
        var types = search.Rows.Select(r => r.CovarianceType!.Value).Distinct().ToArray();
        var counts = search.Rows.Select(r => r.ComponentCount).Distinct().ToArray();
        Console.WriteLine(string.Create(Invariant, $"   {search.Criterion} criterion (lower is better) by K and covariance type:"));
        Console.WriteLine("      K " + string.Join(string.Empty, types.Select(t => $"{Name(t)} ({MclustName(t)})".PadLeft(18))));
        foreach (int k in counts)
        {
            var cells = types.Select(t =>
            {
                var row = search.Rows.First(r => r.ComponentCount == k && r.CovarianceType == t);
                string text = row.Status switch
                {
                    CandidateStatus.Failed => "failed",
                    CandidateStatus.Degenerate => string.Create(Invariant, $"{row.CriterionValue:F1} degen."),
                    _ => row.CriterionValue.ToString("F1", Invariant),
                };
                return (row.Index == search.BestIndex ? "*" : string.Empty) + text;
            });
            Console.WriteLine(string.Create(Invariant, $"   {k,4} {string.Join(string.Empty, cells.Select(c => c.PadLeft(18)))}"));
        }

        var best = search.Best!;
        Console.WriteLine(string.Create(Invariant,
            $"   chosen (*): {Name(best.CovarianceType!.Value)} ({MclustName(best.CovarianceType.Value)}), K = {best.ComponentCount}: {search.Criterion} {best.CriterionValue:F2} (mclust's sign: {-best.CriterionValue:F2}), " +
            $"log-likelihood {best.LogLikelihood:F2}, {best.ParameterCount} parameters, {best.IterationCount} iterations, {(best.Converged ? "converged" : "NOT converged")}"));
        foreach (var failed in search.Rows.Where(r => r.Status == CandidateStatus.Failed).Take(3))
        {
            Console.WriteLine($"   {failed.Name} failed: {failed.FailureReason}");
        }

        var model = search.BestModel;
        var means = model.GetMeans();
        Console.WriteLine("   component  weight  " + string.Join("  ", columnNames.Select(c => c.PadLeft(12))));
        for (int k = 0; k < model.ComponentCount; k++)
        {
            var cellsOfMean = Enumerable.Range(0, model.Dimension).Select(j => means[k, j].ToString("F3", Invariant).PadLeft(12));
            Console.WriteLine(string.Create(Invariant, $"   {k,9}  {model.Weights[k],6:F3}  {string.Join("  ", cellsOfMean)}"));
        }
    }

    /// <summary>mclust's name of the covariance model with the same constraints.</summary>
    public static string MclustName(CovarianceType type) => type switch
    {
        CovarianceType.Full => "VVV",
        CovarianceType.Tied => "EEE",
        CovarianceType.Diagonal => "VVI",
        CovarianceType.Spherical => "VII",
        _ => type.ToString(),
    };

    /// <summary>scikit-learn's name of the covariance type.</summary>
    public static string Name(CovarianceType type) => type switch
    {
        CovarianceType.Full => "full",
        CovarianceType.Tied => "tied",
        CovarianceType.Diagonal => "diag",
        CovarianceType.Spherical => "spherical",
        _ => type.ToString(),
    };
}
