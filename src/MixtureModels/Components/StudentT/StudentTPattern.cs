using MixtureModels.Numerics;

namespace MixtureModels.Components.StudentT;

/// <summary>
/// What a Student-t component needs for the rows that share one pattern of observed (O) and missing (M) entries: the
/// Cholesky factor L of Σ_OO and Σ log Lᵢᵢ, the regression matrix B = Σ_MO Σ_OO⁻¹ and the conditional scale
/// C = Σ_MM − Σ_MO Σ_OO⁻¹ Σ_OM. The marginal of x_O is t(μ_O, Σ_OO, ν); given x_O, x_M is t with ν + |O| degrees of
/// freedom, location μ_M + B(x_O − μ_O) and scale ((ν + δ_O²)/(ν + |O|))·C. Immutable.
/// </summary>
internal sealed class StudentTPattern
{
    private StudentTPattern(int[] observed, int[] missing, double[] lower, double logDeterminantLower, double[] regression, double[] conditional)
    {
        Observed = observed;
        Missing = missing;
        Lower = lower;
        LogDeterminantLower = logDeterminantLower;
        Regression = regression;
        Conditional = conditional;
    }

    /// <summary>Observed columns, ascending.</summary>
    public int[] Observed { get; }

    /// <summary>Missing columns, ascending.</summary>
    public int[] Missing { get; }

    /// <summary>L with Σ_OO = L·Lᵀ, |O| × |O| row-major lower.</summary>
    public double[] Lower { get; }

    /// <summary>Σ log Lᵢᵢ = ½ log det Σ_OO.</summary>
    public double LogDeterminantLower { get; }

    /// <summary>B = Σ_MO Σ_OO⁻¹, |M| × |O| row-major.</summary>
    public double[] Regression { get; }

    /// <summary>C = Σ_MM − Σ_MO Σ_OO⁻¹ Σ_OM, |M| × |M| row-major (symmetric).</summary>
    public double[] Conditional { get; }

    /// <summary>Whether <paramref name="row"/> has exactly this pattern of NaN entries.</summary>
    public bool Matches(ReadOnlySpan<double> row)
    {
        int p = 0;
        for (int j = 0; j < row.Length; j++)
        {
            bool isMissing = p < Missing.Length && Missing[p] == j;
            if (double.IsNaN(row[j]) != isMissing)
            {
                return false;
            }

            if (isMissing)
            {
                p++;
            }
        }

        return p == Missing.Length;
    }

    /// <summary>The pattern of <paramref name="row"/> under the D × D scale <paramref name="scale"/>; <paramref name="last"/> when it matches.</summary>
    /// <exception cref="InvalidOperationException">Σ_OO is not positive definite (it is whenever Σ is, up to rounding).</exception>
    public static StudentTPattern For(ReadOnlySpan<double> row, ReadOnlySpan<double> scale, StudentTPattern? last)
    {
        if (last is not null && last.Matches(row))
        {
            return last;
        }

        int d = row.Length;
        int m = 0;
        foreach (double v in row)
        {
            if (double.IsNaN(v))
            {
                m++;
            }
        }

        int o = d - m;
        var observed = new int[o];
        var missing = new int[m];
        for (int j = 0, io = 0, im = 0; j < d; j++)
        {
            if (double.IsNaN(row[j]))
            {
                missing[im++] = j;
            }
            else
            {
                observed[io++] = j;
            }
        }

        var soo = new double[o * o];
        for (int i = 0; i < o; i++)
        {
            for (int j = 0; j < o; j++)
            {
                soo[(i * o) + j] = scale[(observed[i] * d) + observed[j]];
            }
        }

        var lower = new double[o * o];
        if (!Cholesky.TryFactor(soo, o, lower))
        {
            throw new InvalidOperationException("The scale matrix restricted to a row's observed entries is not positive definite. Increase CovarianceRegularization, use fewer components or scale the data.");
        }

        double logDet = 0;
        for (int i = 0; i < o; i++)
        {
            logDet += Math.Log(lower[(i * o) + i]);
        }

        // B = Σ_MO Σ_OO⁻¹: each row b of B solves Σ_OO bᵀ = Σ_OM[:, row] by forward and back substitution.
        var regression = new double[m * o];
        var y = new double[o];
        for (int r = 0; r < m; r++)
        {
            for (int i = 0; i < o; i++)
            {
                double s = scale[(missing[r] * d) + observed[i]];
                for (int j = 0; j < i; j++)
                {
                    s -= lower[(i * o) + j] * y[j];
                }

                y[i] = s / lower[(i * o) + i];
            }

            var b = regression.AsSpan(r * o, o);
            for (int i = o - 1; i >= 0; i--)
            {
                double s = y[i];
                for (int j = i + 1; j < o; j++)
                {
                    s -= lower[(j * o) + i] * b[j];
                }

                b[i] = s / lower[(i * o) + i];
            }
        }

        var conditional = new double[m * m];
        for (int p = 0; p < m; p++)
        {
            for (int q = p; q < m; q++)
            {
                double s = scale[(missing[p] * d) + missing[q]];
                for (int i = 0; i < o; i++)
                {
                    s -= regression[(p * o) + i] * scale[(observed[i] * d) + missing[q]];
                }

                conditional[(p * m) + q] = s;
                conditional[(q * m) + p] = s;
            }
        }

        return new StudentTPattern(observed, missing, lower, logDet, regression, conditional);
    }

    /// <summary>δ_O² = (x_O − μ_O)ᵀ Σ_OO⁻¹ (x_O − μ_O); writes x_O − μ_O into <paramref name="centred"/> (length |O|).</summary>
    public double Distance(ReadOnlySpan<double> row, ReadOnlySpan<double> mean, Span<double> centred)
    {
        int o = Observed.Length;
        Span<double> y = o <= 64 ? stackalloc double[o] : new double[o];
        double squared = 0;
        for (int i = 0; i < o; i++)
        {
            centred[i] = row[Observed[i]] - mean[Observed[i]];
        }

        for (int i = 0; i < o; i++)
        {
            double s = centred[i];
            for (int j = 0; j < i; j++)
            {
                s -= Lower[(i * o) + j] * y[j];
            }

            y[i] = s / Lower[(i * o) + i];
            squared += y[i] * y[i];
        }

        return squared;
    }

    /// <summary>Writes the row with each missing entry replaced by μ_M + B(x_O − μ_O) into <paramref name="destination"/>.</summary>
    public void Complete(ReadOnlySpan<double> row, ReadOnlySpan<double> mean, ReadOnlySpan<double> centred, Span<double> destination)
    {
        int o = Observed.Length;
        row.CopyTo(destination);
        for (int r = 0; r < Missing.Length; r++)
        {
            double s = mean[Missing[r]];
            var b = Regression.AsSpan(r * o, o);
            for (int i = 0; i < o; i++)
            {
                s += b[i] * centred[i];
            }

            destination[Missing[r]] = s;
        }
    }
}
