using MixtureModels.Components;
using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// The mean (sample-weighted) negative log marginal likelihood of a mixture, penalised by the family's log prior, as a
/// function of one unconstrained vector u = [softmax logits of the K weights, the family's unconstrained component
/// parameters], with its analytic gradient: f(u) = −(1/W)·(Σₙ wₙ log p(xₙ) + s·log π(θ)). One evaluation is one E-step
/// pass of the engine (block-wise, parallel, deterministic): the gradient comes from the same weighted sufficient
/// statistics EM uses.
/// </summary>
/// <remarks>
/// The prior share s is 1 on the full data. A minibatch of weight W_b out of W uses s = W_b / W, so that its objective
/// is −(1/W_b)·Σ_b wₙ log p(xₙ) − log π / W and the minibatch objectives weighted by their shares W_b / W add up to the
/// full one exactly. Without a prior
/// (<see cref="IReparameterization{TComponent, TStatistics}.AddLogPrior"/> and the weight step's <see cref="IWeightStep.AddLogPrior"/> return 0) f is the plain mean negative log-likelihood.
/// </remarks>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The statistics type.</typeparam>
internal sealed class MixtureObjective<TComponent, TStatistics>
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    private readonly IReparameterization<TComponent, TStatistics> _reparameterization;
    private readonly IWeightStep _weightStep;
    private readonly EmEngine<TComponent, TStatistics> _engine;
    private readonly int _k;
    private readonly double _priorShare;

    /// <summary>Creates the objective over the data of <paramref name="engine"/>.</summary>
    /// <param name="family">The component family; it must implement <see cref="IReparameterization{TComponent, TStatistics}"/>.</param>
    /// <param name="weightStep">The weight step, whose log prior on π joins the objective.</param>
    /// <param name="engine">The engine over the (full or minibatch) data.</param>
    /// <param name="componentCount">K.</param>
    /// <param name="priorShare">s: 1 on the full data, W_b / W on a minibatch.</param>
    public MixtureObjective(IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, EmEngine<TComponent, TStatistics> engine, int componentCount, double priorShare = 1)
    {
        _reparameterization = family as IReparameterization<TComponent, TStatistics>
            ?? throw new NotSupportedException($"{family.GetType().Name} has no unconstrained parameterisation (IReparameterization), so it cannot be fitted by gradient. Use EM.");
        _weightStep = weightStep;
        _engine = engine;
        _k = componentCount;
        _priorShare = priorShare;
    }

    /// <summary>The mean log-likelihood (prior excluded) at the last point <see cref="Evaluate"/> found finite.</summary>
    public double LastMeanLogLikelihood { get; private set; } = double.NaN;

    /// <summary>The components at the last point <see cref="Evaluate"/> found finite (null before).</summary>
    public TComponent[]? LastComponents { get; private set; }

    /// <summary>The sample-weight total W of the engine's data.</summary>
    public double TotalWeight => _engine.TotalWeight;

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

    /// <summary>f(u) = −(1/W)·(Σₙ wₙ log p(xₙ) + s·log π) and its gradient; +∞ at a point that maps to invalid parameters.</summary>
    public double Evaluate(ReadOnlySpan<double> u, Span<double> gradient, CancellationToken cancellationToken)
    {
        if (!TryFromUnconstrained(u, out var weights, out var components))
        {
            return double.PositiveInfinity;
        }

        double meanLogLikelihood;
        TStatistics[] statistics;
        try
        {
            (meanLogLikelihood, statistics) = _engine.Statistics(weights, components, cancellationToken);
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
        double logPrior = _reparameterization.AddLogPrior(components, _priorShare, componentGradient);
        logPrior += _weightStep.AddLogPrior(weights, -_priorShare / total, gradient[.._k]);
        if (!double.IsFinite(logPrior))
        {
            return double.PositiveInfinity;
        }

        for (int i = 0; i < componentGradient.Length; i++)
        {
            componentGradient[i] /= -total;
        }

        LastMeanLogLikelihood = meanLogLikelihood;
        LastComponents = components;
        return -meanLogLikelihood - (_priorShare * logPrior / total);
    }
}
