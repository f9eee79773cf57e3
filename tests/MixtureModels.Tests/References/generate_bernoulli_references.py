#!/usr/bin/env python3
"""Independent reference for Bernoulli-mixture EM on binarised digits (scikit-learn's bundled load_digits).

Writes into ../Data/bernoulli/:
  digits-binary.txt   one row per image: 64 characters '0'/'1' (pixel value > 7), 1797 rows
  digits-k10.json     the start (weights, probabilities), the iteration count, and what plain-numpy EM reaches:
                      weights, probabilities, the mean log-likelihood of the final parameters, the lower bound of
                      every iteration (mean log-likelihood of the parameters each iteration started from)
The EM here is written from the textbook formulas with numpy only (log-sum-exp E-step, weighted-count M-step,
probabilities clamped to [1e-10, 1 - 1e-10]); it shares no code with the C# library.
"""
import json, os, sys
import numpy as np
from sklearn.datasets import load_digits

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "Data", "bernoulli")
os.makedirs(out, exist_ok=True)

x = (load_digits().data > 7).astype(np.float64)
n, d = x.shape
with open(os.path.join(out, "digits-binary.txt"), "w") as f:
    for row in x.astype(int):
        f.write("".join(map(str, row)) + "\n")

k, iters, eps = 10, 30, 1e-10
rng = np.random.default_rng(7)
weights = np.full(k, 1.0 / k)
probabilities = np.clip(0.25 + 0.5 * rng.random((k, d)), eps, 1 - eps)
start_w, start_p = weights.copy(), probabilities.copy()

def joint(w, p):
    return np.log(w)[None, :] + x @ np.log(p).T + (1 - x) @ np.log(1 - p).T

def logsumexp(a):
    m = a.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=1, keepdims=True)))[:, 0]

bounds = []
for _ in range(iters):
    lj = joint(weights, probabilities)
    ll = logsumexp(lj)
    bounds.append(float(ll.mean()))
    r = np.exp(lj - ll[:, None])
    nk = r.sum(axis=0) + 10 * np.finfo(float).eps
    weights = nk / nk.sum()
    probabilities = np.clip((r.T @ x) / (r.sum(axis=0)[:, None]), eps, 1 - eps)

final = float(logsumexp(joint(weights, probabilities)).mean())
json.dump({
    "numpy": np.__version__, "k": k, "iterations": iters, "epsilon": eps,
    "start_weights": start_w.tolist(), "start_probabilities": start_p.tolist(),
    "weights": weights.tolist(), "probabilities": probabilities.tolist(),
    "mean_log_likelihood": final, "lower_bounds": bounds,
}, open(os.path.join(out, "digits-k10.json"), "w"), indent=1)
print("wrote", out, "final mean log-likelihood", final, file=sys.stderr)
