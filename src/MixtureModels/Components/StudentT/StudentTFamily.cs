using System.Globalization;
using MathNet.Numerics;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Components.StudentT;

/// <summary>
/// Multivariate Student-t components with full, diagonal, spherical or tied scale matrices, fitted by the EM algorithm of Peel and McLachlan
/// (2000). M-step, from <see cref="StudentTStatistics"/> computed under the current component:
/// μ = Σ r·u·x / Σ r·u, Σ = Σ r·u·(x − μ)(x − μ)ᵀ / Σ r + reg·I (reduced to its diagonal, or to the mean of its diagonal times I, for
/// diagonal and spherical scales; for tied scales, the sums over all components over Σ_k Σ r), and ν solving
/// −ψ(ν/2) + log(ν/2) + 1 + Σ r·(log u − u) / Σ r + ψ((ν₀ + D)/2) − log((ν₀ + D)/2) = 0 (ν₀ the current value),
/// by bisection on log ν within [<see cref="MinimumDegreesOfFreedom"/>, <see cref="MaximumDegreesOfFreedom"/>]
/// (the left side decreases in ν, so the bounded root is the maximiser of the expected log-likelihood over the
/// interval and EM still never decreases the likelihood). With <see cref="DegreesOfFreedomEstimation.Shared"/> the
/// sums run over all components; with <see cref="DegreesOfFreedomEstimation.Fixed"/> ν stays at
/// <see cref="DegreesOfFreedom"/>. The first M-step after an initialiser (no current component) uses u = 1 and
/// ν = <see cref="DegreesOfFreedom"/>.
/// </summary>
public sealed class StudentTFamily : IComponentFamily<StudentTComponent, StudentTStatistics>, IDegeneracyCheck<StudentTComponent>
{
    /// <summary>The smallest ν the estimation returns (0.5).</summary>
    public const double MinimumDegreesOfFreedom = 0.5;

    /// <summary>The largest ν the estimation returns (1000; beyond it a t component is practically Gaussian).</summary>
    public const double MaximumDegreesOfFreedom = 1000;

    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">Non-negative value added to every scale-matrix diagonal (like reg_covar).</param>
    /// <param name="degreesOfFreedom">The fixed ν, or the starting ν when it is estimated (then within [<see cref="MinimumDegreesOfFreedom"/>, <see cref="MaximumDegreesOfFreedom"/>]).</param>
    /// <param name="estimation">How ν is estimated.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range; the message names it and the fix.</exception>
    /// <param name="scaleType">Shape of the scale matrices: <see cref="CovarianceType.Full"/> (the default), <see cref="CovarianceType.Diagonal"/>, <see cref="CovarianceType.Spherical"/> or <see cref="CovarianceType.Tied"/> (one general matrix shared by all components).</param>
    public StudentTFamily(int dimension, double regularization, double degreesOfFreedom, DegreesOfFreedomEstimation estimation = DegreesOfFreedomEstimation.PerComponent, CovarianceType scaleType = CovarianceType.Full)
    {
        if (!Enum.IsDefined(scaleType))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(scaleType), scaleType, "Use one of Full, Tied, Diagonal, Spherical.");
        }

        ArgumentChecks.AtLeast(dimension, 1, nameof(dimension), "Use the data's column count, at least 1.");
        ArgumentChecks.NonNegative(regularization, nameof(regularization), "Use a finite, non-negative regularisation such as 1e-6.");
        if (!Enum.IsDefined(estimation))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(estimation), estimation, "Use one of PerComponent, Shared, Fixed.");
        }

        StudentTComponent.CheckDegreesOfFreedom(degreesOfFreedom, nameof(degreesOfFreedom));
        if (estimation != DegreesOfFreedomEstimation.Fixed && (degreesOfFreedom < MinimumDegreesOfFreedom || degreesOfFreedom > MaximumDegreesOfFreedom))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(degreesOfFreedom), degreesOfFreedom.ToString(CultureInfo.InvariantCulture), string.Create(CultureInfo.InvariantCulture, $"An estimated ν starts within [{MinimumDegreesOfFreedom}, {MaximumDegreesOfFreedom}]; use a value such as 10, or DegreesOfFreedomEstimation.Fixed for a fixed ν outside it."));
        }

        Dimension = dimension;
        Regularization = regularization;
        DegreesOfFreedom = degreesOfFreedom;
        Estimation = estimation;
        ScaleType = scaleType;
    }

    /// <summary>Shape of the scale matrices.</summary>
    public CovarianceType ScaleType { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>The value added to every scale-matrix diagonal.</summary>
    public double Regularization { get; }

    /// <summary>The fixed ν, or the starting ν when it is estimated.</summary>
    public double DegreesOfFreedom { get; }

    /// <summary>How ν is estimated.</summary>
    public DegreesOfFreedomEstimation Estimation { get; }

    /// <inheritdoc />
    /// <remarks>
    /// K·D locations, plus the scale matrices (full: K·D(D+1)/2, diagonal: K·D, spherical: K, tied: D(D+1)/2), plus K when
    /// ν is estimated per component or 1 when it is shared.
    /// </remarks>
    public int ParameterCount(int componentCount)
    {
        int d = Dimension, triangle = d * (d + 1) / 2;
        int scales = ScaleType switch
        {
            CovarianceType.Full => componentCount * triangle,
            CovarianceType.Diagonal => componentCount * d,
            CovarianceType.Spherical => componentCount,
            _ => triangle,
        };
        int degrees = Estimation switch
        {
            DegreesOfFreedomEstimation.PerComponent => componentCount,
            DegreesOfFreedomEstimation.Shared => 1,
            _ => 0,
        };
        return (componentCount * d) + scales + degrees;
    }

    /// <inheritdoc />
    /// <remarks>The statistics remember <paramref name="current"/>: its expected weights u enter every accumulated row.</remarks>
    public StudentTStatistics CreateStatistics(StudentTComponent? current) => new(Dimension, current);

    /// <inheritdoc />
    public void ResetStatistics(StudentTStatistics statistics, StudentTComponent? current)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        statistics.Reset(current);
    }

    /// <inheritdoc />
    public void Estimate(ReadOnlySpan<StudentTStatistics> statistics, Span<StudentTComponent> destination)
    {
        int d = Dimension;
        var degrees = new double[statistics.Length];
        if (Estimation == DegreesOfFreedomEstimation.Shared)
        {
            double data = 0, total = 0;
            bool haveCurrent = true;
            for (int k = 0; k < statistics.Length; k++)
            {
                var s = statistics[k];
                haveCurrent &= s.Current is not null;
                if (s.Current is not null)
                {
                    data += s.LogWeightTerm + (s.TotalWeight * CurrentTerm(s.Current.DegreesOfFreedom, d));
                    total += s.TotalWeight;
                }
            }

            double shared = haveCurrent && total > 0 ? Solve(data / total) : SharedStart(statistics);
            degrees.AsSpan().Fill(shared);
        }
        else
        {
            for (int k = 0; k < statistics.Length; k++)
            {
                var s = statistics[k];
                degrees[k] = Estimation == DegreesOfFreedomEstimation.Fixed || s.Current is null ? DegreesOfFreedom
                    : s.TotalWeight > 0 ? Solve((s.LogWeightTerm / s.TotalWeight) + CurrentTerm(s.Current.DegreesOfFreedom, d))
                    : s.Current.DegreesOfFreedom;
            }
        }

        int count = statistics.Length;
        var means = new double[count][];
        var scales = new double[count][];
        double pooledWeight = 0;
        for (int k = 0; k < count; k++)
        {
            var s = statistics[k];
            means[k] = new double[d];
            scales[k] = new double[d * d];
            s.CentredMoments(means[k], scales[k]);
            pooledWeight += s.TotalWeight + MixtureConstants.EmptyComponentWeight;
        }

        if (ScaleType == CovarianceType.Tied)
        {
            // One matrix: Σ_k Σ r·u·(x − μ_k)(x − μ_k)ᵀ / Σ_k Σ r, the same for every component.
            var pooled = new double[d * d];
            for (int k = 0; k < count; k++)
            {
                for (int i = 0; i < pooled.Length; i++)
                {
                    pooled[i] += scales[k][i];
                }
            }

            Finish(pooled, pooledWeight);
            for (int k = 0; k < count; k++)
            {
                scales[k] = k == 0 ? pooled : (double[])pooled.Clone();
            }
        }
        else
        {
            for (int k = 0; k < count; k++)
            {
                Finish(scales[k], statistics[k].TotalWeight + MixtureConstants.EmptyComponentWeight);
            }
        }

        for (int k = 0; k < count; k++)
        {
            if (!StudentTComponent.TryCreate(means[k], scales[k], degrees[k], out var component))
            {
                ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
            }

            destination[k] = component;
        }
    }

    /// <summary>Divides a scatter by the weight, reduces it to the family's shape and adds the regularisation.</summary>
    private void Finish(double[] scale, double weight)
    {
        int d = Dimension;
        for (int i = 0; i < scale.Length; i++)
        {
            scale[i] /= weight;
        }

        if (ScaleType is CovarianceType.Diagonal or CovarianceType.Spherical)
        {
            double mean = 0;
            for (int i = 0; i < d; i++)
            {
                mean += scale[(i * d) + i];
            }

            mean /= d;
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    if (i != j)
                    {
                        scale[(i * d) + j] = 0;
                    }
                    else if (ScaleType == CovarianceType.Spherical)
                    {
                        scale[(i * d) + j] = mean;
                    }
                }
            }
        }

        for (int i = 0; i < d; i++)
        {
            scale[(i * d) + i] += Regularization;
        }
    }

    /// <summary>With a shared ν and no current components: the current ν of the first component that has one, else the starting value.</summary>
    private double SharedStart(ReadOnlySpan<StudentTStatistics> statistics)
    {
        foreach (var s in statistics)
        {
            if (s.Current is not null)
            {
                return s.Current.DegreesOfFreedom;
            }
        }

        return DegreesOfFreedom;
    }

    /// <summary>ψ((ν₀ + D)/2) − log((ν₀ + D)/2): E[log u] − log u under the current component.</summary>
    private static double CurrentTerm(double currentDegrees, int d)
    {
        double half = (currentDegrees + d) / 2;
        return SpecialFunctions.DiGamma(half) - Math.Log(half);
    }

    /// <summary>
    /// The root in ν of log(ν/2) − ψ(ν/2) + 1 + <paramref name="constant"/> = 0 within the bounds, by bisection on
    /// log ν (the left side decreases in ν); the nearer bound when there is no root inside.
    /// </summary>
    internal static double Solve(double constant)
    {
        static double F(double nu, double c) => Math.Log(nu / 2) - SpecialFunctions.DiGamma(nu / 2) + 1 + c;

        if (F(MaximumDegreesOfFreedom, constant) >= 0)
        {
            return MaximumDegreesOfFreedom;
        }

        if (F(MinimumDegreesOfFreedom, constant) <= 0)
        {
            return MinimumDegreesOfFreedom;
        }

        double lo = Math.Log(MinimumDegreesOfFreedom), hi = Math.Log(MaximumDegreesOfFreedom);
        for (int iteration = 0; iteration < 200 && hi - lo > 1e-14; iteration++)
        {
            double mid = 0.5 * (lo + hi);
            if (F(Math.Exp(mid), constant) > 0)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return Math.Exp(0.5 * (lo + hi));
    }

    /// <inheritdoc />
    /// <remarks>
    /// As for Gaussians, with the scale matrix in place of the covariance: <see cref="ComponentDegeneracy.VarianceAtFloor"/>
    /// when its smallest eigenvalue is within <see cref="DegeneracyThresholds.FloorFactor"/> of <see cref="Regularization"/>
    /// (or below <see cref="DegeneracyThresholds.RelativeFloor"/> × the largest); <see cref="ComponentDegeneracy.TooFewRows"/>
    /// below D + 1 effective rows for full scales, 2 for diagonal and spherical, 1 for tied.
    /// </remarks>
    /// <exception cref="ArgumentException">The spans do not have one entry per component.</exception>
    public void CheckDegeneracy(ReadOnlySpan<StudentTComponent> components, ReadOnlySpan<double> effectiveRowCounts, Span<ComponentDegeneracy> destination)
    {
        DegeneracyArguments.Check(components.Length, effectiveRowCounts.Length, destination.Length);
        double needed = ScaleType switch
        {
            CovarianceType.Full => Dimension + 1,
            CovarianceType.Tied => 1,
            _ => 2,
        };
        for (int k = 0; k < components.Length; k++)
        {
            ArgumentNullException.ThrowIfNull(components[k], nameof(components));
            var (smallest, largest) = SymmetricEigenvalues.Extremes(components[k].ScaleSpan, components[k].Dimension);
            var flags = DegeneracyThresholds.IsAtFloor(smallest, largest, Regularization) ? ComponentDegeneracy.VarianceAtFloor : ComponentDegeneracy.None;
            if (!(effectiveRowCounts[k] >= needed))
            {
                flags |= ComponentDegeneracy.TooFewRows;
            }

            destination[k] = flags;
        }
    }
}
