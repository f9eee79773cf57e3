using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Numerics;
using MixtureModels.Selection;

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

    /// <summary>
    /// The Bayesian information criterion on the training data, from the fit alone: −2·n·L̄ + p·ln n, with L̄ =
    /// <see cref="FitReport.TrainingLogLikelihood"/> and n = <see cref="FitReport.TrainingWeight"/> (Σ of the sample
    /// weights as given, or N). Equal (up to rounding) to <c>BayesianInformationCriterion(trainingData, sampleWeights)</c>.
    /// Lower is better; mclust's BIC is its negative.
    /// </summary>
    public double BayesianInformationCriterion() => Criterion(InformationCriterion.Bayesian);

    /// <summary>The Akaike information criterion on the training data, from the fit alone: −2·n·L̄ + 2p (see <see cref="BayesianInformationCriterion()"/>).</summary>
    public double AkaikeInformationCriterion() => Criterion(InformationCriterion.Akaike);

    /// <summary>
    /// The integrated completed likelihood on the training data, from the fit alone: BIC + 2·n·Ē with Ē =
    /// <see cref="FitReport.ResponsibilityEntropy"/> (entropy form; see <see cref="InformationCriterion.IntegratedCompletedLikelihood"/>).
    /// </summary>
    public double IntegratedCompletedLikelihood() => Criterion(InformationCriterion.IntegratedCompletedLikelihood);

    /// <summary>One of the information criteria on the training data, from the fit alone (no pass over the data). Lower is better.</summary>
    /// <param name="criterion">Which criterion.</param>
    /// <returns>The criterion's value; NaN when the report lacks what it needs (a model file written before it was recorded).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="criterion"/> is not a defined value.</exception>
    public double Criterion(InformationCriterion criterion)
    {
        double n = Report.TrainingWeight;
        double logLikelihood = Report.TrainingLogLikelihood * n;
        return criterion switch
        {
            InformationCriterion.Bayesian => InformationCriteria.Bayesian(logLikelihood, ParameterCount, n),
            InformationCriterion.Akaike => InformationCriteria.Akaike(logLikelihood, ParameterCount),
            InformationCriterion.IntegratedCompletedLikelihood => InformationCriteria.IntegratedCompletedLikelihood(logLikelihood, ParameterCount, n, Report.ResponsibilityEntropy * n),
            _ => ThrowUndefined(criterion),
        };
    }

    private static double ThrowUndefined(InformationCriterion criterion)
    {
        ThrowHelper.ThrowArgumentOutOfRange(nameof(criterion), criterion, "Use InformationCriterion.Bayesian, .Akaike or .IntegratedCompletedLikelihood.");
        return double.NaN;
    }

    /// <summary>Labels of the training rows from the final E-step (scikit-learn's fit_predict result); equal to <c>Predict(trainingData)</c>.</summary>
    public IReadOnlyList<int> TrainingLabels => Array.AsReadOnly(_trainingLabels);

    /// <summary>The parameters as a warm start for another fit.</summary>
    /// <summary>
    /// Draws <paramref name="count"/> rows from a generator seeded with the fit's <see cref="MixtureOptions.Seed"/>
    /// (<see cref="FitReport.Seed"/>), as scikit-learn's <c>sample</c> uses its <c>random_state</c>: the same model gives
    /// the same rows on every call. For other draws pass a generator to <see cref="MixtureModel{TComponent}.Sample(int, Random)"/>.
    /// </summary>
    /// <param name="count">Number of rows, at least 1.</param>
    /// <returns>The rows (count × D) and the component each came from.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public MixtureSample Sample(int count) => Sample(count, new Random(Report.Seed));

    internal WarmStart<TComponent> ToWarmStart() => new([.. Weights], [.. Components], LowerBound);
}
