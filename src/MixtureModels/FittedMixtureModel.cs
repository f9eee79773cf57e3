using MixtureModels.Components;
using MixtureModels.Fitting;

namespace MixtureModels;

/// <summary>
/// A mixture returned by an estimator's <c>Fit</c> (<see cref="MixtureEstimator{TComponent, TStatistics}"/> and the presets): every query of <see cref="MixtureModel{TComponent}"/> plus how
/// the fit went (<see cref="Report"/>) and the labels of the training rows. Immutable and safe to share across threads.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
public class FittedMixtureModel<TComponent> : MixtureModel<TComponent>
    where TComponent : IComponent
{
    private readonly int[] _trainingLabels;

    internal FittedMixtureModel(FitOutcome<TComponent> outcome)
        : base(outcome.Weights, outcome.Components, outcome.ParameterCount, outcome.QueryKernel, outcome.Validator)
    {
        Report = outcome.Report;
        _trainingLabels = outcome.Labels;
        MissingValues = outcome.MissingValues;
    }

    /// <summary>What NaN means in this model's queries: as in the options it was fitted with.</summary>
    public override MissingValueHandling MissingValues { get; }

    /// <summary>How the fit went: convergence, iterations, lower bounds.</summary>
    public FitReport Report { get; }

    /// <summary>Whether EM converged before the iteration limit (scikit-learn's converged_).</summary>
    public bool Converged => Report.Converged;

    /// <summary>EM iterations run (scikit-learn's n_iter_).</summary>
    public int IterationCount => Report.IterationCount;

    /// <summary>The final lower bound (scikit-learn's lower_bound_); see <see cref="FitReport.LowerBound"/>.</summary>
    public double LowerBound => Report.LowerBound;

    /// <summary>Labels of the training rows from the final E-step (scikit-learn's fit_predict result); equal to <c>Predict(trainingData)</c>.</summary>
    public IReadOnlyList<int> TrainingLabels => Array.AsReadOnly(_trainingLabels);

    /// <summary>The parameters as a warm start for another fit.</summary>
    internal WarmStart<TComponent> ToWarmStart() => new([.. Weights], [.. Components], LowerBound);
}
