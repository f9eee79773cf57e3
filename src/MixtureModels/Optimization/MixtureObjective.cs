using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Internal;

namespace MixtureModels.Optimization;

/// <summary>
/// The mean (sample-weighted) negative log marginal likelihood of a mixture as a function of one unconstrained vector
/// u = [softmax logits of the K weights, the family's unconstrained component parameters], with its analytic gradient.
/// One evaluation is one E-step pass of the engine (block-wise, parallel, deterministic): the gradient comes from the
/// same weighted sufficient statistics EM uses.
/// </summary>
internal sealed class MixtureObjective<TComponent>
    where TComponent : class, IComponent
{
    private readonly IReparameterization<TComponent> _reparameterization;
    private readonly EmEngine<TComponent> _engine;
    private readonly int _k;
    private ISufficientStatistics[][]? _chunkStatistics;

    public MixtureObjective(IComponentFamily<TComponent> family, EmEngine<TComponent> engine, int componentCount)
    {
        _reparameterization = family as IReparameterization<TComponent>
            ?? throw new NotSupportedException($"{family.GetType().Name} has no unconstrained parameterisation, so it cannot be fitted by gradient. Use EM.");
        _engine = engine;
        _k = componentCount;
    }

    /// <summary>Length of u.</summary>
    public int Length => _k + _reparameterization.UnconstrainedLength(_k);

    /// <summary>u for given weights and components: log-weights (softmax logits) then the components' vector.</summary>
    public double[] ToUnconstrained(double[] weights, TComponent[] components)
    {
        var u = new double[Length];
        for (int k = 0; k < _k; k++)
        {
            u[k] = Math.Log(weights[k]);
        }

        _reparameterization.ToUnconstrained(components, u.AsSpan(_k));
        return u;
    }

    /// <summary>Weights and components for u; false when u maps to overflowing parameters.</summary>
    public bool TryFromUnconstrained(ReadOnlySpan<double> u, out double[] weights, out TComponent[] components)
    {
        weights = new double[_k];
        Softmax.Compute(u[.._k], weights);
        components = new TComponent[_k];
        return Array.TrueForAll(weights, double.IsFinite) && _reparameterization.TryFromUnconstrained(u[_k..], components);
    }

    /// <summary>−(1/W) Σₙ wₙ log p(xₙ) at u, and its gradient; +∞ at a point that maps to invalid parameters.</summary>
    public double Evaluate(ReadOnlySpan<double> u, Span<double> gradient, CancellationToken cancellationToken)
    {
        if (!TryFromUnconstrained(u, out var weights, out var components))
        {
            return double.PositiveInfinity;
        }

        double meanLogLikelihood;
        ISufficientStatistics[] statistics;
        try
        {
            (meanLogLikelihood, statistics) = _engine.Statistics(weights, components, ref _chunkStatistics, cancellationToken);
        }
        catch (InvalidOperationException) when (!cancellationToken.IsCancellationRequested)
        {
            // A nearly singular covariance whose observed-entry sub-matrix cannot be factorised: an invalid point.
            return double.PositiveInfinity;
        }

        if (!double.IsFinite(meanLogLikelihood))
        {
            return double.PositiveInfinity;
        }

        double total = _engine.TotalWeight;
        double responsibilityTotal = 0;
        foreach (var s in statistics)
        {
            responsibilityTotal += s.TotalWeight;
        }

        // ∂/∂α_k of −(1/W) Σ w log Σ π p with π = softmax(α): −(N_k − π_k Σ_j N_j) / W.
        for (int k = 0; k < _k; k++)
        {
            gradient[k] = -(statistics[k].TotalWeight - (weights[k] * responsibilityTotal)) / total;
        }

        var componentGradient = gradient[_k..];
        _reparameterization.Gradient(statistics, components, componentGradient);
        for (int i = 0; i < componentGradient.Length; i++)
        {
            componentGradient[i] /= -total;
        }

        return -meanLogLikelihood;
    }
}
