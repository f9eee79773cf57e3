using System.Globalization;
using MixtureModels.Components.StudentT;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// Settings of <see cref="StudentTMixture"/>: the shared <see cref="MixtureOptions"/> plus the scale-matrix
/// shape and regularisation, the degrees of freedom and how they are estimated, and an optional starting point.
/// </summary>
public sealed record StudentTMixtureOptions : MixtureOptions
{
    /// <summary>Shape of the scale matrices (default <see cref="CovarianceType.Full"/>; Diagonal, Spherical and Tied as for <see cref="GaussianMixtureOptions.CovarianceType"/>).</summary>
    public CovarianceType CovarianceType { get; init; } = CovarianceType.Full;

    /// <summary>Non-negative value added to every scale-matrix diagonal (like reg_covar, default 1e-6).</summary>
    public double CovarianceRegularization { get; init; } = 1e-6;

    /// <summary>
    /// The degrees of freedom ν (default 10): the fixed value with <see cref="DegreesOfFreedomEstimation.Fixed"/> (any
    /// finite positive value; 1e8 is practically Gaussian), otherwise the starting value, within
    /// [<see cref="StudentTFamily.MinimumDegreesOfFreedom"/>, <see cref="StudentTFamily.MaximumDegreesOfFreedom"/>].
    /// </summary>
    public double DegreesOfFreedom { get; init; } = 10;

    /// <summary>How ν is estimated (default <see cref="DegreesOfFreedomEstimation.PerComponent"/>).</summary>
    public DegreesOfFreedomEstimation DegreesOfFreedomEstimation { get; init; } = DegreesOfFreedomEstimation.PerComponent;

    /// <summary>
    /// Optional starting weights and/or components used by every initialisation (unless a warm start continues the
    /// previous fit). With <see cref="DegreesOfFreedomEstimation.Fixed"/>, the first M-step replaces the starting
    /// components' ν by <see cref="DegreesOfFreedom"/>.
    /// </summary>
    public MixtureStart<StudentTComponent>? Start { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        ValidateShared();
        if (!Enum.IsDefined(CovarianceType))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(CovarianceType), CovarianceType, "Use one of Full, Tied, Diagonal, Spherical.");
        }

        ArgumentChecks.NonNegative(CovarianceRegularization, nameof(CovarianceRegularization), "Use a finite, non-negative regularisation such as 1e-6.");
        if (!Enum.IsDefined(DegreesOfFreedomEstimation))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(DegreesOfFreedomEstimation), DegreesOfFreedomEstimation, "Use one of PerComponent, Shared, Fixed.");
        }

        StudentTComponent.CheckDegreesOfFreedom(DegreesOfFreedom, nameof(DegreesOfFreedom));
        if (DegreesOfFreedomEstimation != DegreesOfFreedomEstimation.Fixed
            && (DegreesOfFreedom < StudentTFamily.MinimumDegreesOfFreedom || DegreesOfFreedom > StudentTFamily.MaximumDegreesOfFreedom))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(DegreesOfFreedom), DegreesOfFreedom.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"An estimated ν starts within [{StudentTFamily.MinimumDegreesOfFreedom}, {StudentTFamily.MaximumDegreesOfFreedom}]; use a value such as 10, or DegreesOfFreedomEstimation.Fixed for a fixed ν outside it."));
        }
    }
}
