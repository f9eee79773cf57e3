using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using MixtureModels.Components.Product;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// The user's optional starting weights and per-component marginals of a <see cref="ProductMixture"/>
/// (<see cref="ProductMixtureOptions.InitialWeights"/>, <see cref="ProductMixtureOptions.InitialMarginals"/>), checked
/// once against <see cref="ProductMixtureOptions.Marginals"/> and applied over what an initialiser estimated: weights
/// only, marginals only, or both (a complete start, no initialiser runs).
/// </summary>
/// <remarks>
/// Every given marginal component must be of the type its <see cref="Marginal"/> estimates: a
/// <see cref="NormalComponent"/>, a <see cref="BernoulliComponent"/> with one probability per column, a
/// <see cref="CategoricalComponent"/> with the marginal's level count, a <see cref="PoissonComponent"/>, or for a
/// Gaussian block a <see cref="FullGaussian"/> (full or tied), <see cref="DiagonalGaussian"/> or
/// <see cref="SphericalGaussian"/> of the block's dimension. For a tied block the K covariances must be equal entry by
/// entry (exact comparison of <see cref="GaussianComponent.GetCovariance"/>, which holds when every block is built from
/// the same matrix); the blocks are then rebuilt to share one covariance object, as the tied M-step returns them.
/// </remarks>
internal static class ProductStartingPoint
{
    private const string WeightsName = nameof(ProductMixtureOptions.InitialWeights);
    private const string MarginalsName = nameof(ProductMixtureOptions.InitialMarginals);

    /// <summary>
    /// Checks the starting point of <paramref name="options"/> and builds its product components; null when neither
    /// weights nor marginals are given.
    /// </summary>
    /// <param name="options">Validated settings (component count and marginals).</param>
    /// <param name="dimension">D, the number of data columns (the marginals' column count once they cover every column).</param>
    /// <exception cref="ArgumentException">A starting value does not fit; the message names the option, the component and marginal index and the fix.</exception>
    public static MixtureStart<ProductComponent>? Parse(ProductMixtureOptions options, int dimension)
    {
        if (options.InitialWeights is null && options.InitialMarginals is null)
        {
            return null;
        }

        int k = options.ComponentCount;
        double[]? weights = options.InitialWeights is null ? null : MixtureModel<ProductComponent>.CheckWeights(options.InitialWeights, k, WeightsName);
        ProductComponent[]? components = options.InitialMarginals is null ? null : ParseMarginals(options.InitialMarginals, options.Marginals, k, dimension);
        return new MixtureStart<ProductComponent>(weights, components);
    }

    private static ProductComponent[] ParseMarginals(IReadOnlyList<IReadOnlyList<IComponent>> given, IReadOnlyList<Marginal> marginals, int k, int dimension)
    {
        if (given.Count != k)
        {
            ThrowHelper.ThrowArgument(MarginalsName, string.Create(CultureInfo.InvariantCulture, $"{MarginalsName} has {given.Count} entries but ComponentCount is {k}. Pass one list of marginal components per mixture component."));
        }

        int m = marginals.Count;
        var requirements = new Requirement[m];
        var columns = new int[m][];
        for (int j = 0; j < m; j++)
        {
            var marginal = marginals[j] ?? throw new ArgumentNullException(nameof(ProductMixtureOptions.Marginals), string.Create(CultureInfo.InvariantCulture, $"Marginals[{j}] is null."));
            requirements[j] = Requirement.Of(marginal);
            columns[j] = marginal.ColumnArray;
        }

        var parts = new IComponent[k][];
        for (int c = 0; c < k; c++)
        {
            var row = given[c];
            if (row is null || row.Count != m)
            {
                string count = row is null ? "is null" : string.Create(CultureInfo.InvariantCulture, $"has {row.Count} marginal components");
                ThrowHelper.ThrowArgument(MarginalsName, string.Create(CultureInfo.InvariantCulture, $"{MarginalsName}[{c}] {count} but Marginals has {m}. Pass one component per Marginal, in the order of Marginals."));
            }

            parts[c] = new IComponent[m];
            for (int j = 0; j < m; j++)
            {
                parts[c][j] = requirements[j].Check(row![j], c, j);
            }
        }

        for (int j = 0; j < m; j++)
        {
            if (requirements[j].IsTied)
            {
                ShareTiedCovariance(parts, j, requirements[j]);
            }
        }

        var result = new ProductComponent[k];
        for (int c = 0; c < k; c++)
        {
            result[c] = new ProductComponent(dimension, columns, parts[c]);
        }

        return result;
    }

    /// <summary>Checks that the K blocks of tied marginal <paramref name="j"/> have equal covariances, then makes them share one.</summary>
    private static void ShareTiedCovariance(IComponent[][] parts, int j, Requirement requirement)
    {
        var first = (FullGaussian)parts[0][j];
        var shared = first.GetCovariance();
        for (int c = 1; c < parts.Length; c++)
        {
            var block = (FullGaussian)parts[c][j];
            var covariance = block.GetCovariance();
            for (int a = 0; a < covariance.RowCount; a++)
            {
                for (int b = 0; b < covariance.ColumnCount; b++)
                {
                    if (covariance[a, b] != shared[a, b])
                    {
                        ThrowHelper.ThrowArgument(MarginalsName, string.Create(CultureInfo.InvariantCulture, $"{MarginalsName}[{c}][{j}] has covariance[{a}, {b}] = {covariance[a, b]:R} but {MarginalsName}[0][{j}] has {shared[a, b]:R}, and Marginals[{j}] ({requirement.Description}) has tied covariance, one matrix shared by all components. Build every component's block with FullGaussian.WithMeanCovariance from the same covariance matrix, or use CovarianceType.Full."));
                    }
                }
            }

            parts[c][j] = FullGaussian.WithSharedCovariance((double[])block.MeanArray.Clone(), first);
        }
    }

    /// <summary>What one marginal needs of a user-given component.</summary>
    private sealed class Requirement
    {
        private readonly Type _type;
        private readonly int _dimension;
        private readonly int _levels; // categorical only; 0 otherwise
        private readonly double[]? _levelValues; // categorical only: the level values (null for 0, …, L − 1)
        private readonly string _expected;
        private readonly string _fix;

        private Requirement(Type type, int dimension, int levels, bool tied, string description, string expected, string fix, double[]? levelValues = null)
        {
            _levelValues = levelValues;
            _type = type;
            _dimension = dimension;
            _levels = levels;
            IsTied = tied;
            Description = description;
            _expected = expected;
            _fix = fix;
        }

        /// <summary>Whether the marginal is a Gaussian block with tied covariance.</summary>
        public bool IsTied { get; }

        /// <summary>The marginal in words, for messages: kind and columns (and covariance type or level count).</summary>
        public string Description { get; }

        public static Requirement Of(Marginal marginal)
        {
            int d = marginal.ColumnArray.Length;
            string columns = string.Join(", ", marginal.ColumnArray.Select(c => c.ToString(CultureInfo.InvariantCulture)));
            string on = d == 1 ? $"column {columns}" : $"columns {columns}";
            switch (marginal.Kind)
            {
                case MarginalKind.Normal:
                    return new(typeof(NormalComponent), 1, 0, false, $"Normal on {on}", "a NormalComponent", "Build it with NormalComponent.WithMeanVariance.");
                case MarginalKind.Bernoulli:
                    return new(typeof(BernoulliComponent), d, 0, false, $"Bernoulli on {on}", Invariant($"a BernoulliComponent of dimension {d}"), Invariant($"Build it with BernoulliComponent.WithProbabilities, one probability per column ({d})."));
                case MarginalKind.Categorical:
                    var categorical = (CategoricalFamily)((MarginalFamily<CategoricalComponent, CategoricalStatistics>)marginal.Family).Inner;
                    int levels = categorical.LevelCount;
                    if (categorical.LevelValues is { } values)
                    {
                        string list = CategoricalLevels.Describe(values, levels);
                        return new(typeof(CategoricalComponent), 1, levels, false, Invariant($"Categorical with the levels {list} on {on}"), Invariant($"a CategoricalComponent with the levels {list}"), Invariant($"Build it with CategoricalComponent.WithProbabilities(probabilities, levels), one probability per level ({levels}) and the marginal's levels."), values);
                    }

                    return new(typeof(CategoricalComponent), 1, levels, false, Invariant($"Categorical with {levels} levels on {on}"), Invariant($"a CategoricalComponent with {levels} levels"), Invariant($"Build it with CategoricalComponent.WithProbabilities, one probability per level ({levels})."));
                case MarginalKind.Poisson:
                    return new(typeof(PoissonComponent), 1, 0, false, $"Poisson on {on}", "a PoissonComponent", "Build it with PoissonComponent.WithRate.");
                default:
                    var type = ((GaussianFamily)((MarginalFamily<GaussianComponent, GaussianStatistics>)marginal.Family).Inner).CovarianceType;
                    string description = $"Gaussian block with {type} covariance on {on}";
                    return type switch
                    {
                        CovarianceType.Full => new(typeof(FullGaussian), d, 0, false, description, Invariant($"a FullGaussian of dimension {d}"), "Build it with FullGaussian.WithMeanCovariance."),
                        CovarianceType.Tied => new(typeof(FullGaussian), d, 0, true, description, Invariant($"a FullGaussian of dimension {d}"), "Build every component's block with FullGaussian.WithMeanCovariance from the same covariance matrix."),
                        CovarianceType.Diagonal => new(typeof(DiagonalGaussian), d, 0, false, description, Invariant($"a DiagonalGaussian of dimension {d}"), "Build it with DiagonalGaussian.WithMeanVariances."),
                        _ => new(typeof(SphericalGaussian), d, 0, false, description, Invariant($"a SphericalGaussian of dimension {d}"), "Build it with SphericalGaussian.WithMeanVariance."),
                    };
            }
        }

        /// <summary>Returns <paramref name="component"/> when it suits the marginal; otherwise throws naming component <paramref name="c"/> and marginal <paramref name="j"/>.</summary>
        public IComponent Check(IComponent? component, int c, int j)
        {
            string where = Invariant($"{MarginalsName}[{c}][{j}]");
            string needs = Invariant($"Marginals[{j}] ({Description}) needs {_expected}");
            if (component is null)
            {
                ThrowHelper.ThrowArgument(MarginalsName, $"{where} is null but {needs}. {_fix}");
            }
            else if (!_type.IsInstanceOfType(component))
            {
                ThrowHelper.ThrowArgument(MarginalsName, $"{where} is a {component.GetType().Name} but {needs}. {_fix}");
            }
            else if (component.Dimension != _dimension)
            {
                ThrowHelper.ThrowArgument(MarginalsName, Invariant($"{where} is a {component.GetType().Name} of dimension {component.Dimension} but {needs}. {_fix}"));
            }
            else if (_levels > 0 && component is CategoricalComponent categorical && categorical.LevelCount != _levels)
            {
                ThrowHelper.ThrowArgument(MarginalsName, Invariant($"{where} is a CategoricalComponent with {categorical.LevelCount} levels but {needs}. {_fix}"));
            }
            else if (_levels > 0 && component is CategoricalComponent coded && !SameLevels(coded.LevelValues, _levelValues))
            {
                ThrowHelper.ThrowArgument(MarginalsName, Invariant($"{where} is a CategoricalComponent with the levels {CategoricalLevels.Describe(coded.LevelValues, coded.LevelCount)} but {needs}. {_fix}"));
            }

            return component!;
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

        private static bool SameLevels(double[]? a, double[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
    }
}
