namespace MixtureModels.Selection;

/// <summary>A Monte Carlo estimate of KL(p‖q) = E_p[log p(x) − log q(x)] (see <see cref="MixtureComparison.KullbackLeibler"/>).</summary>
/// <param name="Value">The mean of log p(xᵢ) − log q(xᵢ) over the draws xᵢ ~ p (nats). +∞ when q gives a draw zero density.</param>
/// <param name="StandardError">The standard error of <paramref name="Value"/>: the draws' sample standard deviation / √n.</param>
/// <param name="SampleCount">The number of draws n.</param>
public sealed record KullbackLeiblerEstimate(double Value, double StandardError, int SampleCount);
