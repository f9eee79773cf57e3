namespace MixtureModels;

/// <summary>How the parameters are optimised after the initialiser has produced a start.</summary>
public enum FittingAlgorithm
{
    /// <summary>Expectation–maximisation (the default): closed-form updates; a lower bound that never decreases when the M-step is exact (see <see cref="FitReport.LowerBoundHistory"/>).</summary>
    ExpectationMaximization,

    /// <summary>
    /// Direct minimisation of the mean negative log-likelihood (minus the log prior / W when the family has a prior) by
    /// L-BFGS over unconstrained parameters (softmax logits, free means, log-variances, log-Cholesky factors, logits,
    /// log-rates), on full passes over the data. For Gaussian components it runs in standardised coordinates (so the
    /// units of the columns do not matter), and a covariance that collapses (a constant column, repeated rows, with no
    /// <see cref="CovariancePrior"/>) throws <see cref="CovarianceNotPositiveDefiniteException"/>
    /// instead of returning a model with a vanishing variance: see <see cref="GradientOptions"/>.
    /// </summary>
    Lbfgs,

    /// <summary>The same objective minimised by Adam on minibatches of <see cref="GradientOptions.BatchRows"/> rows.</summary>
    Adam,

    /// <summary>
    /// EM until its tolerance or iteration limit, then polished by L-BFGS. Progress reports number on across the
    /// hand-over: within an initialisation, the first L-BFGS iteration follows EM's last.
    /// </summary>
    ExpectationMaximizationThenLbfgs,
}
