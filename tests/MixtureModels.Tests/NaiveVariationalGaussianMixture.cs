using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests;

/// <summary>
/// A deliberately plain variational Bayesian Gaussian mixture, written from Bishop (2006) §10.2 and the stick-breaking
/// posterior of Blei &amp; Jordan (2006) with scikit-learn's priors and conventions (n_k = Σ r + 10ε, reg_covar added to
/// the weighted covariance, covariances stored as W⁻¹/ν): per-row loops and Math.NET matrices, no log-sum-exp
/// tricks beyond a max shift, the E-step in the textbook form E[log p(x | θ_k)] = ½E[log|Λ|] − ½D log 2π − ½(D/β +
/// ν(x − m)ᵀW(x − m)). The reference the library's blocked implementation is checked against.
/// </summary>
internal sealed class NaiveVariationalGaussianMixture
{
    private const double Floor = 10 * 2.220446049250313e-16;
    private readonly double[][] _x;
    private readonly int _n;
    private readonly int _d;
    private readonly int _k;
    private readonly CovarianceType _type;
    private readonly WeightConcentrationPriorType _priorType;
    private readonly double _reg;

    public NaiveVariationalGaussianMixture(double[,] x, int k, CovarianceType type, WeightConcentrationPriorType priorType, double reg = 1e-6)
    {
        _n = x.GetLength(0);
        _d = x.GetLength(1);
        _k = k;
        _x = [.. Enumerable.Range(0, _n).Select(i => Enumerable.Range(0, _d).Select(j => x[i, j]).ToArray())];
        _type = type;
        _priorType = priorType;
        _reg = reg;
        Alpha0 = 1.0 / k;
        Beta0 = 1.0;
        Nu0 = _d;
        M0 = Vector<double>.Build.Dense(_d, j => _x.Average(r => r[j]));
        var cov = Matrix<double>.Build.Dense(_d, _d);
        foreach (var r in _x)
        {
            var c = Vector<double>.Build.DenseOfArray(r) - M0;
            cov += c.OuterProduct(c);
        }

        cov /= _n - 1;
        W0Inverse = type switch
        {
            CovarianceType.Full or CovarianceType.Tied => cov,
            CovarianceType.Diagonal => Matrix<double>.Build.DenseOfDiagonalVector(cov.Diagonal()),
            _ => Matrix<double>.Build.DenseIdentity(_d) * cov.Diagonal().Average(),
        };
    }

    public double Alpha0 { get; }

    public double Beta0 { get; }

    public double Nu0 { get; }

    public Vector<double> M0 { get; }

    public Matrix<double> W0Inverse { get; }

    public double[] A { get; private set; } = [];       // α_k, or the Beta's a_k

    public double[] B { get; private set; } = [];       // the Beta's b_k (Dirichlet process)

    public double[] Beta { get; private set; } = [];

    public double[] Nu { get; private set; } = [];

    public Vector<double>[] Means { get; private set; } = [];

    public Matrix<double>[] Covariances { get; private set; } = []; // W_k⁻¹ / ν_k

    public List<double> LowerBounds { get; } = [];

    public double[] ExpectedWeights
    {
        get
        {
            var w = new double[_k];
            if (_priorType == WeightConcentrationPriorType.DirichletDistribution)
            {
                for (int k = 0; k < _k; k++)
                {
                    w[k] = A[k] / A.Sum();
                }

                return w;
            }

            double rest = 1;
            for (int k = 0; k < _k; k++)
            {
                w[k] = rest * A[k] / (A[k] + B[k]);
                rest *= B[k] / (A[k] + B[k]);
            }

            double total = w.Sum();
            return [.. w.Select(v => v / total)];
        }
    }

    /// <summary>Initial M-step from one-hot labels, then <paramref name="iterations"/> E/M steps, recording the bound after each.</summary>
    public void Run(int[] labels, int iterations)
    {
        var r = new double[_n, _k];
        for (int i = 0; i < _n; i++)
        {
            r[i, labels[i]] = 1;
        }

        MStep(r);
        for (int t = 0; t < iterations; t++)
        {
            r = Responsibilities();
            MStep(r);
            LowerBounds.Add(Bound(r));
        }
    }

    /// <summary>log ρ_nk = E[log π_k] + E[log N(x_n | μ_k, Λ_k⁻¹)] for one row.</summary>
    public double[] LogRho(double[] row)
    {
        var elogpi = ExpectedLogWeights();
        var result = new double[_k];
        var x = Vector<double>.Build.DenseOfArray(row);
        for (int k = 0; k < _k; k++)
        {
            var w = (Covariances[k] * Nu[k]).Inverse();
            double elogdet = (_d * Math.Log(2)) + Math.Log(w.Determinant());
            for (int i = 0; i < _d; i++)
            {
                elogdet += SpecialFunctions.DiGamma((Nu[k] - i) / 2);
            }

            var diff = x - Means[k];
            double equad = (_d / Beta[k]) + (Nu[k] * (diff * (w * diff)));
            result[k] = elogpi[k] + (0.5 * elogdet) - (0.5 * _d * Math.Log(2 * Math.PI)) - (0.5 * equad);
        }

        return result;
    }

    public double[,] Responsibilities()
    {
        var r = new double[_n, _k];
        for (int i = 0; i < _n; i++)
        {
            var lr = LogRho(_x[i]);
            double max = lr.Max();
            double total = lr.Sum(v => Math.Exp(v - max));
            for (int k = 0; k < _k; k++)
            {
                r[i, k] = Math.Exp(lr[k] - max) / total;
            }
        }

        return r;
    }

    private double[] ExpectedLogWeights()
    {
        var e = new double[_k];
        if (_priorType == WeightConcentrationPriorType.DirichletDistribution)
        {
            for (int k = 0; k < _k; k++)
            {
                e[k] = SpecialFunctions.DiGamma(A[k]) - SpecialFunctions.DiGamma(A.Sum());
            }

            return e;
        }

        double before = 0;
        for (int k = 0; k < _k; k++)
        {
            e[k] = SpecialFunctions.DiGamma(A[k]) - SpecialFunctions.DiGamma(A[k] + B[k]) + before;
            before += SpecialFunctions.DiGamma(B[k]) - SpecialFunctions.DiGamma(A[k] + B[k]);
        }

        return e;
    }

    private void MStep(double[,] r)
    {
        var nk = new double[_k];
        var xbar = new Vector<double>[_k];
        var s = new Matrix<double>[_k]; // Σ r (x − x̄)(x − x̄)ᵀ / n_k + reg·I
        for (int k = 0; k < _k; k++)
        {
            double total = 0;
            var sum = Vector<double>.Build.Dense(_d);
            for (int i = 0; i < _n; i++)
            {
                total += r[i, k];
                sum += r[i, k] * Vector<double>.Build.DenseOfArray(_x[i]);
            }

            nk[k] = total + Floor;
            xbar[k] = sum / nk[k];
            var scatter = Matrix<double>.Build.Dense(_d, _d);
            for (int i = 0; i < _n; i++)
            {
                var c = Vector<double>.Build.DenseOfArray(_x[i]) - xbar[k];
                scatter += r[i, k] * c.OuterProduct(c);
            }

            s[k] = (scatter / nk[k]) + (_reg * Matrix<double>.Build.DenseIdentity(_d));
        }

        if (_priorType == WeightConcentrationPriorType.DirichletDistribution)
        {
            A = [.. nk.Select(v => Alpha0 + v)];
        }
        else
        {
            A = [.. nk.Select(v => 1 + v)];
            B = [.. Enumerable.Range(0, _k).Select(k => Alpha0 + nk.Skip(k + 1).Sum())];
        }

        Beta = [.. nk.Select(v => Beta0 + v)];
        Means = [.. Enumerable.Range(0, _k).Select(k => ((Beta0 * M0) + (nk[k] * xbar[k])) / Beta[k])];
        Covariances = new Matrix<double>[_k];
        if (_type == CovarianceType.Tied)
        {
            double total = nk.Sum();
            var pooled = Matrix<double>.Build.Dense(_d, _d);
            var spread = Matrix<double>.Build.Dense(_d, _d);
            for (int k = 0; k < _k; k++)
            {
                pooled += nk[k] * (s[k] - (_reg * Matrix<double>.Build.DenseIdentity(_d)));
                var diff = xbar[k] - M0;
                spread += nk[k] / Beta[k] * diff.OuterProduct(diff);
            }

            var sTied = (pooled / total) + (_reg * Matrix<double>.Build.DenseIdentity(_d));
            double nu = Nu0 + (total / _k);
            Nu = [.. Enumerable.Repeat(nu, _k)];
            var c = (W0Inverse + (sTied * total / _k) + (Beta0 / _k * spread)) / nu;
            for (int k = 0; k < _k; k++)
            {
                Covariances[k] = c;
            }

            return;
        }

        Nu = [.. nk.Select(v => Nu0 + v)];
        for (int k = 0; k < _k; k++)
        {
            var diff = xbar[k] - M0;
            var full = (W0Inverse + (nk[k] * s[k]) + (nk[k] * Beta0 / Beta[k] * diff.OuterProduct(diff))) / Nu[k];
            Covariances[k] = _type switch
            {
                CovarianceType.Full => full,
                CovarianceType.Diagonal => Matrix<double>.Build.DenseOfDiagonalVector(full.Diagonal()),
                _ => Matrix<double>.Build.DenseIdentity(_d) * full.Diagonal().Average(),
            };
        }
    }

    /// <summary>
    /// scikit-learn's bound: −Σ r log r − Σ_k log B(W_k, ν_k) − (weights' log normaliser) − ½ D Σ log β_k, with the textbook
    /// Wishart normaliser log B(W, ν) = −(ν/2) log|W| − (νD/2) log 2 − Σᵢ log Γ((ν − i)/2) (its π term dropped, as scikit-learn does).
    /// </summary>
    private double Bound(double[,] r)
    {
        double entropy = 0;
        for (int i = 0; i < _n; i++)
        {
            for (int k = 0; k < _k; k++)
            {
                if (r[i, k] > 0)
                {
                    entropy -= r[i, k] * Math.Log(r[i, k]);
                }
            }
        }

        double logWishart = 0;
        int distinct = _type == CovarianceType.Tied ? 1 : _k;
        for (int k = 0; k < distinct; k++)
        {
            var w = (Covariances[k] * Nu[k]).Inverse();
            double lb = (-Nu[k] / 2 * Math.Log(w.Determinant())) - (Nu[k] * _d / 2 * Math.Log(2));
            for (int i = 0; i < _d; i++)
            {
                lb -= SpecialFunctions.GammaLn((Nu[k] - i) / 2);
            }

            logWishart += lb;
        }

        if (_type == CovarianceType.Tied)
        {
            logWishart *= _k;
        }

        double logNormWeight = _priorType == WeightConcentrationPriorType.DirichletDistribution
            ? SpecialFunctions.GammaLn(A.Sum()) - A.Sum(SpecialFunctions.GammaLn)
            : -Enumerable.Range(0, _k).Sum(k => SpecialFunctions.BetaLn(A[k], B[k]));
        return entropy - logWishart - logNormWeight - (0.5 * _d * Beta.Sum(Math.Log));
    }
}
