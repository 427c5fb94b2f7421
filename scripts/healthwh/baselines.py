"""Fitted baseline and uncertainty helpers for the backtest (numpy only).

- `fit_logistic` / `predict_logistic`: an L2-regularised logistic regression
  on metric values (standardised on the training rows; a missing value is the
  training mean), fitted by Newton's method. It is the "simple fitted model"
  the score is compared with: fitted on earlier observation dates, judged on
  later ones (same rows and split as calibrate).
- `churn_auc`: rank AUC of a score for churn, low score = risk (the SQL macro
  rank_auc's definition).
- `bootstrap_auc_difference`: paired bootstrap over accounts of the AUC
  difference of two scores on the same observations (an account observed on
  many dates is resampled with all its observations).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of values ascending, ties sharing their average rank."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return (ends - (counts - 1) / 2.0)[inverse]


def churn_auc(score: np.ndarray, churned: np.ndarray) -> float:
    """Rank-based AUC of a score for churn, low score = risk: the probability that a
    churned observation scored lower than a retained one (ties count one half).
    Same definition as the SQL macro `rank_auc`. NaN scores are left out."""
    score = np.asarray(score, dtype=float)
    churned = np.asarray(churned, dtype=bool)
    keep = ~np.isnan(score)
    score, churned = score[keep], churned[keep]
    n_pos = int(churned.sum())
    n_neg = len(churned) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = average_ranks(-score)
    return float((ranks[churned].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


@dataclass
class LogisticModel:
    columns: np.ndarray  # indices of the feature columns used (non-constant on training)
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # per used column, on the standardised scale
    intercept: float


def _standardise(values: np.ndarray, model: LogisticModel) -> np.ndarray:
    x = (values[:, model.columns] - model.mean) / model.scale
    return np.where(np.isnan(x), 0.0, x)


def fit_logistic(values: np.ndarray, churned: np.ndarray, ridge: float = 1.0,
                 iterations: int = 50) -> LogisticModel:
    """L2-regularised logistic regression of churn on `values` (n x m, NaN =
    missing), Newton-Raphson. Constant or never-observed columns are dropped."""
    values = np.asarray(values, dtype=float)
    y = np.asarray(churned, dtype=float)
    observed = np.isfinite(values)
    counts = observed.sum(axis=0)
    filled = np.where(observed, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        # column means and standard deviations over the observed values (a column
        # never observed gets NaN and is dropped below)
        mean = filled.sum(axis=0) / counts
        std = np.sqrt((np.where(observed, values - mean, 0.0) ** 2).sum(axis=0) / counts)
    usable = np.flatnonzero(np.isfinite(mean) & np.isfinite(std) & (std > 0))
    model = LogisticModel(usable, mean[usable], std[usable], np.zeros(usable.size), 0.0)
    x = _standardise(values, model)
    design = np.column_stack([np.ones(len(y)), x])
    beta = np.zeros(design.shape[1])
    base = min(max(y.mean(), 1e-6), 1 - 1e-6)
    beta[0] = math.log(base / (1 - base))
    penalty = np.full(design.shape[1], ridge)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ beta, -30, 30)))
        gradient = design.T @ (p - y) + penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty) + 1e-9 * np.eye(
            design.shape[1])
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    model.intercept = float(beta[0])
    model.coef = beta[1:]
    return model


def predict_logistic(model: LogisticModel, values: np.ndarray) -> np.ndarray:
    """Churn probability per row."""
    z = model.intercept + _standardise(np.asarray(values, dtype=float), model) @ model.coef
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


@dataclass
class Difference:
    estimate: float  # AUC(b) - AUC(a) on the sample
    standard_error: float
    low: float  # 95 % interval (percentile bootstrap)
    high: float
    resamples: int


def bootstrap_auc_difference(score_a: np.ndarray, score_b: np.ndarray, churned: np.ndarray,
                             accounts: np.ndarray, resamples: int = 200,
                             seed: int = 20260) -> Difference:
    """Paired bootstrap over accounts of AUC(score_b) - AUC(score_a)."""
    churned = np.asarray(churned, dtype=bool)
    estimate = churn_auc(score_b, churned) - churn_auc(score_a, churned)
    _, account_index = np.unique(np.asarray(accounts, dtype=object).astype(str),
                                 return_inverse=True)
    n_accounts = int(account_index.max()) + 1 if len(account_index) else 0
    if n_accounts < 2 or math.isnan(estimate):
        return Difference(estimate, math.nan, math.nan, math.nan, 0)
    order = np.argsort(account_index, kind="stable")
    starts = np.searchsorted(account_index[order], np.arange(n_accounts))
    ends = np.append(starts[1:], len(order))
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(resamples):
        pick = rng.integers(0, n_accounts, n_accounts)
        rows = np.concatenate([order[starts[a]:ends[a]] for a in pick])
        d = churn_auc(score_b[rows], churned[rows]) - churn_auc(score_a[rows], churned[rows])
        if not math.isnan(d):
            diffs.append(d)
    if len(diffs) < 10:
        return Difference(estimate, math.nan, math.nan, math.nan, len(diffs))
    diffs_arr = np.array(diffs)
    return Difference(estimate, float(diffs_arr.std(ddof=1)),
                      float(np.quantile(diffs_arr, 0.025)), float(np.quantile(diffs_arr, 0.975)),
                      len(diffs))
