using System.Text;
using System.Text.Json.Nodes;
using MixtureModels.Components;

namespace MixtureModels.Tests.Serialization;

/// <summary>Fitted models of every kind, their data, and bit-for-bit comparisons of a model and its saved-and-loaded copy.</summary>
internal static class SaveLoadFixtures
{
    /// <summary>Iris, with about 10% of entries set to NaN (every row keeps one observed entry) when <paramref name="missing"/>.</summary>
    public static double[,] Iris(bool missing, int seed = 11)
    {
        var x = TestData.Iris(out _);
        if (missing)
        {
            PunchHoles(x, 0.1, seed);
        }

        return x;
    }

    /// <summary>Sets entries to NaN with probability <paramref name="fraction"/>, keeping one observed entry per row.</summary>
    public static void PunchHoles(double[,] x, double fraction, int seed)
    {
        var random = new Random(seed);
        int n = x.GetLength(0), d = x.GetLength(1);
        for (int i = 0; i < n; i++)
        {
            int keep = random.Next(d);
            for (int j = 0; j < d; j++)
            {
                if (j != keep && random.NextDouble() < fraction)
                {
                    x[i, j] = double.NaN;
                }
            }
        }
    }

    public static GaussianMixtureModel Gaussian(CovarianceType type, bool missing, FittingAlgorithm algorithm = FittingAlgorithm.ExpectationMaximization) =>
        new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            Seed = 3,
            InitializationCount = 2,
            Algorithm = algorithm,
            CovariancePrior = type == CovarianceType.Diagonal ? new CovariancePrior(2, 0.5) : null,
            MissingValues = missing ? MissingValueHandling.Marginalize : MissingValueHandling.Reject,
        }).Fit(Iris(missing));

    /// <summary>300 binary rows of 8 columns from two prototypes, with NaN holes when <paramref name="missing"/>.</summary>
    public static double[,] Binary(bool missing, int seed = 4)
    {
        var random = new Random(seed);
        var x = new double[300, 8];
        for (int i = 0; i < 300; i++)
        {
            bool first = i % 3 == 0;
            for (int j = 0; j < 8; j++)
            {
                double p = first ? (j < 4 ? 0.9 : 0.15) : (j < 4 ? 0.2 : 0.8);
                x[i, j] = random.NextDouble() < p ? 1 : 0;
            }
        }

        if (missing)
        {
            PunchHoles(x, 0.1, seed + 1);
        }

        return x;
    }

    public static BernoulliMixtureModel Bernoulli(bool missing) =>
        new BernoulliMixture(new BernoulliMixtureOptions
        {
            ComponentCount = 2,
            Seed = 1,
            Priors = new BernoulliPriors { Alpha = 2, Beta = 3 },
            MissingValues = missing ? MissingValueHandling.Marginalize : MissingValueHandling.Reject,
        }).Fit(Binary(missing));

    /// <summary>
    /// A mixed table of 9 columns: normal (0), Gaussian block (1, 2), Bernoulli (3, 4), categorical with 3 levels (5),
    /// Poisson (6), a second normal with a prior (7) and a second Gaussian block (8, a one-column block).
    /// </summary>
    public static double[,] Mixed(bool missing, int rows = 240, int seed = 8)
    {
        var random = new Random(seed);
        var x = new double[rows, 9];
        for (int i = 0; i < rows; i++)
        {
            bool a = i % 2 == 0;
            double u = Gauss(random), v = Gauss(random);
            x[i, 0] = (a ? 1.0 : -2.0) + (0.5 * Gauss(random));
            x[i, 1] = (a ? 0.5 : -1.0) + u;
            x[i, 2] = (a ? 0.5 : -1.0) + (0.6 * u) + (0.8 * v);
            x[i, 3] = random.NextDouble() < (a ? 0.8 : 0.2) ? 1 : 0;
            x[i, 4] = random.NextDouble() < (a ? 0.3 : 0.7) ? 1 : 0;
            x[i, 5] = a ? random.Next(2) : 1 + random.Next(2);
            x[i, 6] = Poisson(random, a ? 6 : 1.5);
            x[i, 7] = (a ? 3.0 : 2.0) + Gauss(random);
            x[i, 8] = (a ? -1.0 : 1.0) + (0.7 * Gauss(random));
        }

        if (missing)
        {
            PunchHoles(x, 0.08, seed + 1);
        }

        return x;
    }

    public static IReadOnlyList<Marginal> MixedMarginals(CovarianceType blockType) =>
    [
        Marginal.Normal(0),
        Marginal.Gaussian([1, 2], blockType, 1e-5, blockType == CovarianceType.Diagonal ? new CovariancePrior(1, 0.3) : null),
        Marginal.Bernoulli([3, 4], new BernoulliPriors { Alpha = 1.5, Beta = 1.5 }),
        Marginal.Categorical(5, levelCount: 3, dirichletAlpha: 1),
        Marginal.Poisson(6),
        Marginal.Normal(7, 1e-4, new CovariancePrior(2, 1)),
        Marginal.Gaussian([8], CovarianceType.Spherical),
    ];

    public static ProductMixtureModel Product(CovarianceType blockType, bool missing) =>
        new ProductMixture(new ProductMixtureOptions
        {
            ComponentCount = 2,
            Seed = 6,
            Marginals = MixedMarginals(blockType),
            MissingValues = missing ? MissingValueHandling.Marginalize : MissingValueHandling.Reject,
        }).Fit(Mixed(missing));

    public static T RoundTrip<T>(T model, Action<T, Stream> save, Func<Stream, T> load)
    {
        using var stream = new MemoryStream();
        save(model, stream);
        stream.Position = 0;
        return load(stream);
    }

    public static byte[] Bytes<T>(T model, Action<T, Stream> save)
    {
        using var stream = new MemoryStream();
        save(model, stream);
        return stream.ToArray();
    }

    public static long[] Bits(IEnumerable<double> values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();

    public static long[] Bits(double[,] values) => Bits(values.Cast<double>());

    /// <summary>
    /// The loaded model equals the original bit for bit: the envelope (weights, report, labels, settings, parameter
    /// count) and every query on <paramref name="data"/> (log-density, responsibilities, labels, BIC, AIC, imputation
    /// when the model marginalises, and a seeded sample).
    /// </summary>
    public static void ShouldMatch<TComponent>(FittedMixtureModel<TComponent> loaded, FittedMixtureModel<TComponent> original, double[,] data)
        where TComponent : IComponent
    {
        loaded.ComponentCount.Should().Be(original.ComponentCount);
        loaded.Dimension.Should().Be(original.Dimension);
        loaded.ParameterCount.Should().Be(original.ParameterCount);
        loaded.MissingValues.Should().Be(original.MissingValues);
        Bits(loaded.Weights).Should().Equal(Bits(original.Weights));
        loaded.TrainingLabels.Should().Equal(original.TrainingLabels);
        loaded.Report.Converged.Should().Be(original.Report.Converged);
        loaded.Report.IterationCount.Should().Be(original.Report.IterationCount);
        loaded.Report.BestInitialization.Should().Be(original.Report.BestInitialization);
        Bits([loaded.Report.LowerBound, loaded.Report.TrainingLogLikelihood]).Should().Equal(Bits([original.Report.LowerBound, original.Report.TrainingLogLikelihood]));
        Bits(loaded.Report.LowerBoundHistory).Should().Equal(Bits(original.Report.LowerBoundHistory));
        Bits(loaded.Report.InitializationLowerBounds).Should().Equal(Bits(original.Report.InitializationLowerBounds));

        Bits(loaded.LogDensity(data)).Should().Equal(Bits(original.LogDensity(data)));
        Bits(loaded.PredictProbabilities(data)).Should().Equal(Bits(original.PredictProbabilities(data)));
        loaded.Predict(data).Should().Equal(original.Predict(data));
        Bits([loaded.BayesianInformationCriterion(data), loaded.AkaikeInformationCriterion(data), loaded.MeanLogLikelihood(data)])
            .Should().Equal(Bits([original.BayesianInformationCriterion(data), original.AkaikeInformationCriterion(data), original.MeanLogLikelihood(data)]));
        if (original.MissingValues == MissingValueHandling.Marginalize)
        {
            Bits(loaded.Impute(data)).Should().Equal(Bits(original.Impute(data)));
        }

        var a = loaded.Sample(50, new Random(9));
        var b = original.Sample(50, new Random(9));
        Bits(a.Rows).Should().Equal(Bits(b.Rows));
        a.Labels.Should().Equal(b.Labels);
    }

    /// <summary>Asserts that loading fails with an <see cref="InvalidDataException"/> whose message contains <paramref name="expected"/>.</summary>
    public static void ShouldReject(Func<object> load, string expected) =>
        FluentActions.Invoking(load).Should().Throw<InvalidDataException>().Which.Message.Should().Contain(expected);

    /// <summary>A readable stream over the UTF-8 bytes of <paramref name="json"/>.</summary>
    public static MemoryStream Stream(string json) => new(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses <paramref name="json"/>, applies <paramref name="edit"/> to its root object and writes it back.</summary>
    public static string Edit(string json, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        edit(root);
        return root.ToJsonString();
    }

    private static double Gauss(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static int Poisson(Random random, double rate)
    {
        double limit = Math.Exp(-rate), p = 1;
        int k = 0;
        while ((p *= random.NextDouble()) > limit)
        {
            k++;
        }

        return k;
    }
}
