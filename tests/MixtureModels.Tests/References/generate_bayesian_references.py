#!/usr/bin/env python3
"""Generates the scikit-learn BayesianGaussianMixture references used by BayesianGaussianMixtureTests.cs.

Run from anywhere with a Python that has scikit-learn (e.g. Debian's python3-sklearn, 1.2.1 when written):

    /usr/bin/python3 tests/MixtureModels.Tests/References/generate_bayesian_references.py

It reads tests/MixtureModels.Tests/Data/{faithful,iris}.csv and writes one JSON file per case into
tests/MixtureModels.Tests/Data/sklearn_bayesian/. The JSON files are committed: the C# tests need only the .NET SDK.

Every case starts from fixed labels (drawn once with numpy's default_rng(seed)), passed to scikit-learn through its
private _initialize(X, resp) with one-hot responsibilities (scikit-learn has no public way to give them), and to
MixtureModels through InitialLabels. Defaults otherwise (priors, reg_covar = 1e-6, tol = 1e-3, max_iter = 100), so
convergence must also happen at the same iteration.

JSON layout (doubles written with repr, i.e. round-trip exact):
  dataset, covariance_type ("full" | "tied" | "diag" | "spherical"), weight_concentration_prior_type,
  n_components, labels: [N],
  expected: { weights_: [K], means_: K x D, covariances_: K x D x D (full matrices for every type),
              weight_concentration_: [K] or [[K], [K]], mean_precision_: [K], degrees_of_freedom_: [K] (tied: repeated),
              lower_bound_, lower_bounds: [n_iter_] (the bound after every iteration), n_iter_, converged_,
              score_samples: [N], labels: predict(X) },
  versions: { sklearn, numpy, scipy }
"""

import json
import os
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.mixture import BayesianGaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "Data")
OUT = os.path.join(DATA, "sklearn_bayesian")


class FromLabels(BayesianGaussianMixture):
    """scikit-learn's estimator, started from given labels and recording the bound of every iteration."""

    def __init__(self, labels=None, **kwargs):
        super().__init__(**kwargs)
        self.labels = labels

    def _initialize_parameters(self, X, random_state):
        resp = np.zeros((X.shape[0], self.n_components))
        resp[np.arange(X.shape[0]), self.labels] = 1
        self._initialize(X, resp)

    def _compute_lower_bound(self, log_resp, log_prob_norm):
        value = super()._compute_lower_bound(log_resp, log_prob_norm)
        self.lower_bounds.append(float(value))
        return value

    def fit(self, X, y=None):
        self.lower_bounds = []
        return super().fit(X, y)


def full_covariances(model, k, d):
    c = np.asarray(model.covariances_)
    t = model.covariance_type
    if t == "full":
        return c
    if t == "tied":
        return np.repeat(c[None, :, :], k, axis=0)
    if t == "diag":
        return np.array([np.diag(c[j]) for j in range(k)])
    return np.array([np.eye(d) * c[j] for j in range(k)])


def main():
    os.makedirs(OUT, exist_ok=True)
    datasets = {
        "faithful": np.loadtxt(os.path.join(DATA, "faithful.csv"), delimiter=",", skiprows=1),
        "iris": np.loadtxt(os.path.join(DATA, "iris.csv"), delimiter=",", skiprows=1, usecols=(0, 1, 2, 3)),
    }
    for dataset, x in datasets.items():
        n, d = x.shape
        k = 5
        labels = np.random.default_rng(13).integers(0, k, n)
        for cov in ("full", "tied", "diag", "spherical"):
            for prior in ("dirichlet_process", "dirichlet_distribution"):
                model = FromLabels(labels=labels, n_components=k, covariance_type=cov, weight_concentration_prior_type=prior)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model.fit(x)
                wc = model.weight_concentration_
                case = {
                    "dataset": dataset,
                    "covariance_type": cov,
                    "weight_concentration_prior_type": prior,
                    "n_components": k,
                    "labels": labels.tolist(),
                    "expected": {
                        "weights_": model.weights_.tolist(),
                        "means_": model.means_.tolist(),
                        "covariances_": full_covariances(model, k, d).tolist(),
                        "weight_concentration_": [wc[0].tolist(), wc[1].tolist()] if prior == "dirichlet_process" else wc.tolist(),
                        "mean_precision_": model.mean_precision_.tolist(),
                        "degrees_of_freedom_": np.broadcast_to(model.degrees_of_freedom_, (k,)).tolist(),
                        "lower_bound_": float(model.lower_bound_),
                        "lower_bounds": model.lower_bounds,
                        "n_iter_": int(model.n_iter_),
                        "converged_": bool(model.converged_),
                        "score_samples": model.score_samples(x).tolist(),
                        "labels": model.predict(x).tolist(),
                    },
                    "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
                }
                short = "dp" if prior == "dirichlet_process" else "dd"
                with open(os.path.join(OUT, f"{dataset}_{cov}_{short}.json"), "w") as f:
                    json.dump(case, f)


if __name__ == "__main__":
    main()
