using System.Globalization;
using System.Text.Json;
using MixtureModels.Components.StudentT;
using static MixtureModels.Serialization.ModelJsonReader;

namespace MixtureModels.Serialization;

/// <summary>
/// JSON of a Student-t family's settings and of its K components: location, scale matrix, the precision Cholesky factor
/// the fit cached, and ν, so that a loaded component is rebuilt by the same computation and holds the same bits.
/// </summary>
internal static class StudentTJson
{
    /// <summary>Writes the properties of a Student-t block: scale type, regularisation, ν setting, components.</summary>
    public static void Write(Utf8JsonWriter writer, StudentTFamily family, IReadOnlyList<StudentTComponent> components)
    {
        writer.WriteString("covarianceType", family.ScaleType.ToString());
        writer.WriteNumber("regularization", family.Regularization);
        writer.WriteString("degreesOfFreedomEstimation", family.Estimation.ToString());
        writer.WriteNumber("degreesOfFreedom", family.DegreesOfFreedom);
        writer.WriteStartArray("components");
        foreach (var component in components)
        {
            WriteComponent(writer, component);
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes one component as an object: mean, scale, precision Cholesky factor, ν.</summary>
    public static void WriteComponent(Utf8JsonWriter writer, StudentTComponent component)
    {
        writer.WriteStartObject();
        ComponentJson.WriteDoubles(writer, "mean", component.Mean);
        ComponentJson.WriteDoubles(writer, "scale", component.ScaleSpan);
        ComponentJson.WriteDoubles(writer, "precisionCholesky", component.PrecisionCholeskySpan);
        writer.WriteNumber("degreesOfFreedom", component.DegreesOfFreedom);
        writer.WriteEndObject();
    }

    /// <summary>Reads one component written by <see cref="WriteComponent"/>: values, the scale's shape when <paramref name="scaleType"/> is given, and the factor are checked.</summary>
    public static StudentTComponent ReadComponent(JsonElement item, string path, int dimension, CovarianceType? scaleType = null)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "expected a component object.");
        }

        int d = dimension;
        var mean = FiniteArray(item, "mean", path, d);
        var scale = FiniteArray(item, "scale", path, d * d);
        var precisionCholesky = FiniteArray(item, "precisionCholesky", path, d * d);
        double nu = Finite(item, "degreesOfFreedom", path);
        if (!(nu > 0))
        {
            throw Invalid(Child(path, "degreesOfFreedom"), string.Create(CultureInfo.InvariantCulture, $"{nu:R} is not positive."));
        }

        if (scaleType is { } type)
        {
            CheckShape(scale, d, type, Child(path, "scale"));
        }

        return Rebuild(mean, scale, precisionCholesky, nu, path);
    }

    /// <summary>Reads the family settings of a Student-t block.</summary>
    public static StudentTFamily ReadFamily(JsonElement block, string path, int dimension)
    {
        var type = Enum<CovarianceType>(block, "covarianceType", path);
        double regularization = Finite(block, "regularization", path);
        if (regularization < 0)
        {
            throw Invalid(Child(path, "regularization"), "the regularisation must be non-negative.");
        }

        var estimation = Enum<DegreesOfFreedomEstimation>(block, "degreesOfFreedomEstimation", path);
        double nu = Finite(block, "degreesOfFreedom", path);
        if (!(nu > 0) || (estimation != DegreesOfFreedomEstimation.Fixed && (nu < StudentTFamily.MinimumDegreesOfFreedom || nu > StudentTFamily.MaximumDegreesOfFreedom)))
        {
            throw Invalid(Child(path, "degreesOfFreedom"), string.Create(CultureInfo.InvariantCulture, $"{nu:R} is not a valid ν for {estimation} estimation."));
        }

        return new StudentTFamily(dimension, regularization, nu, estimation, type);
    }

    /// <summary>Reads the K components of a Student-t block, checking each against the family's scale shape and ν setting.</summary>
    public static StudentTComponent[] ReadComponents(JsonElement block, string path, StudentTFamily family, int componentCount)
    {
        int d = family.Dimension;
        var items = Array(block, "components", path, componentCount);
        string at = Child(path, "components");
        var result = new StudentTComponent[componentCount];
        for (int k = 0; k < componentCount; k++)
        {
            string ck = Index(at, k);
            result[k] = ReadComponent(items[k], ck, d, family.ScaleType);
            double nu = result[k].DegreesOfFreedom;
            if (k > 0)
            {
                if (family.ScaleType == CovarianceType.Tied && !BitwiseEqual(result[k].ScaleSpan, result[0].ScaleSpan))
                {
                    throw Invalid(Child(ck, "scale"), "a tied model's components share one scale matrix, but this one differs from component 0's.");
                }

                if (family.Estimation != DegreesOfFreedomEstimation.PerComponent && BitConverter.DoubleToInt64Bits(nu) != BitConverter.DoubleToInt64Bits(result[0].DegreesOfFreedom))
                {
                    throw Invalid(Child(ck, "degreesOfFreedom"), string.Create(CultureInfo.InvariantCulture, $"with {family.Estimation} estimation every component has the same ν, but this one is {nu:R} and component 0's is {result[0].DegreesOfFreedom:R}."));
                }
            }
        }

        return result;
    }

    /// <summary>Symmetric, and for diagonal (spherical) scales zero off the diagonal (with one value on it).</summary>
    private static void CheckShape(double[] scale, int d, CovarianceType type, string path)
    {
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double v = scale[(i * d) + j];
                if (BitConverter.DoubleToInt64Bits(v) != BitConverter.DoubleToInt64Bits(scale[(j * d) + i]))
                {
                    throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"the matrix is not symmetric (entries [{i}, {j}] and [{j}, {i}] differ)."));
                }

                if (i != j && v != 0 && type is CovarianceType.Diagonal or CovarianceType.Spherical)
                {
                    throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"entry [{i}, {j}] is {v:R}, but a {type} scale matrix is zero off the diagonal."));
                }
            }

            if (type == CovarianceType.Spherical && scale[(i * d) + i] != scale[0])
            {
                throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"diagonal entry [{i}, {i}] differs from [0, 0], but a spherical scale matrix has one value on its diagonal."));
            }
        }
    }

    /// <summary>
    /// Rebuilds a component from μ, Σ, the cached P and ν: by factoring Σ (how EM builds it) when that gives the saved P
    /// bit for bit, otherwise from P (how the gradient algorithms build it) when that gives the saved Σ.
    /// </summary>
    private static StudentTComponent Rebuild(double[] mean, double[] scale, double[] precisionCholesky, double nu, string path)
    {
        bool factored = StudentTComponent.TryCreate((double[])mean.Clone(), (double[])scale.Clone(), nu, out var fromScale);
        if (factored && BitwiseEqual(fromScale.PrecisionCholeskySpan, precisionCholesky))
        {
            return fromScale;
        }

        if (StudentTComponent.TryFromPrecisionCholesky(mean, (double[])precisionCholesky.Clone(), nu, out var fromPrecision) && BitwiseEqual(fromPrecision.ScaleSpan, scale))
        {
            return fromPrecision;
        }

        throw factored
            ? Invalid(Child(path, "precisionCholesky"), "the precision Cholesky factor does not belong to the scale matrix.")
            : Invalid(Child(path, "scale"), "the scale matrix is not positive definite.");
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
