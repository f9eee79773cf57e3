using System.Globalization;
using System.Text.Json;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using static MixtureModels.Serialization.ModelJsonReader;

namespace MixtureModels.Serialization;

/// <summary>
/// JSON of the built-in families' settings and of their K components. Components are written as the values they are
/// built from (means, covariances, probabilities, rates), and for a full or tied covariance also the precision Cholesky
/// factor the fit cached, so that a loaded component is rebuilt by the same computation and holds the same bits.
/// </summary>
internal static class ComponentJson
{
    /// <summary>Writes a double with the shortest representation that parses back to the same bits; non-finite as a string.</summary>
    public static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    /// <summary>Writes a named array of doubles.</summary>
    public static void WriteDoubles(Utf8JsonWriter writer, string name, ReadOnlySpan<double> values)
    {
        writer.WriteStartArray(name);
        foreach (double v in values)
        {
            WriteDouble(writer, v);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a named array of integers.</summary>
    public static void WriteInts(Utf8JsonWriter writer, string name, IEnumerable<int> values)
    {
        writer.WriteStartArray(name);
        foreach (int v in values)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a covariance prior (or null).</summary>
    public static void WritePrior(Utf8JsonWriter writer, CovariancePrior? prior)
    {
        if (prior is null)
        {
            writer.WriteNull("prior");
            return;
        }

        writer.WriteStartObject("prior");
        if (prior.Form == CovariancePriorForm.NormalInverseWishart)
        {
            writer.WriteNumber("shrinkage", prior.Shrinkage);
            writer.WriteNumber("degreesOfFreedom", prior.DegreesOfFreedom);
            writer.WriteStartArray("mean");
            foreach (double v in prior.GetMean()!)
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("scale");
            foreach (double v in prior.GetScale()!.ToRowMajorArray())
            {
                writer.WriteNumberValue(v);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            return;
        }

        writer.WriteNumber("pseudoObservations", prior.PseudoObservations);
        writer.WriteNumber("variance", prior.Variance);
        writer.WriteEndObject();
    }

    /// <summary>Reads a covariance prior (or null).</summary>
    public static CovariancePrior? ReadPrior(JsonElement parent, string path)
    {
        if (OptionalObject(parent, "prior", path) is not { } prior)
        {
            return null;
        }

        string at = Child(path, "prior");
        if (prior.TryGetProperty("scale", out var scaleElement))
        {
            double shrinkage = Finite(prior, "shrinkage", at);
            double dof = Finite(prior, "degreesOfFreedom", at);
            if (!prior.TryGetProperty("mean", out var meanElement) || meanElement.ValueKind != JsonValueKind.Array || scaleElement.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(at, "a Normal-inverse-Wishart prior needs the arrays mean and scale.");
            }

            var mean = meanElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN).ToArray();
            var scale = scaleElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN).ToArray();
            int d = mean.Length;
            if (d == 0 || scale.Length != d * d)
            {
                throw Invalid(at, "mean must have D > 0 values and scale D × D.");
            }

            try
            {
                return CovariancePrior.NormalInverseWishart(shrinkage, mean, dof, MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(d, d, (i, j) => scale[(i * d) + j]));
            }
            catch (ArgumentException error)
            {
                throw Invalid(at, error.Message);
            }
        }

        double n = Finite(prior, "pseudoObservations", at);
        double v = Finite(prior, "variance", at);
        if (!(n > 0) || !(v > 0))
        {
            throw Invalid(at, "pseudoObservations and variance must be positive.");
        }

        return new CovariancePrior(n, v);
    }

    /// <summary>Writes the properties of a Gaussian block: covariance type, regularisation, prior, (shared covariance,) components.</summary>
    public static void WriteGaussian(Utf8JsonWriter writer, GaussianFamily family, IReadOnlyList<GaussianComponent> components)
    {
        writer.WriteString("covarianceType", family.CovarianceType.ToString());
        writer.WriteNumber("regularization", family.Regularization);
        WritePrior(writer, family.Prior);
        WriteGaussianComponents(writer, family.CovarianceType, components);
    }

    /// <summary>Writes the (shared covariance and) components of a Gaussian block of covariance type <paramref name="type"/>.</summary>
    public static void WriteGaussianComponents(Utf8JsonWriter writer, CovarianceType type, IReadOnlyList<GaussianComponent> components)
    {
        if (type == CovarianceType.Tied)
        {
            // One covariance for all components: written once, shared again on load.
            var shared = (FullGaussian)components[0];
            writer.WriteStartObject("sharedCovariance");
            WriteDoubles(writer, "covariance", shared.CovarianceSpan);
            WriteDoubles(writer, "precisionCholesky", shared.PrecisionCholeskySpan);
            writer.WriteEndObject();
        }

        writer.WriteStartArray("components");
        foreach (var component in components)
        {
            writer.WriteStartObject();
            WriteDoubles(writer, "mean", component.Mean);
            switch (component)
            {
                case FullGaussian full when type == CovarianceType.Full:
                    WriteDoubles(writer, "covariance", full.CovarianceSpan);
                    WriteDoubles(writer, "precisionCholesky", full.PrecisionCholeskySpan);
                    break;
                case DiagonalGaussian diagonal:
                    WriteDoubles(writer, "variances", diagonal.Variances);
                    break;
                case SphericalGaussian spherical:
                    writer.WriteNumber("variance", spherical.Variance);
                    break;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads the family settings of a Gaussian block: covariance type, regularisation, prior.</summary>
    public static (CovarianceType Type, double Regularization, CovariancePrior? Prior) ReadGaussianSettings(JsonElement block, string path)
    {
        var type = Enum<CovarianceType>(block, "covarianceType", path);
        double regularization = Finite(block, "regularization", path);
        if (regularization < 0)
        {
            throw Invalid(Child(path, "regularization"), "the regularisation must be non-negative.");
        }

        return (type, regularization, ReadPrior(block, path));
    }

    /// <summary>
    /// Reads the K components of a Gaussian block of covariance type <paramref name="type"/>. A full or tied covariance must
    /// be symmetric bit for bit, or with <paramref name="symmetryTolerance"/> &gt; 0 up to that relative difference (the
    /// variational posterior's covariances are symmetric only up to rounding, and are saved as they are).
    /// </summary>
    public static GaussianComponent[] ReadGaussianComponents(JsonElement block, string path, CovarianceType type, int dimension, int componentCount, double symmetryTolerance = 0)
    {
        var items = Array(block, "components", path, componentCount);
        string at = Child(path, "components");
        var result = new GaussianComponent[componentCount];
        FullGaussian? shared = null;
        if (type == CovarianceType.Tied)
        {
            var sharedElement = Object(block, "sharedCovariance", path);
            var firstMean = FiniteArray(items[0], "mean", Index(at, 0), dimension);
            shared = ReadFull(sharedElement, Child(path, "sharedCovariance"), firstMean, dimension, symmetryTolerance);
        }

        for (int k = 0; k < componentCount; k++)
        {
            string ck = Index(at, k);
            var item = items[k];
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(ck, "expected a component object.");
            }

            var mean = FiniteArray(item, "mean", ck, dimension);
            result[k] = type switch
            {
                CovarianceType.Full => ReadFull(item, ck, mean, dimension, symmetryTolerance),
                CovarianceType.Tied => k == 0 ? shared! : FullGaussian.WithSharedCovariance(mean, shared!),
                CovarianceType.Diagonal => DiagonalGaussian.TryCreate(mean, FiniteArray(item, "variances", ck, dimension), out var diagonal)
                    ? diagonal
                    : throw Invalid(Child(ck, "variances"), "every variance must be positive."),
                _ => SphericalGaussian.TryCreate(mean, Finite(item, "variance", ck), out var spherical)
                    ? spherical
                    : throw Invalid(Child(ck, "variance"), "the variance must be positive."),
            };
        }

        return result;
    }

    /// <summary>Writes the components of a Bernoulli block.</summary>
    public static void WriteBernoulli(Utf8JsonWriter writer, BernoulliPriors priors, IReadOnlyList<BernoulliComponent> components)
    {
        writer.WriteStartObject("priors");
        writer.WriteNumber("alpha", priors.Alpha);
        writer.WriteNumber("beta", priors.Beta);
        writer.WriteNumber("epsilon", priors.Epsilon);
        writer.WriteEndObject();
        writer.WriteStartArray("components");
        foreach (var component in components)
        {
            writer.WriteStartObject();
            WriteDoubles(writer, "probabilities", component.Probabilities);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads the priors of a Bernoulli block.</summary>
    public static BernoulliPriors ReadBernoulliPriors(JsonElement block, string path)
    {
        var priors = Object(block, "priors", path);
        string at = Child(path, "priors");
        double alpha = Finite(priors, "alpha", at), beta = Finite(priors, "beta", at), epsilon = Finite(priors, "epsilon", at);
        if (!(alpha >= 1) || !(beta >= 1) || !(epsilon > 0 && epsilon < 0.5))
        {
            throw Invalid(at, string.Create(CultureInfo.InvariantCulture, $"alpha = {alpha} and beta = {beta} must be at least 1 and epsilon = {epsilon} strictly between 0 and 0.5."));
        }

        return new BernoulliPriors { Alpha = alpha, Beta = beta, Epsilon = epsilon };
    }

    /// <summary>Reads the K components of a Bernoulli block of dimension <paramref name="dimension"/>.</summary>
    public static BernoulliComponent[] ReadBernoulliComponents(JsonElement block, string path, int dimension, int componentCount)
    {
        var items = Array(block, "components", path, componentCount);
        string at = Child(path, "components");
        var result = new BernoulliComponent[componentCount];
        for (int k = 0; k < componentCount; k++)
        {
            string ck = Index(at, k);
            var probabilities = FiniteArray(items[k], "probabilities", ck, dimension);
            for (int d = 0; d < dimension; d++)
            {
                if (!(probabilities[d] > 0 && probabilities[d] < 1))
                {
                    throw Invalid(Index(Child(ck, "probabilities"), d), string.Create(CultureInfo.InvariantCulture, $"{probabilities[d]:R} is not strictly between 0 and 1."));
                }
            }

            result[k] = BernoulliComponent.FromOwnedProbabilities(probabilities);
        }

        return result;
    }

    /// <summary>Writes the components of a categorical block.</summary>
    public static void WriteCategorical(Utf8JsonWriter writer, IReadOnlyList<CategoricalComponent> components)
    {
        writer.WriteStartArray("components");
        foreach (var component in components)
        {
            writer.WriteStartObject();
            WriteDoubles(writer, "probabilities", component.Probabilities);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads the K components of a categorical block with <paramref name="levelCount"/> levels (of the values <paramref name="levels"/>; null for 0, …, L − 1).</summary>
    public static CategoricalComponent[] ReadCategoricalComponents(JsonElement block, string path, int levelCount, double[]? levels, int componentCount)
    {
        var items = Array(block, "components", path, componentCount);
        string at = Child(path, "components");
        var result = new CategoricalComponent[componentCount];
        for (int k = 0; k < componentCount; k++)
        {
            string ck = Index(at, k);
            var probabilities = FiniteArray(items[k], "probabilities", ck, levelCount);
            double sum = 0;
            foreach (double p in probabilities)
            {
                if (!(p >= 0))
                {
                    throw Invalid(Child(ck, "probabilities"), "every probability must be non-negative.");
                }

                sum += p;
            }

            if (!(Math.Abs(sum - 1) <= 1e-8))
            {
                throw Invalid(Child(ck, "probabilities"), string.Create(CultureInfo.InvariantCulture, $"the probabilities sum to {sum:R}, not 1."));
            }

            result[k] = CategoricalComponent.FromOwnedArray(probabilities, levels);
        }

        return result;
    }

    /// <summary>Writes the components of a Poisson block.</summary>
    public static void WritePoisson(Utf8JsonWriter writer, IReadOnlyList<PoissonComponent> components)
    {
        writer.WriteStartArray("components");
        foreach (var component in components)
        {
            writer.WriteStartObject();
            writer.WriteNumber("rate", component.Rate);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads the K components of a Poisson block.</summary>
    public static PoissonComponent[] ReadPoissonComponents(JsonElement block, string path, int componentCount)
    {
        var items = Array(block, "components", path, componentCount);
        string at = Child(path, "components");
        var result = new PoissonComponent[componentCount];
        for (int k = 0; k < componentCount; k++)
        {
            double rate = Finite(items[k], "rate", Index(at, k));
            if (!(rate > 0))
            {
                throw Invalid(Child(Index(at, k), "rate"), "the rate must be positive.");
            }

            result[k] = PoissonComponent.WithRate(rate);
        }

        return result;
    }

    /// <summary>Writes the components of a normal block.</summary>
    public static void WriteNormal(Utf8JsonWriter writer, NormalFamily family, IReadOnlyList<NormalComponent> components)
    {
        writer.WriteNumber("varianceRegularization", family.VarianceRegularization);
        WritePrior(writer, family.Prior);
        writer.WriteStartArray("components");
        foreach (var component in components)
        {
            writer.WriteStartObject();
            writer.WriteNumber("mean", component.Mean);
            writer.WriteNumber("variance", component.Variance);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads the K components of a normal block.</summary>
    public static NormalComponent[] ReadNormalComponents(JsonElement block, string path, int componentCount)
    {
        var items = Array(block, "components", path, componentCount);
        string at = Child(path, "components");
        var result = new NormalComponent[componentCount];
        for (int k = 0; k < componentCount; k++)
        {
            string ck = Index(at, k);
            double mean = Finite(items[k], "mean", ck);
            double variance = Finite(items[k], "variance", ck);
            if (!(variance > 0))
            {
                throw Invalid(Child(ck, "variance"), "the variance must be positive.");
            }

            result[k] = NormalComponent.WithMeanVariance(mean, variance);
        }

        return result;
    }

    /// <summary>
    /// Rebuilds a full-covariance Gaussian from μ, Σ and the cached P: by factoring Σ (how EM builds it) when that gives
    /// the saved P bit for bit, otherwise from P (how the gradient algorithms build it) when that gives the saved Σ.
    /// </summary>
    private static FullGaussian ReadFull(JsonElement element, string path, double[] mean, int dimension, double symmetryTolerance)
    {
        var covariance = FiniteArray(element, "covariance", path, dimension * dimension);
        var precisionCholesky = FiniteArray(element, "precisionCholesky", path, dimension * dimension);
        double scale = 0;
        foreach (double v in covariance)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        for (int i = 0; i < dimension; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double a = covariance[(i * dimension) + j], b = covariance[(j * dimension) + i];
                bool symmetric = symmetryTolerance > 0
                    ? Math.Abs(a - b) <= symmetryTolerance * scale
                    : BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
                if (!symmetric)
                {
                    throw Invalid(Child(path, "covariance"), string.Create(CultureInfo.InvariantCulture, $"the matrix is not symmetric (entries [{i}, {j}] and [{j}, {i}] differ)."));
                }
            }
        }

        bool factored = FullGaussian.TryCreate(mean, (double[])covariance.Clone(), out var fromCovariance);
        if (factored && BitwiseEqual(fromCovariance.PrecisionCholeskySpan, precisionCholesky))
        {
            return fromCovariance;
        }

        if (FullGaussian.TryFromPrecisionCholesky(mean, (double[])precisionCholesky.Clone(), out var fromPrecision) && BitwiseEqual(fromPrecision.CovarianceSpan, covariance))
        {
            return fromPrecision;
        }

        throw factored
            ? Invalid(Child(path, "precisionCholesky"), "the precision Cholesky factor does not belong to the covariance.")
            : Invalid(Child(path, "covariance"), "the covariance is not positive definite.");
    }

    private static bool BitwiseEqual(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
