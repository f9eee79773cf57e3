#!/usr/bin/env python3
"""Independent reference for EM on a product-of-marginals mixture over a mixed table.

Writes into ../Data/product/:
  mixed.csv       500 rows, header line, 6 columns: x0, x1 (two correlated real values), b2, b3 (binary 0/1),
                  c4 (a categorical level 0, 1 or 2), p5 (a Poisson count). Drawn from three latent groups with a
                  fixed numpy seed; the reals are written with 17 significant digits so they round-trip exactly.
  mixed-k3.json   the start for K = 3 (weights; per component: Gaussian block mean and full covariance, Bernoulli
                  probabilities, categorical probabilities, Poisson rate), the iteration count, the lower bound of every
                  iteration (mean log-likelihood of the parameters the iteration started from), the final weights and
                  parameters, and the mean log-likelihood of the final parameters.

The model: p(x) = sum_k pi_k N(x[0:2] | mu_k, S_k) Bern(x2 | a_k0) Bern(x3 | a_k1) Cat(x4 | c_k) Poisson(x5 | l_k).
EM is written from the textbook formulas with numpy (scipy only for gammaln); it shares no code with the C# library.
  E-step: log-sum-exp of log pi_k + sum of the marginals' log-densities; r_nk = exp(joint - logsumexp).
  M-step, with W_k = sum_n r_nk and tiny = 10 * machine epsilon:
    pi_k  = (W_k + tiny) / sum_j (W_j + tiny)
    mu_k  = sum_n r_nk x_n / (W_k + tiny)
    S_k   = sum_n r_nk (x_n - mu_k)(x_n - mu_k)^T / (W_k + tiny) + 1e-6 I          (reg_covar 1e-6)
    a_kd  = clip(sum_n r_nk x_nd / W_k, 1e-10, 1 - 1e-10)                           (maximum likelihood, clamped)
    c_kl  = (sum_n r_nk [x_n = l] + 0.5) / (W_k + 3 * 0.5), floored at 1e-10, renormalised   (Dirichlet alpha 0.5)
    l_k   = max(sum_n r_nk x_n / (W_k + tiny), 1e-10)
These are the same estimators as src/MixtureModels/Components/{Gaussian/FullCovarianceFamily, Bernoulli/BernoulliFamily,
Categorical/CategoricalFamily, Poisson/PoissonFamily}.cs and the weight update of Fitting/EmEngine.cs.
"""
import json, os, sys
import numpy as np
from scipy.special import gammaln

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "Data", "product")
os.makedirs(out, exist_ok=True)

# ---- the table -------------------------------------------------------------------------------------------------
n = 500
rng = np.random.default_rng(20240611)
group = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
centres = np.array([[0.0, 0.0], [3.0, 2.0], [-2.0, 4.0]])
chol = [np.array([[1.0, 0.0], [0.8, 0.6]]), np.array([[0.7, 0.0], [-0.5, 0.9]]), np.array([[1.5, 0.0], [0.3, 0.5]])]
bern = np.array([[0.2, 0.7], [0.8, 0.3], [0.5, 0.9]])
cat = np.array([[0.6, 0.3, 0.1], [0.1, 0.2, 0.7], [0.3, 0.4, 0.3]])
rate = np.array([1.0, 4.0, 9.0])
x = np.zeros((n, 6))
for i in range(n):
    g = group[i]
    x[i, 0:2] = centres[g] + chol[g] @ rng.standard_normal(2)
    x[i, 2:4] = (rng.random(2) < bern[g]).astype(float)
    x[i, 4] = rng.choice(3, p=cat[g])
    x[i, 5] = rng.poisson(rate[g])

with open(os.path.join(out, "mixed.csv"), "w") as f:
    f.write("x0,x1,b2,b3,c4,p5\n")
    for row in x:
        f.write("%s,%s,%d,%d,%d,%d\n" % (repr(float(row[0])), repr(float(row[1])), row[2], row[3], row[4], row[5]))

# Re-read what was written so the reference fits exactly the values the C# test reads.
x = np.loadtxt(os.path.join(out, "mixed.csv"), delimiter=",", skiprows=1)
xg, xb, xc, xp = x[:, 0:2], x[:, 2:4], x[:, 4].astype(int), x[:, 5]
levels, alpha, reg, eps_clamp = 3, 0.5, 1e-6, 1e-10
tiny = 10 * np.finfo(float).eps
onehot = np.eye(levels)[xc]

# ---- deterministic start for K = 3 -----------------------------------------------------------------------------
k, iters = 3, 30
weights = np.array([0.4, 0.35, 0.25])
overall_mean = xg.mean(axis=0)
overall_cov = np.cov(xg.T, bias=True)
means = np.array([overall_mean + [-1.0, -0.5], overall_mean + [1.0, 0.0], overall_mean + [-0.5, 1.0]])
covs = np.array([overall_cov, 0.8 * overall_cov + 0.1 * np.eye(2), 1.2 * overall_cov])
bprobs = np.array([[0.3, 0.6], [0.6, 0.4], [0.5, 0.7]])
cprobs = np.array([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [1 / 3, 1 / 3, 1 / 3]])
rates = np.array([1.5, 3.0, 6.0])
start = dict(weights=weights.tolist(), means=means.tolist(), covariances=covs.tolist(),
             bernoulli=bprobs.tolist(), categorical=cprobs.tolist(), rates=rates.tolist())

# ---- EM --------------------------------------------------------------------------------------------------------
def gauss_logpdf(mu, s):
    d = xg - mu
    inv = np.linalg.inv(s)
    sign, logdet = np.linalg.slogdet(s)
    assert sign > 0
    return -0.5 * (2 * np.log(2 * np.pi) + logdet + np.einsum("ni,ij,nj->n", d, inv, d))

def joint(w, mu, s, bp, cp, lam):
    lj = np.empty((n, k))
    for j in range(k):
        lj[:, j] = (np.log(w[j]) + gauss_logpdf(mu[j], s[j])
                    + xb @ np.log(bp[j]) + (1 - xb) @ np.log(1 - bp[j])
                    + np.log(cp[j])[xc]
                    + xp * np.log(lam[j]) - lam[j] - gammaln(xp + 1))
    return lj

def logsumexp(a):
    m = a.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=1, keepdims=True)))[:, 0]

bounds = []
for _ in range(iters):
    lj = joint(weights, means, covs, bprobs, cprobs, rates)
    ll = logsumexp(lj)
    bounds.append(float(ll.mean()))
    r = np.exp(lj - ll[:, None])
    wk = r.sum(axis=0)
    weights = (wk + tiny) / (wk + tiny).sum()
    new_means, new_covs = np.empty_like(means), np.empty_like(covs)
    for j in range(k):
        nk = wk[j] + tiny
        new_means[j] = (r[:, j] @ xg) / nk
        d = xg - new_means[j]
        new_covs[j] = (r[:, j, None] * d).T @ d / nk + reg * np.eye(2)
    means, covs = new_means, new_covs
    bprobs = np.clip((r.T @ xb) / wk[:, None], eps_clamp, 1 - eps_clamp)
    c = (r.T @ onehot + alpha) / (wk[:, None] + levels * alpha)
    c = np.maximum(c, eps_clamp)
    cprobs = c / c.sum(axis=1, keepdims=True)
    rates = np.maximum((r.T @ xp) / (wk + tiny), 1e-10)

final = float(logsumexp(joint(weights, means, covs, bprobs, cprobs, rates)).mean())
json.dump({
    "numpy": np.__version__, "k": k, "iterations": iters, "rows": n,
    "regularization": reg, "dirichlet_alpha": alpha, "levels": levels,
    "start": start,
    "lower_bounds": bounds,
    "weights": weights.tolist(), "means": means.tolist(), "covariances": covs.tolist(),
    "bernoulli": bprobs.tolist(), "categorical": cprobs.tolist(), "rates": rates.tolist(),
    "mean_log_likelihood": final,
}, open(os.path.join(out, "mixed-k3.json"), "w"), indent=1)
print("wrote", out, "final mean log-likelihood", final, "bounds", bounds[0], bounds[-1], file=sys.stderr)
