using System.Globalization;
using System.Text.Json;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;
using static MixtureModels.Serialization.ModelJsonReader;

namespace MixtureModels.Serialization;

/// <summary>
/// JSON of a variational Bayesian Gaussian mixture's "bayesianGaussian" block: the priors used, the responsibility totals
/// N_k the posterior follows from, the posterior's concentration, mean precision, degrees of freedom and expected weights
/// (written for readers, checked against the totals on load), and the plug-in Gaussians as a Gaussian block writes them.
/// The envelope's "weights" are the E-step's weights exp(e_k − c) the queries use; E[π_k] is the block's "expectedWeights".
/// </summary>
internal static class BayesianGaussianJson
{
    /// <summary>The name of the block and the JSON path of its properties.</summary>
    public const string Block = "bayesianGaussian";

    private const string Path = "$." + Block;

    /// <summary>
    /// The relative asymmetry allowed in a saved covariance: the posterior's Σ_k is built entry by entry, so [i, j] and
    /// [j, i] can differ in the last bits; the precision factor must still be the one Σ_k gives, bit for bit.
    /// </summary>
    private const double SymmetryTolerance = 1e-12;

    /// <summary>Writes the block.</summary>
    public static void Write(
        Utf8JsonWriter writer,
        NormalWishartFamily family,
        WeightConcentrationPriorType priorType,
        double concentrationPrior,
        ReadOnlySpan<double> responsibilityTotals,
        ReadOnlySpan<double> concentration,
        double[]? concentrationTail,
        ReadOnlySpan<double> meanPrecision,
        ReadOnlySpan<double> degreesOfFreedom,
        ReadOnlySpan<double> expectedWeights,
        IReadOnlyList<GaussianComponent> components,
        FitReport report)
    {
        writer.WriteStartObject(Block);
        writer.WriteString("covarianceType", family.CovarianceType.ToString());
        Number(writer, "regularization", family.Regularization);
        writer.WriteString("weightConcentrationPriorType", priorType.ToString());
        Number(writer, "weightConcentrationPrior", concentrationPrior);
        Number(writer, "meanPrecisionPrior", family.MeanPrecisionPrior);
        Number(writer, "degreesOfFreedomPrior", family.DegreesOfFreedomPrior);
        ComponentJson.WriteDoubles(writer, "meanPrior", family.MeanPrior);
        ComponentJson.WriteDoubles(writer, "covariancePrior", family.CovariancePrior);
        ComponentJson.WriteDoubles(writer, "responsibilityTotals", responsibilityTotals);
        ComponentJson.WriteDoubles(writer, "weightConcentration", concentration);
        if (concentrationTail is null)
        {
            writer.WriteNull("weightConcentrationTail");
        }
        else
        {
            ComponentJson.WriteDoubles(writer, "weightConcentrationTail", concentrationTail);
        }

        ComponentJson.WriteDoubles(writer, "meanPrecision", meanPrecision);
        ComponentJson.WriteDoubles(writer, "degreesOfFreedom", degreesOfFreedom);
        ComponentJson.WriteDoubles(writer, "expectedWeights", expectedWeights);

        // The report's objective (the lower bound EM maximised) and log prior, which the envelope's report does not hold.
        ComponentJson.WriteDoubles(writer, "objectiveHistory", [.. report.ObjectiveHistory]);
        Number(writer, "logPrior", report.LogPrior);
        ComponentJson.WriteGaussianComponents(writer, family.CovarianceType, components);
        writer.WriteEndObject();
    }

    /// <summary>Reads and checks the block of <paramref name="root"/> for D = <paramref name="dimension"/> and K = <paramref name="componentCount"/>.</summary>
    public static Saved Read(JsonElement root, int dimension, int componentCount)
    {
        int d = dimension, k = componentCount;
        var block = Object(root, Block, "$");
        var type = Enum<CovarianceType>(block, "covarianceType", Path);
        double regularization = Finite(block, "regularization", Path);
        if (regularization < 0)
        {
            throw Invalid(Child(Path, "regularization"), "the regularisation must be non-negative.");
        }

        var priorType = Enum<WeightConcentrationPriorType>(block, "weightConcentrationPriorType", Path);
        double concentrationPrior = Positive(block, "weightConcentrationPrior");
        double meanPrecisionPrior = Positive(block, "meanPrecisionPrior");
        double degreesOfFreedomPrior = Finite(block, "degreesOfFreedomPrior", Path);
        if (!(degreesOfFreedomPrior > d - 1))
        {
            throw Invalid(Child(Path, "degreesOfFreedomPrior"), string.Create(CultureInfo.InvariantCulture, $"{degreesOfFreedomPrior:R} is not greater than D − 1 = {d - 1}."));
        }

        var meanPrior = FiniteArray(block, "meanPrior", Path, d);
        var covariancePrior = ReadCovariancePrior(block, type, d);

        var totals = FiniteArray(block, "responsibilityTotals", Path, k);
        RequireAll(totals, "responsibilityTotals", v => v >= 0, "is negative; responsibility totals are non-negative");
        var concentration = FiniteArray(block, "weightConcentration", Path, k);
        RequireAll(concentration, "weightConcentration", v => v > 0, "is not positive; a posterior concentration is positive");
        double[]? tail = null;
        if (priorType == WeightConcentrationPriorType.DirichletProcess)
        {
            tail = FiniteArray(block, "weightConcentrationTail", Path, k);
            RequireAll(tail, "weightConcentrationTail", v => v > 0, "is not positive; a posterior concentration is positive");
        }
        else if (block.TryGetProperty("weightConcentrationTail", out var tailElement) && tailElement.ValueKind != JsonValueKind.Null)
        {
            throw Invalid(Child(Path, "weightConcentrationTail"), "a Dirichlet-distribution weight prior has one concentration array, so this must be null.");
        }

        var meanPrecision = FiniteArray(block, "meanPrecision", Path, k);
        RequireAll(meanPrecision, "meanPrecision", v => v > 0, "is not positive; a posterior mean precision is positive");
        var degreesOfFreedom = FiniteArray(block, "degreesOfFreedom", Path, k);
        RequireAll(degreesOfFreedom, "degreesOfFreedom", v => v > d - 1, string.Create(CultureInfo.InvariantCulture, $"is not greater than D − 1 = {d - 1}"));
        var expectedWeights = FiniteArray(block, "expectedWeights", Path, k);
        RequireAll(expectedWeights, "expectedWeights", v => v >= 0, "is negative; weights are non-negative");

        var objectiveHistory = AnyDoubleArray(block, "objectiveHistory", Path);
        double logPrior = AnyDouble(block, "logPrior", Path);
        var components = ComponentJson.ReadGaussianComponents(block, Path, type, d, k, SymmetryTolerance);
        var family = new NormalWishartFamily(type, d, regularization, meanPrecisionPrior, meanPrior, degreesOfFreedomPrior, covariancePrior);
        return new Saved(family, priorType, concentrationPrior, components, totals, concentration, tail, meanPrecision, degreesOfFreedom, expectedWeights, objectiveHistory, logPrior);
    }

    /// <summary>Requires the saved posterior values <paramref name="saved"/> to equal, bit for bit, those the totals and priors give.</summary>
    public static void CheckDerived(double[]? saved, double[]? computed, string name)
    {
        if (saved is null || computed is null)
        {
            return;
        }

        for (int i = 0; i < saved.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(saved[i]) != BitConverter.DoubleToInt64Bits(computed[i]))
            {
                throw Invalid(Index(Child(Path, name), i), string.Create(CultureInfo.InvariantCulture, $"{saved[i]:R} does not follow from responsibilityTotals and the priors, which give {computed[i]:R}."));
            }
        }
    }

    private static double[] ReadCovariancePrior(JsonElement block, CovarianceType type, int d)
    {
        const string Name = "covariancePrior";
        string at = Child(Path, Name);
        int length = type switch
        {
            CovarianceType.Full or CovarianceType.Tied => d * d,
            CovarianceType.Diagonal => d,
            _ => 1,
        };
        var prior = FiniteArray(block, Name, Path, length);
        if (type is CovarianceType.Diagonal or CovarianceType.Spherical)
        {
            RequireAll(prior, Name, v => v > 0, string.Create(CultureInfo.InvariantCulture, $"is not positive; a {type} covariance prior has positive entries"));
            return prior;
        }

        // A given prior is accepted by the fit when symmetric up to 1e-12 of its largest entry, and saved as given.
        double scale = 0;
        foreach (double v in prior)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (Math.Abs(prior[(i * d) + j] - prior[(j * d) + i]) > 1e-12 * scale)
                {
                    throw Invalid(at, string.Create(CultureInfo.InvariantCulture, $"the matrix is not symmetric (entries [{i}, {j}] and [{j}, {i}] differ)."));
                }
            }
        }

        if (!Cholesky.TryFactor(prior, d, new double[d * d]))
        {
            throw Invalid(at, "the matrix is not positive definite.");
        }

        return prior;
    }

    private static double Positive(JsonElement block, string name)
    {
        double value = Finite(block, name, Path);
        if (!(value > 0))
        {
            throw Invalid(Child(Path, name), string.Create(CultureInfo.InvariantCulture, $"{value:R} is not positive."));
        }

        return value;
    }

    private static void RequireAll(double[] values, string name, Func<double, bool> valid, string problem)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!valid(values[i]))
            {
                throw Invalid(Index(Child(Path, name), i), string.Create(CultureInfo.InvariantCulture, $"{values[i]:R} {problem}."));
            }
        }
    }

    private static void Number(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        ComponentJson.WriteDouble(writer, value);
    }

    /// <summary>What the block holds, read and checked.</summary>
    public sealed record Saved(
        NormalWishartFamily Family,
        WeightConcentrationPriorType PriorType,
        double ConcentrationPrior,
        GaussianComponent[] Components,
        double[] ResponsibilityTotals,
        double[] WeightConcentration,
        double[]? WeightConcentrationTail,
        double[] MeanPrecision,
        double[] DegreesOfFreedom,
        double[] ExpectedWeights,
        double[] ObjectiveHistory,
        double LogPrior);
}
