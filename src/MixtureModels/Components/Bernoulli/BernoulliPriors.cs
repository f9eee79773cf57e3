using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// Options of the Bernoulli M-step: an optional Beta(α, β) prior on every probability φ_kd (maximum a posteriori
/// estimation) and the clamp ε that keeps every probability inside [ε, 1 − ε].
/// </summary>
/// <remarks>
/// <para>
/// The M-step is φ_kd = (Σₙ rₙₖ·xₙd + α − 1) / (Nₖ + α + β − 2), then clamped into [ε, 1 − ε]. With the defaults
/// α = β = 1 (a uniform prior) this is plain maximum likelihood, the weighted column mean.
/// </para>
/// <para>
/// The clamp is needed because a column that is 0 in every row of a component would otherwise get φ = 0: its log-odds
/// log(φ/(1 − φ)) would be −∞, and every later row with a 1 in that column would have density exactly 0 under the
/// component (log-density −∞), so the component could never take that row, and a mixture of such components can give
/// a row zero likelihood. The default ε = 1e-10 keeps log φ ≥ −23.03, so a log-density over D columns stays finite
/// while the clamp moves an estimate by at most 1e-10.
/// </para>
/// </remarks>
public sealed record BernoulliPriors
{
    /// <summary>The default clamp ε = 1e-10 of <see cref="Epsilon"/>.</summary>
    public const double DefaultEpsilon = 1e-10;

    private readonly double _alpha = 1;
    private readonly double _beta = 1;
    private readonly double _epsilon = DefaultEpsilon;

    /// <summary>Plain maximum likelihood: α = β = 1, ε = 1e-10.</summary>
    public static BernoulliPriors MaximumLikelihood { get; } = new();

    /// <summary>
    /// Pseudo-count α of the Beta(α, β) prior: α − 1 extra ones per column and component. Finite and at least 1;
    /// default 1 (no prior). Values below 1 would put the prior's mode at 0 or 1 and are not accepted.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or not finite.</exception>
    public double Alpha
    {
        get => _alpha;
        init => _alpha = PseudoCount(value, nameof(Alpha));
    }

    /// <summary>
    /// Pseudo-count β of the Beta(α, β) prior: β − 1 extra zeros per column and component. Finite and at least 1;
    /// default 1 (no prior).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or not finite.</exception>
    public double Beta
    {
        get => _beta;
        init => _beta = PseudoCount(value, nameof(Beta));
    }

    /// <summary>
    /// Every estimated probability is clamped into [ε, 1 − ε]; 0 &lt; ε &lt; 0.5, default 1e-10
    /// (<see cref="DefaultEpsilon"/>). See the remarks of <see cref="BernoulliPriors"/> for why.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in (0, 0.5).</exception>
    public double Epsilon
    {
        get => _epsilon;
        init
        {
            if (!(value > 0 && value < 0.5))
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(Epsilon), value, "Use a clamp strictly between 0 and 0.5, such as the default 1e-10.");
            }

            _epsilon = value;
        }
    }

    /// <summary>Whether this is plain maximum likelihood (α = β = 1).</summary>
    public bool IsMaximumLikelihood => _alpha == 1 && _beta == 1;

    /// <summary>The mean α/(α + β) of the prior: the probability of an empty component under maximum likelihood.</summary>
    public double PriorMean => _alpha / (_alpha + _beta);

    private static double PseudoCount(double value, string name)
    {
        if (!(value >= 1) || !double.IsFinite(value))
        {
            ThrowHelper.ThrowArgumentOutOfRange(name, value, $"Use a finite Beta prior pseudo-count of at least 1 ({name} = 1 means no prior; larger values pull the probabilities towards the prior mean).");
        }

        return value;
    }
}
