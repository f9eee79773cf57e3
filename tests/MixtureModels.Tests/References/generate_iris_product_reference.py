#!/usr/bin/env python3
"""Independent reference for EM on a product-of-marginals mixture over a real mixed table: iris.

Reads ../Data/iris.csv (150 rows: four measurements and the species) and builds a 150 x 5 table: columns 0-3 the
measurements, column 4 the species as a categorical level (0 = setosa, 1 = versicolor, 2 = virginica).

Writes ../Data/product/iris-k3.json: the start for K = 3 (weights; per component the mean and full covariance of the
Gaussian block on columns 0-3 and the categorical probabilities of column 4), the iteration count, the lower bound of
every iteration (mean log-likelihood of the parameters the iteration started from), the final weights and parameters,
and the mean log-likelihood of the final parameters.

The model: p(x) = sum_k pi_k N(x[0:4] | mu_k, S_k) Cat(x4 | c_k).
EM is written from the textbook formulas with plain numpy; it shares no code with the C# library.
  E-step: log-sum-exp of log pi_k + sum of the marginals' log-densities; r_nk = exp(joint - logsumexp).
  M-step, with W_k = sum_n r_nk and tiny = 10 * machine epsilon:
    pi_k  = (W_k + tiny) / sum_j (W_j + tiny)
    mu_k  = sum_n r_nk x_n / (W_k + tiny)
    S_k   = sum_n r_nk (x_n - mu_k)(x_n - mu_k)^T / (W_k + tiny) + 1e-6 I          (reg_covar 1e-6)
    c_kl  = sum_n r_nk [x_n = l] / W_k, floored at 1e-10, renormalised              (maximum likelihood, alpha = 0)
The same estimators as generate_product_references.py (there with Dirichlet alpha 0.5 on the categorical), i.e. as
src/MixtureModels/Components/{Gaussian/FullCovarianceFamily, Categorical/CategoricalFamily}.cs and the weight update
of Fitting/EmEngine.cs.
"""
import json, os, sys
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "..", "Data")
out = os.path.join(data, "product")
os.makedirs(out, exist_ok=True)

# ---- the table -------------------------------------------------------------------------------------------------
species_levels = ["setosa", "versicolor", "virginica"]
rows = []
with open(os.path.join(data, "iris.csv")) as f:
    next(f)
    for line in f:
        line = line.strip()
        if not line:
            continue
        parts = line.split(",")
        rows.append([float(v) for v in parts[0:4]] + [float(species_levels.index(parts[4].strip('"')))])
x = np.array(rows)
n = x.shape[0]
assert x.shape == (150, 5)
xg, xc = x[:, 0:4], x[:, 4].astype(int)
dim, levels, reg, eps_clamp = 4, 3, 1e-6, 1e-10
tiny = 10 * np.finfo(float).eps
onehot = np.eye(levels)[xc]

# ---- deterministic start for K = 3 -----------------------------------------------------------------------------
# Means shifted from the overall mean by multiples of the overall standard deviations, the overall covariance
# rescaled, and categorical probabilities that lean towards, but do not identify, one species each.
k, iters = 3, 25
weights = np.array([0.3, 0.3, 0.4])
overall_mean = xg.mean(axis=0)
overall_cov = np.cov(xg.T, bias=True)
sd = np.sqrt(np.diag(overall_cov))
means = np.array([overall_mean + sd * np.array([-0.8, 0.5, -1.0, -1.0]),
                  overall_mean + sd * np.array([0.2, -0.3, 0.3, 0.1]),
                  overall_mean + sd * np.array([0.9, 0.1, 0.8, 0.9])])
covs = np.array([0.5 * overall_cov + 0.05 * np.eye(dim), overall_cov, 0.8 * overall_cov + 0.02 * np.eye(dim)])
cprobs = np.array([[0.5, 0.3, 0.2], [0.25, 0.45, 0.3], [0.2, 0.3, 0.5]])
start = dict(weights=weights.tolist(), means=means.tolist(), covariances=covs.tolist(), categorical=cprobs.tolist())

# ---- EM --------------------------------------------------------------------------------------------------------
def gauss_logpdf(mu, s):
    d = xg - mu
    inv = np.linalg.inv(s)
    sign, logdet = np.linalg.slogdet(s)
    assert sign > 0
    return -0.5 * (dim * np.log(2 * np.pi) + logdet + np.einsum("ni,ij,nj->n", d, inv, d))

def joint(w, mu, s, cp):
    lj = np.empty((n, k))
    for j in range(k):
        lj[:, j] = np.log(w[j]) + gauss_logpdf(mu[j], s[j]) + np.log(cp[j])[xc]
    return lj

def logsumexp(a):
    m = a.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=1, keepdims=True)))[:, 0]

bounds = []
for _ in range(iters):
    lj = joint(weights, means, covs, cprobs)
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
        new_covs[j] = (r[:, j, None] * d).T @ d / nk + reg * np.eye(dim)
    means, covs = new_means, new_covs
    c = (r.T @ onehot) / wk[:, None]
    c = np.maximum(c, eps_clamp)
    cprobs = c / c.sum(axis=1, keepdims=True)

final = float(logsumexp(joint(weights, means, covs, cprobs)).mean())
json.dump({
    "numpy": np.__version__, "k": k, "iterations": iters, "rows": n,
    "regularization": reg, "dirichlet_alpha": 0.0, "levels": levels,
    "start": start,
    "lower_bounds": bounds,
    "weights": weights.tolist(), "means": means.tolist(), "covariances": covs.tolist(),
    "categorical": cprobs.tolist(),
    "mean_log_likelihood": final,
}, open(os.path.join(out, "iris-k3.json"), "w"), indent=1)
print("wrote", os.path.join(out, "iris-k3.json"), "final mean log-likelihood", final,
      "bounds", bounds[0], bounds[-1], "weights", weights, "categorical", cprobs, file=sys.stderr)
