using System.Globalization;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using MixtureModels.Components.Product;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// One factor of a product-of-marginals component: which columns it covers and which distribution it places on them.
/// A <see cref="ProductFamily"/> combines marginals that together cover every column exactly once, so that one mixture
/// models a mixed table (real, binary, categorical and count columns).
/// </summary>
/// <example>
/// <code>
/// Marginal[] table =
/// [
///     Marginal.Gaussian([0, 1], CovarianceType.Full),   // two correlated real columns
///     Marginal.Bernoulli([2, 3]),                       // two yes/no columns
///     Marginal.Categorical(4, levelCount: 3),           // a column with levels 0, 1, 2
///     Marginal.Poisson(5),                              // a count column
///     Marginal.Categorical(6, levels: [4, 6, 8]),       // a column whose values are 4, 6 or 8
/// ];
/// </code>
/// </example>
public sealed class Marginal
{
    private readonly int[] _columns;
    private readonly Func<double, bool>? _accepts;
    private readonly string _expectation;

    private Marginal(MarginalKind kind, int[] columns, IMarginalFamily family, Func<double, bool>? accepts, string expectation)
    {
        Kind = kind;
        _columns = columns;
        Family = family;
        _accepts = accepts;
        _expectation = expectation;
    }

    /// <summary>The distribution on the columns.</summary>
    public MarginalKind Kind { get; }

    /// <summary>The data columns this marginal covers, in the order its distribution sees them.</summary>
    public IReadOnlyList<int> Columns => Array.AsReadOnly(_columns);

    internal int[] ColumnArray => _columns;

    /// <summary>The same marginal (family, data check) on other columns, for a mixture over a subset of the columns.</summary>
    internal Marginal WithColumns(int[] columns) => new(Kind, columns, Family, _accepts, _expectation);

    internal IMarginalFamily Family { get; }

    /// <summary>
    /// For a categorical marginal, the value of every level (level l is the value Levels[l]): 0, 1, …, L − 1 for
    /// <see cref="Categorical(int, int, double)"/>, the given values for <see cref="Categorical(int, IReadOnlyList{double}, double)"/>.
    /// Null for the other kinds.
    /// </summary>
    public IReadOnlyList<double>? Levels => Family is MarginalFamily<CategoricalComponent, CategoricalStatistics> categorical ? ((CategoricalFamily)categorical.Inner).Levels : null;

    /// <summary>A univariate normal N(μ, σ²) on one real column; σ² gets <paramref name="varianceRegularization"/> added.</summary>
    /// <param name="column">Column index, at least 0.</param>
    /// <param name="varianceRegularization">Non-negative value added to the variance (like reg_covar), default 1e-6.</param>
    /// <param name="prior">A prior on the variance (see <see cref="CovariancePrior"/>), or null (the default) for maximum likelihood.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Marginal Normal(int column, double varianceRegularization = 1e-6, CovariancePrior? prior = null) =>
        new(MarginalKind.Normal, Columns1(column), MarginalFamilyFactory.Wrap(new NormalFamily(varianceRegularization, prior)), null, "a finite real value");

    /// <summary>Independent Bernoulli variables on binary columns (values exactly 0 or 1).</summary>
    /// <param name="columns">Column indices, distinct, at least one.</param>
    /// <param name="priors">Beta prior and clamp for the probabilities; default maximum likelihood with φ in [1e-10, 1 − 1e-10].</param>
    /// <exception cref="ArgumentException">The columns are empty, negative or repeated.</exception>
    public static Marginal Bernoulli(IReadOnlyList<int> columns, BernoulliPriors? priors = null)
    {
        var c = ColumnsN(columns);
        return new(MarginalKind.Bernoulli, c, MarginalFamilyFactory.Wrap(new BernoulliFamily(c.Length, priors)), v => v == 0 || v == 1, "0 or 1");
    }

    /// <summary>A categorical distribution on one column whose values are the integer levels 0..L−1.</summary>
    /// <param name="column">Column index, at least 0.</param>
    /// <param name="levelCount">L, the number of levels.</param>
    /// <param name="dirichletAlpha">Non-negative Dirichlet smoothing added to every level's count (default 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
#pragma warning disable RS0027 // shipped with its optional α; the overload with level values differs in its second parameter's type, so no call is ambiguous
    public static Marginal Categorical(int column, int levelCount, double dirichletAlpha = 0)
#pragma warning restore RS0027
    {
        var family = new CategoricalFamily(levelCount, dirichletAlpha);
        return new(MarginalKind.Categorical, Columns1(column), MarginalFamilyFactory.Wrap(family), v => v >= 0 && v < levelCount && v == Math.Floor(v), string.Create(CultureInfo.InvariantCulture, $"an integer level in [0, {levelCount})"));
    }

    /// <summary>
    /// A categorical distribution on one column whose values are <paramref name="levels"/>, for example the cylinder
    /// counts [4, 6, 8] or codes [1, 2, 3, 9]: no recoding to 0, …, L − 1 is needed. Level l is the value levels[l]; the
    /// fitted components' probabilities are in that order, <see cref="CategoricalComponent.Levels"/> reports the values,
    /// queries take the same values, samples are drawn as them, and a value that is not a level is rejected with an
    /// <see cref="ArgumentException"/> naming it.
    /// </summary>
    /// <param name="column">Column index, at least 0.</param>
    /// <param name="levels">The values the column takes: at least one, finite, strictly increasing.</param>
    /// <param name="dirichletAlpha">Non-negative Dirichlet smoothing added to every level's count (0: maximum likelihood).</param>
    /// <exception cref="ArgumentNullException"><paramref name="levels"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="levels"/> is empty, holds a non-finite value, or is not strictly increasing.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Marginal Categorical(int column, IReadOnlyList<double> levels, double dirichletAlpha)
    {
        var family = new CategoricalFamily(levels, dirichletAlpha);
        var values = family.LevelValues;
        int count = family.LevelCount;
        return new(MarginalKind.Categorical, Columns1(column), MarginalFamilyFactory.Wrap(family), v => CategoricalLevels.IndexOf(v, values, count) >= 0,
            string.Create(CultureInfo.InvariantCulture, $"one of the levels {CategoricalLevels.Describe(values, count)}"));
    }

    /// <summary>
    /// A categorical distribution on one column whose values are <paramref name="levels"/>, without smoothing: as
    /// <see cref="Categorical(int, IReadOnlyList{double}, double)"/> with a Dirichlet pseudo-count of 0.
    /// </summary>
    /// <param name="column">Column index, at least 0.</param>
    /// <param name="levels">The values the column takes: at least one, finite, strictly increasing (for example [4, 6, 8]).</param>
    /// <exception cref="ArgumentNullException"><paramref name="levels"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="levels"/> is empty, holds a non-finite value, or is not strictly increasing.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is negative.</exception>
    public static Marginal Categorical(int column, IReadOnlyList<double> levels) => Categorical(column, levels, 0);

    /// <summary>A Poisson distribution on one column of non-negative integer counts.</summary>
    /// <param name="column">Column index, at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is negative.</exception>
    public static Marginal Poisson(int column) =>
        new(MarginalKind.Poisson, Columns1(column), MarginalFamilyFactory.Wrap(new PoissonFamily()), v => v >= 0 && v == Math.Floor(v), "a non-negative integer count");

    /// <summary>A multivariate Gaussian block on several real columns with its own covariance type (tied: shared by the components).</summary>
    /// <param name="columns">Column indices, distinct, at least one.</param>
    /// <param name="covarianceType">Shape of the block's covariance.</param>
    /// <param name="covarianceRegularization">Non-negative reg_covar for the block, default 1e-6.</param>
    /// <param name="prior">A prior on the block's covariances (see <see cref="CovariancePrior"/>), or null (the default) for maximum likelihood.</param>
    /// <exception cref="ArgumentException">The columns are empty, negative or repeated, or an argument is out of range.</exception>
    public static Marginal Gaussian(IReadOnlyList<int> columns, CovarianceType covarianceType = CovarianceType.Full, double covarianceRegularization = 1e-6, CovariancePrior? prior = null)
    {
        var c = ColumnsN(columns);

        // Checked here, under this method's parameter names; the family checks the same values as `regularization`.
        if (!Enum.IsDefined(covarianceType))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(covarianceType), covarianceType, "Use one of Full, Tied, Diagonal, Spherical.");
        }

        ArgumentChecks.NonNegative(covarianceRegularization, nameof(covarianceRegularization), "Use a finite, non-negative covariance regularisation such as 1e-6.");
        return new(MarginalKind.Gaussian, c, MarginalFamilyFactory.Wrap(GaussianFamily.Create(covarianceType, c.Length, covarianceRegularization, prior)), null, "a finite real value");
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first value of this marginal's columns it cannot model.</summary>
    internal void ValidateData(DataMatrix data, string parameterName, bool allowMissing = false)
    {
        if (_accepts is null)
        {
            return;
        }

        for (int r = 0; r < data.Rows; r++)
        {
            var row = data.Row(r);
            foreach (int c in _columns)
            {
                if (!_accepts(row[c]) && !(allowMissing && double.IsNaN(row[c])))
                {
                    ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{r}, {c}] = {row[c]} but the {Kind} marginal on column {c} needs {_expectation}. Fix the value, or model the column with another marginal."));
                }
            }
        }
    }

    private static int[] Columns1(int column)
    {
        if (column < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(column), column, "Use a column index of at least 0.");
        }

        return [column];
    }

    private static int[] ColumnsN(IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            ThrowHelper.ThrowArgument(nameof(columns), "columns is empty. Give the marginal at least one column.");
        }

        var result = columns.ToArray();
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] < 0 || Array.IndexOf(result, result[i]) != i)
            {
                ThrowHelper.ThrowArgument(nameof(columns), string.Create(CultureInfo.InvariantCulture, $"columns[{i}] = {result[i]} is negative or repeated. Give distinct column indices of at least 0."));
            }
        }

        return result;
    }
}
