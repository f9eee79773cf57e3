#!/usr/bin/env python3
"""Generates the scikit-learn reference fits used by GaussianMixtureParityTests.cs.

Run from anywhere with a Python that has scikit-learn (e.g. Debian's python3-sklearn):

    /usr/bin/python3 tests/MixtureModels.Tests/References/generate_sklearn_references.py

It reads tests/MixtureModels.Tests/Data/{iris,faithful}.csv and writes one JSON file per case into
tests/MixtureModels.Tests/Data/sklearn/. The JSON files are committed: the C# tests need only the .NET SDK.

Every case starts EM from a fully specified, deterministic starting point (weights, means and
precisions), so scikit-learn's own k-means initialisation is overridden and the result does not
depend on randomness. tol = 0 makes both libraries run exactly max_iter iterations.

The "weighted" cases give row i the integer weight 1 + (i mod 3); scikit-learn has no sample_weight,
so it is fitted on the data with row i repeated that many times (same start). The C# side fits the
original rows with sampleWeights, which must be equivalent.

JSON layout (all matrices are lists of rows; doubles are written with repr, i.e. round-trip exact):
  dataset, covariance_type ("full" | "tied" | "diag" | "spherical"), n_components, max_iter, tol, reg_covar,
  sample_weights (null or one integer per row of the original data),
  start: { weights: [K], means: K x D, precisions: list of D x D matrices (one for tied, K otherwise) },
  expected: { weights_: [K], means_: K x D, covariances_: K x D x D (tied: the shared matrix repeated K times),
              precisions_cholesky_: K x D x D (same convention), lower_bound_, score (mean log-likelihood of
              the (repeated) training data under the final model), n_iter_, converged_,
              labels (predict on the original rows), score_samples (log-density of the original rows) },
  versions: { sklearn, numpy, scipy, python }
"""

import csv
import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "Data"))
OUT = os.path.join(DATA, "sklearn")

MAX_ITER = 25
REG_COVAR = 1e-6
COVARIANCE_TYPES = ["full", "tied", "diag", "spherical"]


def read_numeric(name, columns):
    with open(os.path.join(DATA, name), newline="") as f:
        rows = list(csv.reader(f))[1:]
    return np.array([[float(v) for v in row[:columns]] for row in rows if row], dtype=np.float64)


def symmetric(matrix):
    """Exactly symmetric copy (inverses computed by LAPACK are symmetric only up to rounding)."""
    return (matrix + matrix.T) / 2.0


def start_point(x, k, mean_rows, covariance_type):
    """Deterministic start: uniform weights, the given rows as means, precisions from scaled data covariances.

    Returns (weights, means, precisions_for_sklearn, precisions_as_full_matrices).
    """
    d = x.shape[1]
    weights = np.full(k, 1.0 / k)
    means = x[mean_rows].copy()
    scatter = np.cov(x.T, bias=True)
    # Component c starts with the data covariance shrunk by factor[c]: the components differ in spread.
    factors = [0.5 + 0.25 * c for c in range(k)]
    if covariance_type == "full":
        precisions = np.array([symmetric(np.linalg.inv(scatter * f)) for f in factors])
        full = list(precisions)
    elif covariance_type == "tied":
        precisions = symmetric(np.linalg.inv(scatter * 0.5))
        full = [precisions]
    elif covariance_type == "diag":
        variances = np.diag(scatter)
        precisions = np.array([1.0 / (variances * f) for f in factors])  # (K, D)
        full = [np.diag(p) for p in precisions]
    elif covariance_type == "spherical":
        variance = float(np.mean(np.diag(scatter)))
        precisions = np.array([1.0 / (variance * f) for f in factors])  # (K,)
        full = [p * np.eye(d) for p in precisions]
    else:
        raise ValueError(covariance_type)
    return weights, means, precisions, full


def expand_covariances(gm, k, d):
    c = gm.covariances_
    if gm.covariance_type == "full":
        return [c[i] for i in range(k)]
    if gm.covariance_type == "tied":
        return [c for _ in range(k)]
    if gm.covariance_type == "diag":
        return [np.diag(c[i]) for i in range(k)]
    return [c[i] * np.eye(d) for i in range(k)]


def expand_precision_cholesky(gm, k, d):
    p = gm.precisions_cholesky_
    if gm.covariance_type == "full":
        return [p[i] for i in range(k)]
    if gm.covariance_type == "tied":
        return [p for _ in range(k)]
    if gm.covariance_type == "diag":
        return [np.diag(p[i]) for i in range(k)]
    return [p[i] * np.eye(d) for i in range(k)]


def tolist(a):
    return np.asarray(a, dtype=np.float64).tolist()


def run_case(dataset, x, k, mean_rows, covariance_type, sample_weights):
    n, d = x.shape
    weights, means, precisions, full = start_point(x, k, mean_rows, covariance_type)
    fit_x = x if sample_weights is None else np.repeat(x, sample_weights, axis=0)
    gm = GaussianMixture(
        n_components=k,
        covariance_type=covariance_type,
        tol=0.0,
        reg_covar=REG_COVAR,
        max_iter=MAX_ITER,
        n_init=1,
        weights_init=weights,
        means_init=means,
        precisions_init=precisions,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm.fit(fit_x)
    return {
        "dataset": dataset,
        "covariance_type": covariance_type,
        "n_components": k,
        "max_iter": MAX_ITER,
        "tol": 0.0,
        "reg_covar": REG_COVAR,
        "sample_weights": None if sample_weights is None else [int(w) for w in sample_weights],
        "start": {
            "weights": tolist(weights),
            "means": tolist(means),
            "precisions": [tolist(p) for p in full],
        },
        "expected": {
            "weights_": tolist(gm.weights_),
            "means_": tolist(gm.means_),
            "covariances_": [tolist(c) for c in expand_covariances(gm, k, d)],
            "precisions_cholesky_": [tolist(p) for p in expand_precision_cholesky(gm, k, d)],
            "lower_bound_": float(gm.lower_bound_),
            "score": float(gm.score(fit_x)),
            "n_iter_": int(gm.n_iter_),
            "converged_": bool(gm.converged_),
            "labels": [int(v) for v in gm.predict(x)],
            "score_samples": tolist(gm.score_samples(x)),
        },
        "versions": {
            "sklearn": sklearn.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "python": platform.python_version(),
        },
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    datasets = [
        # name, data, K, rows used as starting means
        ("iris", read_numeric("iris.csv", 4), 3, [10, 60, 110]),
        ("faithful", read_numeric("faithful.csv", 2), 2, [0, 1]),
    ]
    written = []
    for name, x, k, mean_rows in datasets:
        rule = 1 + (np.arange(x.shape[0]) % 3)  # integer weights 1, 2, 3, 1, 2, 3, ...
        for covariance_type in COVARIANCE_TYPES:
            for weighted in (False, True):
                case = run_case(name, x, k, mean_rows, covariance_type, rule if weighted else None)
                file = f"{name}_{covariance_type}{'_weighted' if weighted else ''}.json"
                with open(os.path.join(OUT, file), "w") as f:
                    json.dump(case, f, indent=1)
                    f.write("\n")
                written.append(file)
    print(f"scikit-learn {sklearn.__version__}: wrote {len(written)} files to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
