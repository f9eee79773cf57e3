using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Fitting;

namespace MixtureModels;

/// <summary>
/// A fitted mixture of multivariate Bernoulli distributions over binary rows: weights, per-component probabilities,
/// the fit's report and every query of <see cref="FittedMixtureModel{TComponent}"/>. Query data must be binary.
/// Immutable and safe to query from many threads at once.
/// </summary>
public sealed class BernoulliMixtureModel : FittedMixtureModel<BernoulliComponent>
{
    internal BernoulliMixtureModel(FitOutcome<BernoulliComponent> outcome)
        : base(outcome)
    {
    }

    /// <summary>Returns a new K × D matrix of the probabilities φ_kd = p(x_d = 1 | z = k).</summary>
    public Matrix<double> GetProbabilities() => Matrix<double>.Build.Dense(ComponentCount, Dimension, (k, d) => Components[k].Probabilities[d]);
}
