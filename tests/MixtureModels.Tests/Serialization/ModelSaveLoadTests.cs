using System.Reflection;
using System.Text;
using System.Text.Json;
using MixtureModels.Components.Gaussian;
using static MixtureModels.Tests.Serialization.SaveLoadFixtures;

namespace MixtureModels.Tests.Serialization;

/// <summary>Save and load of every fitted model kind: bit-exact round trips, identical queries, file helpers.</summary>
public sealed class ModelSaveLoadTests
{
    public static TheoryData<CovarianceType, bool> TypesAndMissing()
    {
        var data = new TheoryData<CovarianceType, bool>();
        foreach (var type in Enum.GetValues<CovarianceType>())
        {
            data.Add(type, false);
            data.Add(type, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TypesAndMissing))]
    public void Gaussian_round_trip_is_bit_exact(CovarianceType type, bool missing)
    {
        var model = Gaussian(type, missing);
        var loaded = RoundTrip(model, (m, s) => m.Save(s), GaussianMixtureModel.Load);

        loaded.CovarianceType.Should().Be(type);
        Bits(loaded.GetMeans().ToColumnMajorArray()).Should().Equal(Bits(model.GetMeans().ToColumnMajorArray()));
        for (int k = 0; k < model.ComponentCount; k++)
        {
            Bits(loaded.GetCovariance(k).ToColumnMajorArray()).Should().Equal(Bits(model.GetCovariance(k).ToColumnMajorArray()));
            Bits(loaded.GetPrecisionCholesky(k).ToColumnMajorArray()).Should().Equal(Bits(model.GetPrecisionCholesky(k).ToColumnMajorArray()));
        }

        ShouldMatch(loaded, model, Iris(missing));
        Bytes(loaded, (m, s) => m.Save(s)).Should().Equal(Bytes(model, (m, s) => m.Save(s)), "saving the loaded model writes the same file");
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    public void Gaussian_fitted_by_gradient_round_trips_bit_exact(CovarianceType type)
    {
        // L-BFGS builds full covariances from the precision Cholesky factor, not by factoring the covariance.
        var model = Gaussian(type, missing: false, FittingAlgorithm.ExpectationMaximizationThenLbfgs);
        var loaded = RoundTrip(model, (m, s) => m.Save(s), GaussianMixtureModel.Load);

        ShouldMatch(loaded, model, Iris(false));
    }

    [Fact]
    public void Tied_components_share_one_covariance_after_load()
    {
        var loaded = RoundTrip(Gaussian(CovarianceType.Tied, missing: true), (m, s) => m.Save(s), GaussianMixtureModel.Load);

        var first = (FullGaussian)loaded.Components[0];
        for (int k = 1; k < loaded.ComponentCount; k++)
        {
            var other = (FullGaussian)loaded.Components[k];
            (other.CovarianceSpan == first.CovarianceSpan).Should().BeTrue("component {0} shares the covariance array of component 0", k);
            (other.PrecisionCholeskySpan == first.PrecisionCholeskySpan).Should().BeTrue();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bernoulli_round_trip_is_bit_exact(bool missing)
    {
        var model = Bernoulli(missing);
        var loaded = RoundTrip(model, (m, s) => m.Save(s), BernoulliMixtureModel.Load);

        Bits(loaded.GetProbabilities().ToColumnMajorArray()).Should().Equal(Bits(model.GetProbabilities().ToColumnMajorArray()));
        ShouldMatch(loaded, model, Binary(missing));
        Bytes(loaded, (m, s) => m.Save(s)).Should().Equal(Bytes(model, (m, s) => m.Save(s)));
    }

    [Theory]
    [MemberData(nameof(TypesAndMissing))]
    public void Product_round_trip_with_every_marginal_kind_is_bit_exact(CovarianceType blockType, bool missing)
    {
        var model = Product(blockType, missing);
        var loaded = RoundTrip(model, (m, s) => m.Save(s), ProductMixtureModel.Load);

        loaded.Marginals.Select(m => m.Kind).Should().Equal(model.Marginals.Select(m => m.Kind));
        for (int m = 0; m < model.Marginals.Count; m++)
        {
            loaded.Marginals[m].Columns.Should().Equal(model.Marginals[m].Columns);
        }

        ShouldMatch(loaded, model, Mixed(missing));
        Bytes(loaded, (m, s) => m.Save(s)).Should().Equal(Bytes(model, (m, s) => m.Save(s)));
    }

    [Fact]
    public void Loaded_models_answer_fresh_data_like_the_originals()
    {
        var gaussian = Gaussian(CovarianceType.Full, missing: true);
        var fresh = gaussian.Sample(200, new Random(21)).Rows;
        SaveLoadFixtures.PunchHoles(fresh, 0.2, 5);
        ShouldMatch(RoundTrip(gaussian, (m, s) => m.Save(s), GaussianMixtureModel.Load), gaussian, fresh);

        var product = Product(CovarianceType.Tied, missing: true);
        var freshTable = Mixed(missing: true, rows: 97, seed: 77);
        ShouldMatch(RoundTrip(product, (m, s) => m.Save(s), ProductMixtureModel.Load), product, freshTable);

        var bernoulli = Bernoulli(missing: false);
        ShouldMatch(RoundTrip(bernoulli, (m, s) => m.Save(s), BernoulliMixtureModel.Load), bernoulli, Binary(missing: false, seed: 99));
    }

    [Fact]
    public void Loaded_models_validate_query_data_like_the_originals()
    {
        var product = Product(CovarianceType.Full, missing: false);
        var loadedProduct = RoundTrip(product, (m, s) => m.Save(s), ProductMixtureModel.Load);
        var table = Mixed(missing: false, rows: 10);
        table[3, 5] = 3; // not a level of the 3-level categorical column
        var expected = FluentActions.Invoking(() => product.LogDensity(table)).Should().Throw<ArgumentException>().Which.Message;
        FluentActions.Invoking(() => loadedProduct.LogDensity(table)).Should().Throw<ArgumentException>().Which.Message.Should().Be(expected);

        table = Mixed(missing: true, rows: 10);
        FluentActions.Invoking(() => loadedProduct.Predict(table)).Should().Throw<ArgumentException>("the model was fitted without missing-value support");

        var bernoulli = Bernoulli(missing: false);
        var loadedBernoulli = RoundTrip(bernoulli, (m, s) => m.Save(s), BernoulliMixtureModel.Load);
        var binary = Binary(missing: false);
        binary[0, 0] = 0.5;
        expected = FluentActions.Invoking(() => bernoulli.Predict(binary)).Should().Throw<ArgumentException>().Which.Message;
        FluentActions.Invoking(() => loadedBernoulli.Predict(binary)).Should().Throw<ArgumentException>().Which.Message.Should().Be(expected);
    }

    [Fact]
    public void File_path_helpers_write_the_stream_bytes_and_load_them()
    {
        string directory = Path.Combine(Path.GetTempPath(), "mm-saveload-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var gaussian = Gaussian(CovarianceType.Diagonal, missing: true);
            var bernoulli = Bernoulli(missing: true);
            var product = Product(CovarianceType.Spherical, missing: true);
            string g = Path.Combine(directory, "g.json"), b = Path.Combine(directory, "b.json"), p = Path.Combine(directory, "p.json");
            gaussian.Save(g);
            bernoulli.Save(b);
            product.Save(p);
            gaussian.Save(g); // overwrites

            File.ReadAllBytes(g).Should().Equal(Bytes(gaussian, (m, s) => m.Save(s)));
            File.ReadAllBytes(b).Should().Equal(Bytes(bernoulli, (m, s) => m.Save(s)));
            File.ReadAllBytes(p).Should().Equal(Bytes(product, (m, s) => m.Save(s)));
            ShouldMatch(GaussianMixtureModel.Load(g), gaussian, Iris(true));
            ShouldMatch(BernoulliMixtureModel.Load(b), bernoulli, Binary(true));
            ShouldMatch(ProductMixtureModel.Load(p), product, Mixed(true));
            FluentActions.Invoking(() => GaussianMixtureModel.Load(Path.Combine(directory, "absent.json"))).Should().Throw<FileNotFoundException>();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_file_carries_format_schema_and_library_versions_and_only_finite_parameters()
    {
        var bytes = Bytes(Product(CovarianceType.Tied, missing: true), (m, s) => m.Save(s));
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;

        root.GetProperty("format").GetString().Should().Be("MixtureModels.Model");
        root.GetProperty("schemaVersion").GetInt32().Should().Be(1);
        string? informational = typeof(ProductMixtureModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        informational.Should().NotBeNullOrEmpty();
        root.GetProperty("libraryVersion").GetString().Should().Be(informational, "the file records the version of the library that wrote it");
        root.GetProperty("kind").GetString().Should().Be("ProductMixtureModel");
        root.GetProperty("missingValues").GetString().Should().Be("Marginalize");
        root.GetProperty("marginals")[1].TryGetProperty("sharedCovariance", out _).Should().BeTrue("a tied block writes its covariance once");
        Encoding.UTF8.GetString(bytes).Should().NotContain("NaN").And.NotContain("Infinity");
    }

    [Fact]
    public void Argument_errors_name_the_parameter()
    {
        var model = Bernoulli(missing: false);
        FluentActions.Invoking(() => model.Save((Stream)null!)).Should().Throw<ArgumentNullException>().WithParameterName("stream");
        FluentActions.Invoking(() => model.Save(new MemoryStream([], writable: false))).Should().Throw<ArgumentException>().WithParameterName("stream");
        FluentActions.Invoking(() => model.Save(" ")).Should().Throw<ArgumentException>().WithParameterName("path");
        FluentActions.Invoking(() => BernoulliMixtureModel.Load((Stream)null!)).Should().Throw<ArgumentNullException>().WithParameterName("stream");
        FluentActions.Invoking(() => BernoulliMixtureModel.Load("")).Should().Throw<ArgumentException>().WithParameterName("path");
    }
}
