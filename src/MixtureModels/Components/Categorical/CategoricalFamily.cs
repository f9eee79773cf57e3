using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Categorical;

/// <summary>
/// Categorical components over one column with L levels: the values 0, …, L − 1, or the values given to
/// <see cref="CategoricalFamily(IReadOnlyList{double}, double)"/> (for example 4, 6 and 8 cylinders). The M-step is the weighted maximum-likelihood
/// (α = 0) or Dirichlet-smoothed estimate π_l = (c_l + α) / (W + L·α), then floored at <see cref="MinimumProbability"/>
/// and renormalised to sum to 1.
/// </summary>
/// <remarks>
/// The floor gives every level, including one never seen in a component's data, a finite log-probability; every
/// estimated probability is at least ε / (1 + L·ε) with ε = <see cref="MinimumProbability"/>. An empty component
/// (W + L·α = 0) gets the uniform distribution 1 / L. With α &gt; 0 the M-step maximises the posterior, so a mixture's
/// reported lower bound (the mean log-likelihood alone) may fall slightly between iterations.
/// </remarks>
public sealed class CategoricalFamily : IComponentFamily<CategoricalComponent, CategoricalStatistics>, IReparameterization<CategoricalComponent, CategoricalStatistics>, IComponentPrior<CategoricalComponent>
{
    /// <summary>ε = 1e-10, the floor applied to every estimated probability before renormalising.</summary>
    public const double MinimumProbability = 1e-10;

    /// <summary>Creates the family.</summary>
    /// <param name="levelCount">L, the number of levels (at least 1); the column holds the integers 0, …, L − 1.</param>
    /// <param name="dirichletAlpha">α, finite and non-negative: the pseudo-count added to every level (0 = maximum likelihood, 1 = Laplace smoothing).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="levelCount"/> is less than 1, or <paramref name="dirichletAlpha"/> is negative or not finite.</exception>
#pragma warning disable RS0027 // shipped with its optional α; the constructor with level values differs in its first parameter's type, so no call is ambiguous
    public CategoricalFamily(int levelCount, double dirichletAlpha = 0)
#pragma warning restore RS0027
    {
        ArgumentChecks.AtLeast(levelCount, 1, nameof(levelCount), "Use the number of levels of the column (at least 1).");
        ArgumentChecks.NonNegative(dirichletAlpha, nameof(dirichletAlpha), "Use a finite, non-negative pseudo-count such as 0 (maximum likelihood) or 1 (Laplace smoothing).");
        LevelCount = levelCount;
        DirichletAlpha = dirichletAlpha;
    }

    /// <summary>Creates the family for a column whose values are <paramref name="levels"/>: level l is the value levels[l].</summary>
    /// <param name="levels">The values the column takes, at least one, finite and strictly increasing (for example [4, 6, 8]).</param>
    /// <param name="dirichletAlpha">α, finite and non-negative: the pseudo-count added to every level (0 = maximum likelihood).</param>
    /// <exception cref="ArgumentNullException"><paramref name="levels"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="levels"/> is empty, holds a non-finite value, or is not strictly increasing.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dirichletAlpha"/> is negative or not finite.</exception>
    public CategoricalFamily(IReadOnlyList<double> levels, double dirichletAlpha)
        : this(CheckedLevels(levels).Length, dirichletAlpha)
    {
        LevelValues = CategoricalLevels.Parse(levels.ToArray(), nameof(levels));
    }

    /// <summary>Number of levels L.</summary>
    public int LevelCount { get; }

    /// <summary>The value of every level, strictly increasing: 0, 1, …, L − 1 unless the family was created with other values.</summary>
    public IReadOnlyList<double> Levels => CategoricalLevels.AsList(LevelValues, LevelCount);

    /// <summary>The stored level values (null for 0, …, L − 1).</summary>
    internal double[]? LevelValues { get; }

    /// <summary>The symmetric Dirichlet pseudo-count α added to every level's weighted count.</summary>
    public double DirichletAlpha { get; }

    /// <summary>Always 1: the family models one column.</summary>
    public int Dimension => 1;

    /// <summary>K·(L − 1).</summary>
    /// <param name="componentCount">K, non-negative.</param>
    /// <returns>K·(L − 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="componentCount"/> is negative.</exception>
    public int ParameterCount(int componentCount)
    {
        ArgumentChecks.AtLeast(componentCount, 0, nameof(componentCount), "Use a non-negative number of components.");
        return componentCount * (LevelCount - 1);
    }

    /// <summary>Creates empty <see cref="CategoricalStatistics"/> with <see cref="LevelCount"/> levels.</summary>
    /// <param name="current">Ignored: categorical statistics need no reference point.</param>
    /// <returns>The accumulator.</returns>
    public CategoricalStatistics CreateStatistics(CategoricalComponent? current) => new CategoricalStatistics(LevelCount, LevelValues);

    /// <summary>Clears <paramref name="statistics"/>.</summary>
    /// <param name="statistics">Statistics created by <see cref="CreateStatistics"/>.</param>
    /// <param name="current">Ignored: categorical statistics need no reference point.</param>
    /// <exception cref="ArgumentException"><paramref name="statistics"/> is not a <see cref="CategoricalStatistics"/> with <see cref="LevelCount"/> levels.</exception>
    public void ResetStatistics(CategoricalStatistics statistics, CategoricalComponent? current) => Check(statistics, 0).Clear();

    /// <summary>Writes the smoothed, floored, renormalised probabilities of every accumulator as a component.</summary>
    /// <param name="statistics">K <see cref="CategoricalStatistics"/> with <see cref="LevelCount"/> levels.</param>
    /// <param name="destination">Receives K components; at least as long as <paramref name="statistics"/>.</param>
    /// <exception cref="ArgumentException">An accumulator is of another kind or level count, or <paramref name="destination"/> is too short.</exception>
    public void Estimate(ReadOnlySpan<CategoricalStatistics> statistics, Span<CategoricalComponent> destination)
    {
        if (destination.Length < statistics.Length)
        {
            ThrowHelper.ThrowArgument(nameof(destination), string.Create(CultureInfo.InvariantCulture, $"destination has length {destination.Length} but there are {statistics.Length} accumulators. Pass one slot per accumulator."));
        }

        for (int k = 0; k < statistics.Length; k++)
        {
            destination[k] = CategoricalComponent.FromOwnedArray(EstimateProbabilities(Check(statistics[k], k)), LevelValues);
        }
    }

    /// <summary>π_l = (c_l + α) / (W + L·α), floored at ε and renormalised; uniform when W + L·α = 0.</summary>
    internal double[] EstimateProbabilities(CategoricalStatistics statistics)
    {
        int levels = LevelCount;
        var p = new double[levels];
        var counts = statistics.WeightedCounts;
        double alpha = DirichletAlpha;
        double denominator = statistics.TotalWeight + (levels * alpha);
        if (!(denominator > 0))
        {
            Array.Fill(p, 1.0 / levels);
            return p;
        }

        double sum = 0;
        for (int l = 0; l < levels; l++)
        {
            double value = (counts[l] + alpha) / denominator;
            p[l] = value >= MinimumProbability ? value : MinimumProbability;
            sum += p[l];
        }

        for (int l = 0; l < levels; l++)
        {
            p[l] /= sum;
        }

        return p;
    }

    /// <summary>
    /// K·L: softmax logits η_kl with π_kl = e^(η_kl) / Σ_m e^(η_km), component-major. One logit per component is
    /// redundant (adding a constant to all L leaves π unchanged), so the objective is flat along that direction and the
    /// gradient is orthogonal to it (its L entries sum to 0).
    /// </summary>
    int IReparameterization<CategoricalComponent, CategoricalStatistics>.UnconstrainedLength(int componentCount) => checked(componentCount * LevelCount);

    /// <summary>Writes η_kl = log π_kl (the representative whose exponentials sum to 1).</summary>
    void IReparameterization<CategoricalComponent, CategoricalStatistics>.ToUnconstrained(ReadOnlySpan<CategoricalComponent> components, Span<double> destination)
    {
        int levels = LevelCount;
        for (int k = 0; k < components.Length; k++)
        {
            components[k].LogProbabilities.CopyTo(destination.Slice(k * levels, levels));
        }
    }

    /// <summary>
    /// π = softmax(η) (computed after subtracting the largest logit, so it cannot overflow), then floored at
    /// ε / (1 + L·ε), the smallest probability the M-step stores (ε = <see cref="MinimumProbability"/>), and renormalised.
    /// False only for a NaN or infinite logit.
    /// </summary>
    bool IReparameterization<CategoricalComponent, CategoricalStatistics>.TryFromUnconstrained(ReadOnlySpan<double> values, Span<CategoricalComponent> destination)
    {
        int levels = LevelCount;
        double floor = MinimumProbability / (1 + (levels * MinimumProbability));
        for (int k = 0; k < destination.Length; k++)
        {
            var logits = values.Slice(k * levels, levels);
            foreach (double eta in logits)
            {
                if (!double.IsFinite(eta))
                {
                    return false;
                }
            }

            var p = new double[levels];
            Softmax.Compute(logits, p);
            double floored = 0;
            for (int l = 0; l < levels; l++)
            {
                p[l] = p[l] >= floor ? p[l] : floor;
                floored += p[l];
            }

            for (int l = 0; l < levels; l++)
            {
                p[l] /= floored;
            }

            destination[k] = CategoricalComponent.FromOwnedArray(p, LevelValues);
        }

        return true;
    }

    /// <summary>
    /// ∂F/∂η_kl = c_kl − W_k·π_kl, with W_k the weight of the rows in which the column was observed (missing rows add
    /// nothing to categorical statistics). The probability floor is ignored: this is the gradient of the plain softmax.
    /// </summary>
    void IReparameterization<CategoricalComponent, CategoricalStatistics>.Gradient(ReadOnlySpan<CategoricalStatistics> statistics, ReadOnlySpan<CategoricalComponent> components, Span<double> destination)
    {
        int levels = LevelCount;
        for (int k = 0; k < components.Length; k++)
        {
            var s = Check(statistics[k], k);
            var counts = s.WeightedCounts;
            var probabilities = components[k].Probabilities;
            double w = s.TotalWeight;
            for (int l = 0; l < levels; l++)
            {
                destination[(k * levels) + l] = counts[l] - (w * probabilities[l]);
            }
        }
    }

    /// <summary>
    /// The symmetric Dirichlet(α + 1) prior behind <see cref="DirichletAlpha"/>: α·Σ_kl log π_kl, whose logit gradient is
    /// α·(1 − L·π_kl); 0 when α = 0. With the likelihood gradient it vanishes exactly at the M-step's
    /// π = (c + α) / (W + L·α).
    /// </summary>
    double IReparameterization<CategoricalComponent, CategoricalStatistics>.AddLogPrior(ReadOnlySpan<CategoricalComponent> components, double scale, Span<double> destination)
    {
        double alpha = DirichletAlpha;
        if (alpha == 0)
        {
            return 0;
        }

        int levels = LevelCount;
        double value = 0;
        for (int k = 0; k < components.Length; k++)
        {
            var probabilities = components[k].Probabilities;
            for (int l = 0; l < levels; l++)
            {
                value += alpha * Math.Log(probabilities[l]);
                destination[(k * levels) + l] += scale * alpha * (1 - (levels * probabilities[l]));
            }
        }

        return value;
    }

    private CategoricalStatistics Check(CategoricalStatistics statistics, int index)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.LevelCount == LevelCount)
        {
            return statistics;
        }

        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"statistics[{index}] has {statistics.LevelCount} levels but this family has {LevelCount} levels. Pass accumulators created by this family's CreateStatistics."),
            nameof(statistics));
    }

    /// <inheritdoc />
    double IComponentPrior<CategoricalComponent>.LogPrior(ReadOnlySpan<CategoricalComponent> components) => LogPriorValue.Of(this, components);

    private static double[] CheckedLevels(IReadOnlyList<double> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var values = levels.ToArray();
        CategoricalLevels.Parse(values, nameof(levels));
        return values;
    }
}
