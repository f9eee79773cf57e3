using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using MixtureModels.Components.Product;
using MixtureModels.Components.StudentT;

namespace MixtureModels.Tests.Components;

/// <summary>
/// The cases of <see cref="ComponentContractTests"/>: every component family, with a generator of valid rows
/// (real, binary, integer levels, counts, mixed), and independent formulas for the moments and the support of a
/// fitted component, written from the public parameters.
/// </summary>
/// <remarks>
/// Rows are described by a column code, one character per column: <c>r</c> real (correlated with the previous real
/// column), <c>o</c> real with an offset of 1e5, <c>b</c> binary, <c>z</c> binary that is always 0 (drives the
/// Bernoulli clamp), <c>n</c> a Poisson count, and a digit L (2–9) for a categorical column with levels 0..L−1 (when
/// L ≥ 4 the last level never occurs, which drives the categorical floor).
/// </remarks>
internal static class ComponentContractCases
{
    private static readonly Lazy<ContractCase[]> Cases = new(Build);

    public static IReadOnlyList<ContractCase> All => Cases.Value;

    public static ContractCase Get(string name) => Cases.Value.Single(c => c.Name == name);

    private static ContractCase[] Build() =>
    [
        Case("Normal", new NormalFamily(), 3, "r", 2, normalisable: true),
        Case("Normal offset 1e5", new NormalFamily(), 2, "o", 2, normalisable: true),
        Case("Gaussian full D=2", GaussianFamily.Create(CovarianceType.Full, 2, 1e-6), 3, "rr", 5, normalisable: true),
        Case("Gaussian tied D=2", GaussianFamily.Create(CovarianceType.Tied, 2, 1e-6), 3, "rr", 5, normalisable: true, shared: k => (k * 2) + 3),
        Case("Gaussian diagonal D=2", GaussianFamily.Create(CovarianceType.Diagonal, 2, 1e-6), 3, "rr", 4, normalisable: true),
        Case("Gaussian spherical D=2", GaussianFamily.Create(CovarianceType.Spherical, 2, 1e-6), 3, "rr", 3, normalisable: true),
        Case("Gaussian full D=5", GaussianFamily.Create(CovarianceType.Full, 5, 1e-6), 3, "rrrrr", 20),
        Case("Gaussian tied D=3", GaussianFamily.Create(CovarianceType.Tied, 3, 1e-6), 2, "rrr", 9, shared: k => (k * 3) + 6),
        Case("Gaussian diagonal D=6", GaussianFamily.Create(CovarianceType.Diagonal, 6, 1e-6), 3, "rrrrrr", 12),
        Case("Gaussian spherical D=5", GaussianFamily.Create(CovarianceType.Spherical, 5, 1e-6), 2, "rrrrr", 6),
        Case("Student-t full D=2 fixed ν=8", new StudentTFamily(2, 1e-6, 8, DegreesOfFreedomEstimation.Fixed), 3, "rr", 5, normalisable: true, dependsOnCurrent: true),
        Case("Student-t diagonal D=3 per-component ν", new StudentTFamily(3, 1e-6, 10, DegreesOfFreedomEstimation.PerComponent, CovarianceType.Diagonal), 2, "rrr", 9, shared: k => (k * 6) + k, dependsOnCurrent: true),
        Case("Student-t tied D=3 shared ν", new StudentTFamily(3, 1e-6, 10, DegreesOfFreedomEstimation.Shared, CovarianceType.Tied), 2, "rrr", 9, shared: k => (k * 3) + 6 + 1, dependsOnCurrent: true),
        Case("Bernoulli D=4", new BernoulliFamily(4), 3, "bbbz", 4, normalisable: true),
        Case("Bernoulli D=9", new BernoulliFamily(9), 2, "bbbbbbbbz", 9, normalisable: true),
        Case("Bernoulli D=3 Beta(2,3)", new BernoulliFamily(3, new BernoulliPriors { Alpha = 2, Beta = 3 }), 2, "bbz", 3, normalisable: true, prior: true),
        Case("Categorical L=5", new CategoricalFamily(5), 3, "5", 4, normalisable: true),
        Case("Categorical L=3 Laplace", new CategoricalFamily(3, dirichletAlpha: 1), 2, "3", 2, normalisable: true, prior: true),
        Case("Poisson", new PoissonFamily(), 3, "n", 1, normalisable: true),
        Case(
            "Product Bernoulli+Categorical+Poisson",
            new ProductFamily(4, [Marginal.Bernoulli([0, 1]), Marginal.Categorical(2, 4), Marginal.Poisson(3)]),
            3,
            "bz4n",
            2 + 3 + 1,
            normalisable: true),
        Case(
            "Product Normal+Normal",
            new ProductFamily(2, [Marginal.Normal(1), Marginal.Normal(0)]),
            2,
            "rr",
            4,
            normalisable: true),
        Case(
            "Product Poisson+Normal+Categorical+Bernoulli",
            new ProductFamily(4, [Marginal.Poisson(0), Marginal.Normal(1), Marginal.Categorical(2, 3), Marginal.Bernoulli([3])]),
            3,
            "nr3b",
            1 + 2 + 2 + 1,
            normalisable: true),
        Case(
            "Product tied Gaussian+Bernoulli+Poisson",
            new ProductFamily(5, [Marginal.Gaussian([3, 0], CovarianceType.Tied), Marginal.Bernoulli([1, 4]), Marginal.Poisson(2)]),
            3,
            "rbnrb",
            5 + 2 + 1,
            shared: k => (k * 2) + 3 + (k * 2) + k),
        Case(
            "Product full Gaussian D=3+Categorical",
            new ProductFamily(4, [Marginal.Gaussian([0, 1, 2], CovarianceType.Full), Marginal.Categorical(3, 4)]),
            2,
            "rrr4",
            9 + 3),
        Case(
            "Product diagonal+spherical Gaussian blocks",
            new ProductFamily(5, [Marginal.Gaussian([4, 1], CovarianceType.Diagonal), Marginal.Gaussian([0, 2, 3], CovarianceType.Spherical)]),
            2,
            "rrrrr",
            4 + 4),
    ];

    /// <summary>Per-column mean and variance of a component, from its public parameters (sums over the support for discrete ones).</summary>
    public static (double[] Mean, double[] Variance) Moments(IComponent component)
    {
        switch (component)
        {
            case NormalComponent normal:
                return ([normal.Mean], [normal.Variance]);
            case GaussianComponent gaussian:
                {
                    var covariance = gaussian.GetCovariance();
                    return (gaussian.Mean.ToArray(), Enumerable.Range(0, gaussian.Dimension).Select(i => covariance[i, i]).ToArray());
                }

            case StudentTComponent t:
                {
                    // Variance ν/(ν − 2)·Σᵢᵢ (infinite for ν ≤ 2).
                    var scale = t.GetScale();
                    double factor = t.DegreesOfFreedom > 2 ? t.DegreesOfFreedom / (t.DegreesOfFreedom - 2) : double.PositiveInfinity;
                    return (t.Mean.ToArray(), Enumerable.Range(0, t.Dimension).Select(i => scale[i, i] * factor).ToArray());
                }

            case BernoulliComponent bernoulli:
                {
                    var p = bernoulli.Probabilities.ToArray();
                    return (p, p.Select(v => v * (1 - v)).ToArray());
                }

            case CategoricalComponent categorical:
                {
                    double m = 0, m2 = 0;
                    for (int l = 0; l < categorical.LevelCount; l++)
                    {
                        m += l * categorical.Probabilities[l];
                        m2 += (double)l * l * categorical.Probabilities[l];
                    }

                    return ([m], [m2 - (m * m)]);
                }

            case PoissonComponent poisson:
                return ([poisson.Rate], [poisson.Rate]);
            case ProductComponent product:
                {
                    var mean = new double[product.Dimension];
                    var variance = new double[product.Dimension];
                    for (int m = 0; m < product.Marginals.Count; m++)
                    {
                        var (mm, mv) = Moments(product.Marginals[m]);
                        var columns = product.ColumnsOf(m);
                        for (int j = 0; j < columns.Count; j++)
                        {
                            mean[columns[j]] = mm[j];
                            variance[columns[j]] = mv[j];
                        }
                    }

                    return (mean, variance);
                }

            default:
                throw new NotSupportedException(component.GetType().Name);
        }
    }

    /// <summary>
    /// One quadrature axis per column covering the component's support: every level with weight 1 for a discrete
    /// column, trapezoid nodes on μ ± 12σ for a real column.
    /// </summary>
    public static (double[] Nodes, double[] Weights, bool Discrete)[] Axes(IComponent component)
    {
        switch (component)
        {
            case NormalComponent normal:
                return [Trapezoid(normal.Mean, normal.StandardDeviation, 401)];
            case GaussianComponent gaussian:
                {
                    var (mean, variance) = Moments(gaussian);
                    return Enumerable.Range(0, gaussian.Dimension).Select(i => Trapezoid(mean[i], Math.Sqrt(variance[i]), 401)).ToArray();
                }

            case StudentTComponent t:
                {
                    var (mean, variance) = Moments(t);
                    return Enumerable.Range(0, t.Dimension).Select(i => Trapezoid(mean[i], Math.Sqrt(variance[i]), 401)).ToArray();
                }

            case BernoulliComponent bernoulli:
                return Enumerable.Range(0, bernoulli.Dimension).Select(_ => Levels(2)).ToArray();
            case CategoricalComponent categorical:
                return [Levels(categorical.LevelCount)];
            case PoissonComponent poisson:
                return [Levels((int)Math.Ceiling(poisson.Rate + (15 * Math.Sqrt(poisson.Rate)) + 40))];
            case ProductComponent product:
                {
                    var axes = new (double[], double[], bool)[product.Dimension];
                    for (int m = 0; m < product.Marginals.Count; m++)
                    {
                        var marginal = Axes(product.Marginals[m]);
                        var columns = product.ColumnsOf(m);
                        for (int j = 0; j < columns.Count; j++)
                        {
                            axes[columns[j]] = marginal[j];
                        }
                    }

                    return axes;
                }

            default:
                throw new NotSupportedException(component.GetType().Name);
        }
    }

    private static (double[] Nodes, double[] Weights, bool Discrete) Levels(int count) =>
        (Enumerable.Range(0, count).Select(l => (double)l).ToArray(), Enumerable.Repeat(1.0, count).ToArray(), true);

    private static (double[] Nodes, double[] Weights, bool Discrete) Trapezoid(double mean, double sd, int count)
    {
        double lo = mean - (12 * sd), h = 24 * sd / (count - 1);
        var nodes = new double[count];
        var weights = new double[count];
        for (int i = 0; i < count; i++)
        {
            nodes[i] = lo + (i * h);
            weights[i] = i == 0 || i == count - 1 ? h / 2 : h;
        }

        return (nodes, weights, false);
    }

    private static ContractCase Case<TComponent, TStatistics>(string name, IComponentFamily<TComponent, TStatistics> family, int k, string columns, int componentParameters, bool normalisable = false, Func<int, int>? shared = null, bool prior = false, bool dependsOnCurrent = false)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        if (columns.Length != family.Dimension)
        {
            throw new ArgumentException($"{name}: column code {columns} does not match dimension {family.Dimension}.", nameof(columns));
        }

        return new ContractCase
        {
            Name = name,
            Family = ContractFamily.From(family),
            ComponentCount = k,
            DrawRow = (random, cluster) => DrawRow(random, cluster, columns),
            ComponentParameterCount = componentParameters,
            SharedParameterCount = shared,
            Normalisable = normalisable,
            HasPrior = prior,
            StatisticsDependOnCurrent = dependsOnCurrent,
        };
    }

    private static double[] DrawRow(Random random, int k, string columns)
    {
        var row = new double[columns.Length];
        double? previous = null;
        for (int j = 0; j < columns.Length; j++)
        {
            char code = columns[j];
            switch (code)
            {
                case 'r' or 'o':
                    {
                        double z = Reference.StandardNormal(random);
                        double u = previous is { } p ? (0.6 * p) + (0.8 * z) : z;
                        previous = u;
                        double mean = (3.0 * k * (j % 2 == 0 ? 1 : -1)) + (0.5 * j) + (code == 'o' ? 1e5 : 0);
                        double sd = 0.6 + (0.3 * k) + (0.1 * j);
                        row[j] = mean + (sd * u);
                        break;
                    }

                case 'b':
                    row[j] = random.NextDouble() < 0.15 + (0.7 * (((2 * k) + j) % 4) / 3.0) ? 1 : 0;
                    break;
                case 'z':
                    row[j] = 0;
                    break;
                case 'n':
                    row[j] = PoissonDraw(random, new[] { 0.6, 3.5, 11.0 }[(k + j) % 3]);
                    break;
                case >= '2' and <= '9':
                    {
                        int levels = code - '0';
                        int used = levels >= 4 ? levels - 1 : levels;
                        int favourite = (k + j) % used;
                        double u = random.NextDouble() * (used + 4);
                        int level = u < 5 ? favourite : (int)(u - 5);
                        row[j] = level >= favourite && u >= 5 ? level + 1 : level;
                        break;
                    }

                default:
                    throw new ArgumentException($"Unknown column code {code}.", nameof(columns));
            }
        }

        return row;
    }

    /// <summary>Knuth's product-of-uniforms Poisson draw (independent of the library's sampler).</summary>
    private static int PoissonDraw(Random random, double rate)
    {
        double limit = Math.Exp(-rate), product = random.NextDouble();
        int count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }
}
