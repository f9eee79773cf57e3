using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using MixtureModels.Tests.Serialization;

namespace MixtureModels.Tests.Components.Product;

/// <summary><c>GetMarginal&lt;T&gt;</c> returns the same objects as <c>Marginals[j]</c>, typed, and names the real type when asked for another.</summary>
public sealed class ProductComponentMarginalTests
{
    [Fact]
    public void Each_marginal_comes_back_typed_as_the_same_object()
    {
        var model = SaveLoadFixtures.Product(CovarianceType.Full, missing: false);
        foreach (var component in model.Components)
        {
            component.GetMarginal<NormalComponent>(0).Should().BeSameAs(component.Marginals[0]);
            component.GetMarginal<GaussianComponent>(1).Should().BeSameAs(component.Marginals[1]);
            component.GetMarginal<BernoulliComponent>(2).Should().BeSameAs(component.Marginals[2]);
            component.GetMarginal<CategoricalComponent>(3).Should().BeSameAs(component.Marginals[3]);
            component.GetMarginal<PoissonComponent>(4).Should().BeSameAs(component.Marginals[4]);
            component.GetMarginal<IComponent>(5).Should().BeSameAs(component.Marginals[5]);
            component.GetMarginal<GaussianComponent>(6).Dimension.Should().Be(1);
        }

        // The Poisson rate of the two groups (6 and 1.5 in the data) is readable without a cast.
        var rates = model.Components.Select(c => c.GetMarginal<PoissonComponent>(4).Rate).Order().ToArray();
        rates[0].Should().BeInRange(1.0, 2.2);
        rates[1].Should().BeInRange(5.0, 7.0);
    }

    [Fact]
    public void A_wrong_type_or_index_is_named()
    {
        var component = SaveLoadFixtures.Product(CovarianceType.Diagonal, missing: false).Components[0];
        ((Action)(() => component.GetMarginal<PoissonComponent>(0))).Should().Throw<InvalidCastException>()
            .WithMessage("Marginal 0 is a NormalComponent, not a PoissonComponent*GetMarginal<NormalComponent>(0)*");
        ((Action)(() => component.GetMarginal<NormalComponent>(7))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("index");
        ((Action)(() => component.GetMarginal<NormalComponent>(-1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("index");
    }
}
