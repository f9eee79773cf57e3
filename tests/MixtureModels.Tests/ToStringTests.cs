using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Product;
using MixtureModels.Components.StudentT;
using MixtureModels.Numerics;

namespace MixtureModels.Tests;

public sealed class ToStringTests
{
    [Fact]
    public void Components_show_their_kind_and_parameters()
    {
        FullGaussian.WithMeanCovariance([1.5, -2], Matrix<double>.Build.DenseIdentity(2)).ToString().Should().Be("FullGaussian(D = 2, μ = [1.5, -2])");
        DiagonalGaussian.WithMeanVariances([0.25], [4]).ToString().Should().Be("DiagonalGaussian(D = 1, μ = [0.25])");
        BernoulliComponent.WithProbabilities([0.1, 0.9]).ToString().Should().Be("Bernoulli(D = 2, p = [0.1, 0.9])");
        StudentTComponent.Create([0, 1], Matrix<double>.Build.DenseIdentity(2), 4.5).ToString().Should().Be("StudentT(D = 2, ν = 4.5, μ = [0, 1])");
    }

    [Fact]
    public void Long_vectors_are_cut_after_six_entries()
    {
        DisplayText.Vector([1, 2, 3, 4, 5, 6]).Should().Be("[1, 2, 3, 4, 5, 6]");
        DisplayText.Vector([1, 2, 3, 4, 5, 6, 7]).Should().Be("[1, 2, 3, 4, 5, 6, …]");
        DisplayText.Vector([]).Should().Be("[]");
    }

    [Fact]
    public void A_product_component_lists_its_marginals_in_column_order()
    {
        IComponent[] marginals = [NormalComponent.WithMeanVariance(0, 1), CategoricalComponent.WithProbabilities([0.2, 0.3, 0.5])];
        var product = new ProductComponent(2, [[0], [1]], marginals);
        product.ToString().Should().Be($"Product({marginals[0]}, {marginals[1]})");
    }

    [Fact]
    public void A_fitted_model_shows_its_type_size_and_weights()
    {
        var model = new GaussianMixture(2).Fit(TestData.Faithful());
        string text = model.ToString();
        text.Should().StartWith("GaussianMixtureModel(K = 2, D = 2, π = [");
        foreach (double w in model.Weights)
        {
            text.Should().Contain(w.ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void A_variational_model_shows_its_size_and_expected_weights()
    {
        var model = new BayesianGaussianMixture(2).Fit(TestData.Faithful());
        string text = model.ToString();
        text.Should().StartWith("BayesianGaussianMixtureModel(K = 2, D = 2, E[π] = [");
        text.Should().Contain(model.Weights[0].ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_component_count_constructors_equal_the_options_constructors()
    {
        var x = TestData.Faithful();
        new KMeans(2).Fit(x).Inertia.Should().Be(new KMeans(new KMeansOptions { ClusterCount = 2 }).Fit(x).Inertia);
        ((Action)(() => _ = new KMeans(0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("ClusterCount");
        var marginals = new[] { Marginal.Normal(0), Marginal.Normal(1) };
        var a = new ProductMixture(2, marginals).Fit(x);
        var b = new ProductMixture(new ProductMixtureOptions { ComponentCount = 2, Marginals = marginals }).Fit(x);
        a.Weights.Should().Equal(b.Weights);
    }

    [Fact]
    public void A_kmeans_model_shows_its_size_and_inertia()
    {
        var model = new KMeans(3).Fit(TestData.Faithful());
        model.ToString().Should().Be(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"KMeansModel(K = 3, D = 2, inertia = {model.Inertia:G6})"));
    }

    [Fact]
    public void The_online_component_count_constructor_equals_the_options_constructor()
    {
        var x = TestData.Faithful();
        var a = new OnlineGaussianMixture(2).PartialFit(x);
        var b = new OnlineGaussianMixture(new GaussianMixtureOptions { ComponentCount = 2 }).PartialFit(x);
        a.Weights.Should().Equal(b.Weights);
        a.GetMeans().Should().Be(b.GetMeans());
        ((Action)(() => _ = new OnlineGaussianMixture(0))).Should().Throw<ArgumentOutOfRangeException>();
    }
}
