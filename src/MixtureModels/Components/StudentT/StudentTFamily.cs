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
/// <para>
/// For the gradient algorithms (<see cref="IReparameterization{TComponent, TStatistics}"/>) the unconstrained vector holds,
/// per component, μ_k, then its scale (full: the upper triangle of the precision Cholesky factor P_k row by row with
/// log Pᵢᵢ on the diagonal; diagonal: log Σ_jj; spherical: log σ²), then log ν_k when ν is estimated per component;
/// after the K blocks come the shared parameters: the tied P (same packing) and log ν when it is shared. A fixed ν
/// stays at <see cref="DegreesOfFreedom"/>. The gradient is that of the observed-data log-likelihood (Fisher's
/// identity over the latent weights u): the statistics computed under the current components give it in closed form.
/// Unlike EM, the gradient algorithms do not bound ν to [<see cref="MinimumDegreesOfFreedom"/>, <see cref="MaximumDegreesOfFreedom"/>].
/// </para>
/// </summary>
public sealed class StudentTFamily : IComponentFamily<StudentTComponent, StudentTStatistics>, IDegeneracyCheck<StudentTComponent>, IReparameterization<StudentTComponent, StudentTStatistics>, IStandardizedReparameterization<StudentTComponent>, IBlockKernelSource<StudentTComponent, StudentTStatistics>
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

    /// <inheritdoc />
    /// <remarks>A kernel that computes a block's distances and scatter with the vectorised full-covariance kernels.</remarks>
    IBlockKernel<StudentTComponent, StudentTStatistics>? IBlockKernelSource<StudentTComponent, StudentTStatistics>.CreateBlockKernel(int componentCount) =>
        new StudentTBlockKernel(Dimension, componentCount);

    /// <inheritdoc />
    int IReparameterization<StudentTComponent, StudentTStatistics>.UnconstrainedLength(int componentCount) => ParameterCount(componentCount);

    /// <inheritdoc />
    void IReparameterization<StudentTComponent, StudentTStatistics>.ToUnconstrained(ReadOnlySpan<StudentTComponent> components, Span<double> destination)
    {
        int d = Dimension, block = ComponentBlock, scaleLength = ScaleLength;
        for (int k = 0; k < components.Length; k++)
        {
            var c = components[k];
            var target = destination.Slice(k * block, block);
            c.Mean.CopyTo(target);
            PackScale(c, target.Slice(d, scaleLength));
            if (Estimation == DegreesOfFreedomEstimation.PerComponent)
            {
                target[block - 1] = Math.Log(c.DegreesOfFreedom);
            }
        }

        var shared = destination[(components.Length * block)..];
        if (ScaleType == CovarianceType.Tied)
        {
            GaussianReparameterization.PackPrecisionCholesky(components[0].PrecisionCholeskySpan, d, shared);
            shared = shared[GaussianReparameterization.TriangleLength(d)..];
        }

        if (Estimation == DegreesOfFreedomEstimation.Shared)
        {
            shared[0] = Math.Log(components[0].DegreesOfFreedom);
        }
    }

    /// <inheritdoc />
    bool IReparameterization<StudentTComponent, StudentTStatistics>.TryFromUnconstrained(ReadOnlySpan<double> values, Span<StudentTComponent> destination)
    {
        int d = Dimension, block = ComponentBlock, scaleLength = ScaleLength, count = destination.Length;
        if (count == 0 || !GaussianReparameterization.AllFinite(values[..ParameterCount(count)]))
        {
            return false;
        }

        var shared = values[(count * block)..];
        StudentTComponent? tied = null;
        if (ScaleType == CovarianceType.Tied)
        {
            var p = GaussianReparameterization.UnpackPrecisionCholesky(shared, d);
            if (p is null || !GaussianReparameterization.PrecisionFinite(p) || !StudentTComponent.TryFromPrecisionCholesky(new double[d], p, DegreesOfFreedom, out tied))
            {
                return false;
            }

            shared = shared[GaussianReparameterization.TriangleLength(d)..];
        }

        double sharedNu = Estimation == DegreesOfFreedomEstimation.Shared ? Math.Exp(shared[0]) : DegreesOfFreedom;
        var built = new StudentTComponent[count];
        for (int k = 0; k < count; k++)
        {
            var source = values.Slice(k * block, block);
            double nu = Estimation == DegreesOfFreedomEstimation.PerComponent ? Math.Exp(source[block - 1]) : sharedNu;
            if (!(nu > 0) || !double.IsFinite(nu))
            {
                return false;
            }

            var mean = source[..d].ToArray();
            if (tied is not null)
            {
                built[k] = tied.With(mean, nu);
            }
            else if (!TryUnpackScale(mean, source.Slice(d, scaleLength), nu, out built[k]))
            {
                return false;
            }
        }

        built.CopyTo(destination);
        return true;
    }

    /// <inheritdoc />
    /// <remarks>
    /// With W = Σ c, U = Σ c·u, s_μ = Σ c·u·(x − μ) and S_μ = Σ c·u·(x − μ)(x − μ)ᵀ (plus Σ c·C for missing entries) from
    /// the statistics: ∂/∂μ = Σ⁻¹ s_μ; ∂/∂P = W·diag(1/Pᵢᵢ) − S_μ P (upper triangle, times Pᵢᵢ on the diagonal for log Pᵢᵢ);
    /// ∂/∂log Σ_jj = −W/2 + S_μ,jj/(2Σ_jj); ∂/∂log σ² = −W·D/2 + tr S_μ/(2σ²); and
    /// ∂/∂log ν = (ν/2)·(W·(log(ν/2) + 1 − ψ(ν/2) + ψ((ν+D)/2) − log((ν+D)/2)) + Σ c·(log u − u)), summed over the
    /// components for shared parameters. The regularisation does not enter.
    /// </remarks>
    void IReparameterization<StudentTComponent, StudentTStatistics>.Gradient(ReadOnlySpan<StudentTStatistics> statistics, ReadOnlySpan<StudentTComponent> components, Span<double> destination)
    {
        int d = Dimension, block = ComponentBlock, scaleLength = ScaleLength, count = components.Length;
        destination[..ParameterCount(count)].Clear();
        var sm = new double[d];
        var sc = new double[d * d];
        var gradientP = new double[d * d];
        var tiedGradient = ScaleType == CovarianceType.Tied ? new double[d * d] : null;
        double sharedNu = 0;
        for (int k = 0; k < count; k++)
        {
            var s = statistics[k];
            var c = components[k];
            var target = destination.Slice(k * block, block);
            double w = s.TotalWeight;
            CentredAt(s, c.Mean, sm, sc);
            var p = c.PrecisionCholeskySpan;

            // ∂/∂μ = P (Pᵀ s_μ).
            for (int j = 0; j < d; j++)
            {
                double v = 0;
                for (int i = 0; i <= j; i++)
                {
                    v += p[(i * d) + j] * sm[i];
                }

                gradientP[j] = v;
            }

            for (int i = 0; i < d; i++)
            {
                double v = 0;
                for (int j = i; j < d; j++)
                {
                    v += p[(i * d) + j] * gradientP[j];
                }

                target[i] = v;
            }

            var scale = c.ScaleSpan;
            switch (ScaleType)
            {
                case CovarianceType.Full:
                    Array.Clear(gradientP);
                    AddPrecisionCholeskyGradient(sc, p, w, gradientP);
                    GaussianReparameterization.PackPrecisionCholeskyGradient(gradientP, p, d, target.Slice(d, scaleLength));
                    break;
                case CovarianceType.Tied:
                    AddPrecisionCholeskyGradient(sc, p, w, tiedGradient!);
                    break;
                case CovarianceType.Diagonal:
                    for (int j = 0; j < d; j++)
                    {
                        target[d + j] = (-0.5 * w) + (0.5 * sc[(j * d) + j] / scale[(j * d) + j]);
                    }

                    break;
                default:
                    double trace = 0;
                    for (int j = 0; j < d; j++)
                    {
                        trace += sc[(j * d) + j];
                    }

                    target[d] = (-0.5 * w * d) + (0.5 * trace / scale[0]);
                    break;
            }

            double nu = c.DegreesOfFreedom;
            double nuGradient = 0.5 * nu * ((w * (Math.Log(nu / 2) + 1 - SpecialFunctions.DiGamma(nu / 2) + StudentTStatistics.DigammaTerm(nu, d))) + s.LogWeightTerm);
            if (Estimation == DegreesOfFreedomEstimation.PerComponent)
            {
                target[block - 1] = nuGradient;
            }
            else if (Estimation == DegreesOfFreedomEstimation.Shared)
            {
                sharedNu += nuGradient;
            }
        }

        var shared = destination[(count * block)..];
        if (tiedGradient is not null)
        {
            GaussianReparameterization.PackPrecisionCholeskyGradient(tiedGradient, components[0].PrecisionCholeskySpan, d, shared);
            shared = shared[GaussianReparameterization.TriangleLength(d)..];
        }

        if (Estimation == DegreesOfFreedomEstimation.Shared)
        {
            shared[0] = sharedNu;
        }
    }

    /// <inheritdoc />
    /// <remarks>Student-t mixtures have no prior on their components: 0.</remarks>
    double IReparameterization<StudentTComponent, StudentTStatistics>.AddLogPrior(ReadOnlySpan<StudentTComponent> components, double scale, Span<double> destination) => 0;

    /// <inheritdoc />
    string IStandardizedReparameterization<StudentTComponent>.PriorAdvice => "there is none for Student-t mixtures, so prefer the next remedies";

    /// <inheritdoc />
    void IStandardizedReparameterization<StudentTComponent>.StandardizingScales(ReadOnlySpan<StudentTComponent> start, Span<double> destination)
    {
        int d = Dimension, block = ComponentBlock, scaleLength = ScaleLength;
        for (int k = 0; k < start.Length; k++)
        {
            var target = destination.Slice(k * block, block);
            target.Fill(1);
            var scales = GaussianReparameterization.DiagonalScales(start[k].ScaleSpan, d);
            GaussianReparameterization.StandardizingScales(scales, target[..d], ScaleType == CovarianceType.Full ? target.Slice(d, scaleLength) : default);
        }

        var shared = destination[(start.Length * block)..ParameterCount(start.Length)];
        shared.Fill(1);
        if (ScaleType == CovarianceType.Tied)
        {
            var scales = GaussianReparameterization.DiagonalScales(start[0].ScaleSpan, d);
            GaussianReparameterization.StandardizingScales(scales, new double[d], shared[..GaussianReparameterization.TriangleLength(d)]);
        }
    }

    /// <inheritdoc />
    bool IStandardizedReparameterization<StudentTComponent>.HasCollapsed(ReadOnlySpan<StudentTComponent> components, ReadOnlySpan<double> columnScales, double floor, out int component)
    {
        int d = Dimension;
        for (int k = 0; k < components.Length; k++)
        {
            var c = components[k];
            bool collapsed = false;
            if (ScaleType is CovarianceType.Full or CovarianceType.Tied)
            {
                collapsed = GaussianReparameterization.PrecisionCholeskyCollapsed(c.PrecisionCholeskySpan, columnScales, floor);
            }
            else
            {
                for (int j = 0; j < d; j++)
                {
                    collapsed |= c.ScaleSpan[(j * d) + j] < floor * columnScales[j] * columnScales[j];
                }
            }

            if (collapsed)
            {
                component = ScaleType == CovarianceType.Tied ? -1 : k;
                return true;
            }

            if (ScaleType == CovarianceType.Tied)
            {
                break;
            }
        }

        component = 0;
        return false;
    }

    /// <summary>Unconstrained values of one component's own block: μ, its scale, and log ν when estimated per component.</summary>
    private int ComponentBlock => Dimension + ScaleLength + (Estimation == DegreesOfFreedomEstimation.PerComponent ? 1 : 0);

    /// <summary>Unconstrained values of one component's own scale (0 for tied scales, which are shared).</summary>
    private int ScaleLength => ScaleType switch
    {
        CovarianceType.Full => GaussianReparameterization.TriangleLength(Dimension),
        CovarianceType.Diagonal => Dimension,
        CovarianceType.Spherical => 1,
        _ => 0,
    };

    private void PackScale(StudentTComponent component, Span<double> destination)
    {
        int d = Dimension;
        var scale = component.ScaleSpan;
        switch (ScaleType)
        {
            case CovarianceType.Full:
                GaussianReparameterization.PackPrecisionCholesky(component.PrecisionCholeskySpan, d, destination);
                break;
            case CovarianceType.Diagonal:
                for (int j = 0; j < d; j++)
                {
                    destination[j] = Math.Log(scale[(j * d) + j]);
                }

                break;
            case CovarianceType.Spherical:
                destination[0] = Math.Log(scale[0]);
                break;
        }
    }

    private bool TryUnpackScale(double[] mean, ReadOnlySpan<double> values, double nu, out StudentTComponent component)
    {
        int d = Dimension;
        component = null!;
        if (ScaleType == CovarianceType.Full)
        {
            var p = GaussianReparameterization.UnpackPrecisionCholesky(values, d);
            return p is not null && GaussianReparameterization.PrecisionFinite(p) && StudentTComponent.TryFromPrecisionCholesky(mean, p, nu, out component);
        }

        var scale = new double[d * d];
        for (int j = 0; j < d; j++)
        {
            double v = Math.Exp(ScaleType == CovarianceType.Diagonal ? values[j] : values[0]);
            if (!GaussianReparameterization.VarianceUsable(v))
            {
                return false;
            }

            scale[(j * d) + j] = v;
        }

        return StudentTComponent.TryCreate(mean, scale, nu, out component);
    }

    /// <summary>s_μ = s − U·δ and S_μ = S − sδᵀ − δsᵀ + U·δδᵀ (full symmetric), δ = μ − a: the statistics' moments about μ.</summary>
    private static void CentredAt(StudentTStatistics statistics, ReadOnlySpan<double> mean, Span<double> sum, Span<double> scatter)
    {
        int d = mean.Length;
        double u = statistics.ExpectedWeightSum;
        var reference = statistics.Reference;
        var s = statistics.WeightedSum;
        var raw = statistics.Scatter;
        Span<double> delta = d <= 64 ? stackalloc double[d] : new double[d];
        for (int i = 0; i < d; i++)
        {
            delta[i] = mean[i] - reference[i];
            sum[i] = s[i] - (u * delta[i]);
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = raw[(i * d) + j] - (s[i] * delta[j]) - (delta[i] * s[j]) + (u * delta[i] * delta[j]);
                scatter[(i * d) + j] = v;
                scatter[(j * d) + i] = v;
            }
        }
    }

    /// <summary>Adds ∂F/∂P = W·diag(1/Pᵢᵢ) − S_μ P (upper triangle, D × D row-major) to <paramref name="destination"/>.</summary>
    private static void AddPrecisionCholeskyGradient(ReadOnlySpan<double> scatter, ReadOnlySpan<double> p, double w, Span<double> destination)
    {
        int d = (int)Math.Round(Math.Sqrt(p.Length));
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = 0;
                for (int k = 0; k <= j; k++)
                {
                    v += scatter[(i * d) + k] * p[(k * d) + j];
                }

                if (j == i)
                {
                    v -= w / p[(i * d) + i];
                }

                destination[(i * d) + j] -= v;
            }
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
