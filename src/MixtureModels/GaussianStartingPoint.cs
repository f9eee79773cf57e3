using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// The user's optional starting weights, means and precisions, checked once against the data's dimension and
/// applied over the parameters an initialiser estimated (as scikit-learn's weights_init / means_init / precisions_init).
/// </summary>
internal sealed class GaussianStartingPoint : IStartingPoint<GaussianComponent>
{
    private readonly CovarianceType _type;
    private readonly double[]? _weights;
    private readonly double[][]? _means;
    private readonly double[][]? _covariances; // full: D×D; diagonal: D variances; spherical: 1 variance; tied: one D×D

    private GaussianStartingPoint(CovarianceType type, double[]? weights, double[][]? means, double[][]? covariances)
    {
        _type = type;
        _weights = weights;
        _means = means;
        _covariances = covariances;
    }

    /// <summary>Whether weights, means and covariances (or precisions) are all given, so no initialiser is needed.</summary>
    public bool IsComplete => _weights is not null && _means is not null && _covariances is not null;

    /// <summary>Nothing left to check: <see cref="Parse"/> checked every given value against K and D.</summary>
    public void Check(int componentCount, int dimension)
    {
    }

    public static GaussianStartingPoint Parse(GaussianMixtureOptions options, int d)
    {
        int k = options.ComponentCount;
        double[]? weights = options.InitialWeights is null ? null : MixtureModel<GaussianComponent>.CheckWeights(options.InitialWeights, k, nameof(options.InitialWeights));
        double[][]? means = null;
        if (options.InitialMeans is { } m)
        {
            if (m.RowCount != k || m.ColumnCount != d)
            {
                ThrowHelper.ThrowArgument(nameof(options.InitialMeans), string.Create(CultureInfo.InvariantCulture, $"InitialMeans is {m.RowCount} × {m.ColumnCount} but must be ComponentCount × columns = {k} × {d}. Pass one mean per component, one value per column."));
            }

            means = new double[k][];
            for (int c = 0; c < k; c++)
            {
                means[c] = m.Row(c).ToArray();
                for (int j = 0; j < d; j++)
                {
                    if (!double.IsFinite(means[c][j]))
                    {
                        ThrowHelper.ThrowArgument(nameof(options.InitialMeans), string.Create(CultureInfo.InvariantCulture, $"InitialMeans[{c}, {j}] = {means[c][j]} is not finite. Pass finite means."));
                    }
                }
            }
        }

        return new GaussianStartingPoint(options.CovarianceType, weights, means, ParseCovariances(options, k, d));
    }

    /// <summary>The starting covariances from whichever of the four options is given (at most one), or null.</summary>
    private static double[][]? ParseCovariances(GaussianMixtureOptions options, int k, int d)
    {
        var given = new List<string>(4);
        if (options.InitialPrecisions is not null)
        {
            given.Add(nameof(options.InitialPrecisions));
        }

        if (options.InitialCovariances is not null)
        {
            given.Add(nameof(options.InitialCovariances));
        }

        if (options.InitialDiagonalPrecisions is not null)
        {
            given.Add(nameof(options.InitialDiagonalPrecisions));
        }

        if (options.InitialSphericalPrecisions is not null)
        {
            given.Add(nameof(options.InitialSphericalPrecisions));
        }

        if (given.Count > 1)
        {
            ThrowHelper.ThrowArgument(given[1], $"{string.Join(" and ", given)} are all given, but they describe the same starting covariances. Pass only one of them.");
        }

        var type = options.CovarianceType;
        if (options.InitialPrecisions is { } precisions)
        {
            return ParseMatrices(precisions, type, k, d, nameof(options.InitialPrecisions), inverse: true);
        }

        if (options.InitialCovariances is { } covariances)
        {
            return ParseMatrices(covariances, type, k, d, nameof(options.InitialCovariances), inverse: false);
        }

        if (options.InitialDiagonalPrecisions is { } diagonal)
        {
            const string name = nameof(options.InitialDiagonalPrecisions);
            if (type != CovarianceType.Diagonal)
            {
                ThrowHelper.ThrowArgument(name, $"{name} is given but CovarianceType is {type}. Use it with CovarianceType.Diagonal, or pass InitialPrecisions (D × D matrices) for {type} covariance.");
            }

            if (diagonal.RowCount != k || diagonal.ColumnCount != d)
            {
                ThrowHelper.ThrowArgument(name, string.Create(CultureInfo.InvariantCulture, $"{name} is {diagonal.RowCount} × {diagonal.ColumnCount} but must be ComponentCount × columns = {k} × {d}. Pass one row of inverse variances per component."));
            }

            var result = new double[k][];
            for (int c = 0; c < k; c++)
            {
                result[c] = new double[d];
                for (int j = 0; j < d; j++)
                {
                    result[c][j] = 1.0 / PositivePrecision(diagonal[c, j], name, string.Create(CultureInfo.InvariantCulture, $"{name}[{c}, {j}]"));
                }
            }

            return result;
        }

        if (options.InitialSphericalPrecisions is { } spherical)
        {
            const string name = nameof(options.InitialSphericalPrecisions);
            if (type != CovarianceType.Spherical)
            {
                ThrowHelper.ThrowArgument(name, $"{name} is given but CovarianceType is {type}. Use it with CovarianceType.Spherical, or pass InitialPrecisions (D × D matrices) for {type} covariance.");
            }

            if (spherical.Count != k)
            {
                ThrowHelper.ThrowArgument(name, string.Create(CultureInfo.InvariantCulture, $"{name} has {spherical.Count} values but ComponentCount is {k}. Pass one inverse variance per component."));
            }

            var result = new double[k][];
            for (int c = 0; c < k; c++)
            {
                result[c] = [1.0 / PositivePrecision(spherical[c], name, string.Create(CultureInfo.InvariantCulture, $"{name}[{c}]"))];
            }

            return result;
        }

        return null;
    }

    private static double PositivePrecision(double value, string name, string label)
    {
        if (!(value > 0) || !double.IsFinite(value) || !double.IsFinite(1.0 / value))
        {
            ThrowHelper.ThrowArgument(name, string.Create(CultureInfo.InvariantCulture, $"{label} = {value} is not a finite positive precision. Pass strictly positive inverse variances."));
        }

        return value;
    }

    /// <summary>Replaces the estimated parameters by the user's where given.</summary>
    public (double[] Weights, GaussianComponent[] Components) Apply(double[] weights, GaussianComponent[] components)
    {
        var resultWeights = _weights is null ? weights : (double[])_weights.Clone();
        var result = new GaussianComponent[components.Length];
        for (int k = 0; k < components.Length; k++)
        {
            var mean = _means is null ? components[k].MeanArray : (double[])_means[k].Clone();
            result[k] = _covariances is null ? components[k].WithMean(mean) : Create(k, mean, result);
        }

        return (resultWeights, result);
    }

    /// <summary>Starting parameters when everything is given by the user.</summary>
    public (double[] Weights, GaussianComponent[] Components) Complete() =>
        Apply(_weights!, new GaussianComponent[_weights!.Length]);

    private GaussianComponent Create(int k, double[] mean, GaussianComponent[] built)
    {
        var covariances = _covariances!;
        switch (_type)
        {
            case CovarianceType.Full:
                return Full(mean, (double[])covariances[k].Clone());
            case CovarianceType.Tied:
                return k == 0 ? Full(mean, (double[])covariances[0].Clone()) : FullGaussian.WithSharedCovariance(mean, (FullGaussian)built[0]);
            case CovarianceType.Diagonal:
                DiagonalGaussian.TryCreate(mean, (double[])covariances[k].Clone(), out var diagonal);
                return diagonal;
            default:
                SphericalGaussian.TryCreate(mean, covariances[k][0], out var spherical);
                return spherical;
        }
    }

    private static FullGaussian Full(double[] mean, double[] covariance)
    {
        if (!FullGaussian.TryCreate(mean, covariance, out var result))
        {
            ThrowHelper.ThrowArgument("InitialPrecisions", "The starting covariance (from InitialPrecisions or InitialCovariances) is too ill-conditioned to factor. Pass better-conditioned symmetric positive-definite matrices.");
        }

        return result;
    }

    /// <summary>
    /// Checks D × D precision (<paramref name="inverse"/>) or covariance matrices in the shapes of the covariance type and
    /// returns the covariances: D × D row-major for full and tied, D variances for diagonal, one variance for spherical.
    /// </summary>
    private static double[][] ParseMatrices(IReadOnlyList<Matrix<double>> matrices, CovarianceType type, int k, int d, string name, bool inverse)
    {
        string kind = inverse ? "precision" : "covariance";
        int expected = type == CovarianceType.Tied ? 1 : k;
        if (matrices.Count != expected)
        {
            ThrowHelper.ThrowArgument(name, string.Create(CultureInfo.InvariantCulture, $"{name} has {matrices.Count} matrices but {type} covariance needs {expected}. Pass {(type == CovarianceType.Tied ? $"one shared {kind} matrix" : $"one {kind} matrix per component")}."));
        }

        var result = new double[expected][];
        for (int c = 0; c < expected; c++)
        {
            var p = matrices[c] ?? throw new ArgumentNullException(name, string.Create(CultureInfo.InvariantCulture, $"{name}[{c}] is null. Pass a {d} × {d} matrix."));
            string label = string.Create(CultureInfo.InvariantCulture, $"{name}[{c}]");
            var inverted = GaussianValidation.InvertSymmetricPositiveDefinite(p, d, name, label); // checks shape, symmetry and positive definiteness
            if (type is CovarianceType.Diagonal or CovarianceType.Spherical)
            {
                for (int i = 0; i < d; i++)
                {
                    for (int j = 0; j < d; j++)
                    {
                        if (i != j && p[i, j] != 0)
                        {
                            ThrowHelper.ThrowArgument(name, string.Create(CultureInfo.InvariantCulture, $"{label}[{i}, {j}] = {p[i, j]} but {type} covariance needs diagonal {kind} matrices. Zero the off-diagonal entries or use CovarianceType.Full."));
                        }
                    }
                }

                if (type == CovarianceType.Spherical)
                {
                    for (int i = 1; i < d; i++)
                    {
                        if (p[i, i] != p[0, 0])
                        {
                            ThrowHelper.ThrowArgument(name, string.Create(CultureInfo.InvariantCulture, $"{label} has diagonal entries {p[0, 0]} and {p[i, i]} but spherical covariance needs a multiple of the identity. Use equal diagonal entries or CovarianceType.Diagonal."));
                        }
                    }

                    result[c] = [inverse ? 1.0 / p[0, 0] : p[0, 0]];
                }
                else
                {
                    result[c] = Enumerable.Range(0, d).Select(i => inverse ? 1.0 / p[i, i] : p[i, i]).ToArray();
                }
            }
            else
            {
                result[c] = inverse ? inverted : GaussianValidation.SymmetricMatrix(p, d, name, label);
            }
        }

        return result;
    }
}
