using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Fitting;

namespace MixtureModels.Serialization;

/// <summary>What every model file holds besides its kind's body, read and checked.</summary>
internal sealed record ModelEnvelope(
    int Dimension,
    int ComponentCount,
    int ParameterCount,
    MissingValueHandling MissingValues,
    double[] Weights,
    FitReport Report,
    int[] Labels)
{
    /// <summary>
    /// The fitted-model outcome for <paramref name="components"/> under <paramref name="family"/>, built exactly as a fit
    /// builds it; the file's parameter count must equal the one the family gives.
    /// </summary>
    public FitOutcome<TComponent> Outcome<TComponent, TStatistics>(IComponentFamily<TComponent, TStatistics> family, TComponent[] components)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        var outcome = MixtureEstimator<TComponent, TStatistics>.CreateOutcome(family, Weights, components, Report, Labels, MissingValues);
        int count = (ComponentCount - 1) + outcome.ParameterCount;
        if (count != ParameterCount)
        {
            throw ModelJsonReader.Invalid("$.parameterCount", string.Create(CultureInfo.InvariantCulture, $"the file says {ParameterCount} but the saved family and components have {count} free parameters."));
        }

        // Checked here, after the kind's body, so that a wrong component count is reported where the components are.
        CheckPerComponent(Report.ComponentRowCounts.Count, "$.report.componentRowCounts");
        CheckPerComponent(Report.ComponentDegeneracies.Count, "$.report.componentDegeneracies");
        return outcome;
    }

    private void CheckPerComponent(int length, string path)
    {
        if (length != 0 && length != ComponentCount)
        {
            throw ModelJsonReader.Invalid(path, string.Create(CultureInfo.InvariantCulture, $"the array has {length} elements but {ComponentCount} are expected."));
        }
    }
}
