namespace MixtureModels.ConsumerTests;

/// <summary>Save and load through the packed library's public API only.</summary>
public sealed class SaveLoadTests
{
    [Fact]
    public void A_saved_product_model_loads_back_with_identical_queries()
    {
        var random = new Random(3);
        var table = new double[120, 3];
        for (int i = 0; i < 120; i++)
        {
            bool a = i % 2 == 0;
            table[i, 0] = (a ? 2.0 : -2.0) + random.NextDouble();
            table[i, 1] = random.NextDouble() < (a ? 0.8 : 0.2) ? 1 : 0;
            table[i, 2] = a ? random.Next(5) : 5 + random.Next(5);
        }

        var model = new ProductMixture(new ProductMixtureOptions
        {
            ComponentCount = 2,
            Marginals = [Marginal.Normal(0), Marginal.Bernoulli([1]), Marginal.Poisson(2)],
        }).Fit(table);

        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = ProductMixtureModel.Load(stream);

        loaded.LogDensity(table).Should().Equal(model.LogDensity(table));
        loaded.Predict(table).Should().Equal(model.Predict(table));
        loaded.ParameterCount.Should().Be(model.ParameterCount);
        stream.Position = 0;
        FluentActions.Invoking(() => GaussianMixtureModel.Load(stream)).Should().Throw<InvalidDataException>().WithMessage("*holds a ProductMixtureModel*");
    }
}
