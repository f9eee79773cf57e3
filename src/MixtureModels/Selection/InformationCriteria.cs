namespace MixtureModels.Selection;

/// <summary>Information criteria for model selection: lower is better.</summary>
public static class InformationCriteria
{
    /// <summary>Bayesian information criterion, −2·log L + p·ln n.</summary>
    /// <param name="totalLogLikelihood">log L, the log-likelihood summed over the (weighted) rows.</param>
    /// <param name="parameterCount">p, the number of free parameters.</param>
    /// <param name="sampleSize">n, the number of (weighted) rows.</param>
    public static double Bayesian(double totalLogLikelihood, int parameterCount, double sampleSize) =>
        (-2.0 * totalLogLikelihood) + (parameterCount * Math.Log(sampleSize));

    /// <summary>Akaike information criterion, −2·log L + 2p.</summary>
    /// <param name="totalLogLikelihood">log L, the log-likelihood summed over the (weighted) rows.</param>
    /// <param name="parameterCount">p, the number of free parameters.</param>
    public static double Akaike(double totalLogLikelihood, int parameterCount) =>
        (-2.0 * totalLogLikelihood) + (2.0 * parameterCount);
}
