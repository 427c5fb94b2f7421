"""`calibrate`: fit the health score's configuration on the backtest (SPEC §7, issue 9).

Reads the backtest observations (`backtest.backtest_metric_observations`,
read-only, after `dbt build`) and fits, on the earlier observation dates, what
decides the score:

1. thresholds: per metric, the live thresholds or absolute low/high taken from
   quantiles of the training values (a percentile metric may become absolute);
2. metric weights within each component (a metric may go to 0);
3. component weights per profile (non-negative, summing to 1);

then judges the candidate on the later dates (a time split, never a random
one; training dates whose label window reaches the held-out dates are purged)
against the live configuration, with a paired bootstrap over accounts. It
recommends the candidate only when the held-out gain exceeds the noise (the
95 % interval of the gain lies above 0), never a worse one. A logistic
regression on the metric values (numpy, same rows and split) is the fitted
baseline printed beside it; its seed-expressible form (absolute thresholds
spanning the training values, weights from its coefficients) is one of the
starting points of the search.

Guard: every fitted parameter needs `--churned-per-parameter` churned training
observations; stages that would exceed that budget are skipped (component
weights first, then metric weights, then thresholds) and with fewer than
`--min-churned` churned training observations nothing is fitted.

Output: candidate `health_metrics` and `health_weights` seed files (the live
seeds are never touched; when the candidate is declined they repeat the live
configuration) and the side-by-side backtest. The only scoring re-implemented
here is what fitting needs (SPEC §4.2-4.3, without caps or overrides, on both
sides of the comparison); its agreement with the SQL score is tested.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .baselines import (
    Difference,
    average_ranks,  # noqa: F401 - re-exported for callers
    bootstrap_auc_difference,
    churn_auc,
    fit_logistic,
    predict_logistic,
)
from .dbfile import alias_path
from .seeds import components

RENEWAL_PROFILE = "renewal"
REPO_ROOT = Path(__file__).resolve().parents[2]
UNITS = 1_000_000  # component weights are fitted in units of 1e-6 (exact for any start)
STEPS = (100_000, 50_000)  # moves of 0.10, then 0.05
MAX_MOVES = 200
METRIC_UNIT = 0.05  # metric weights move in steps of 0.05
# a regression metric's thresholds: its training range widened by this share of it on
# either side, so later values rarely clamp (the score ranks as the regression)
LOGISTIC_MARGIN = 0.5
WEIGHT_DECIMALS = 6  # fitted weights are written with at most this many decimals
THRESHOLD_QUANTILES = ((0.01, 0.99), (0.05, 0.95), (0.10, 0.90), (0.25, 0.75))


class CalibrationError(Exception):
    """A problem the user can fix; the message names the fix."""


# --------------------------------------------------------------------------
# data


@dataclass
class WeightsFile:
    """A health_weights seed: rows kept in file order, so a candidate diffs cleanly."""

    path: Path
    fieldnames: list[str]
    rows: list[dict[str, str]]
    weights: dict[str, np.ndarray]  # profile -> weights in components() order


def _read_seed(path: Path, required: set[str], option: str) -> tuple[list[str], list[dict]]:
    """A seed CSV's header and rows; the error names the missing file or columns."""
    if not path.exists():
        raise CalibrationError(f"{option[2:]} file {path} not found (pass {option})")
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fieldnames = list(reader.fieldnames or [])
        rows = list(reader)
    missing = required - set(fieldnames)
    if missing:
        raise CalibrationError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return fieldnames, rows


def _component_and_weight(path: Path, line: int, row: dict) -> tuple[int, float]:
    """A seed row's component (its index in components()) and weight, checked."""
    names = components()
    component = (row["component"] or "").strip().lower()
    if component not in names:
        raise CalibrationError(
            f"{path} line {line}: unknown component {component!r}; use one of {', '.join(names)}"
        )
    try:
        weight = float(row["weight"])
    except (TypeError, ValueError) as exc:
        raise CalibrationError(
            f"{path} line {line}: weight {row['weight']!r} is not a number"
        ) from exc
    return names.index(component), weight


def read_weights(path: Path) -> WeightsFile:
    fieldnames, rows = _read_seed(path, {"profile", "component", "weight"}, "--weights")
    weights: dict[str, np.ndarray] = {}
    for line, row in enumerate(rows, start=2):
        component, weight = _component_and_weight(path, line, row)
        if weight < 0:
            raise CalibrationError(f"{path} line {line}: weight {weight} is negative")
        profile = (row["profile"] or "").strip()
        weights.setdefault(profile, np.zeros(len(components())))[component] = weight
    for profile, vector in weights.items():
        if abs(vector.sum() - 1) > 1e-6:
            raise CalibrationError(
                f"{path}: the weights of profile {profile!r} sum to {vector.sum():g}, not 1"
            )
    return WeightsFile(path=path, fieldnames=fieldnames, rows=rows, weights=weights)


def write_weights(template: WeightsFile, weights: dict[str, np.ndarray], out: Path) -> None:
    """Write `weights` in the template's format: same columns, same row order."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=template.fieldnames, lineterminator="\n")
        writer.writeheader()
        for row in template.rows:
            profile = row["profile"].strip()
            component = row["component"].strip()
            new_row = dict(row)
            new_row["weight"] = _weight_text(weights[profile][components().index(component)])
            writer.writerow(new_row)
    tmp.replace(out)


@dataclass
class Band:
    band: str
    min_score: float
    max_score: float
    rank: int


def read_bands(path: Path) -> list[Band]:
    _, rows = _read_seed(path, {"band", "min_score", "max_score", "rank"}, "--bands")
    bands = [Band(r["band"], float(r["min_score"]), float(r["max_score"]), int(r["rank"]))
             for r in rows]
    return sorted(bands, key=lambda b: b.rank)


def weighted_score(subscores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """0-100 score: weighted mean of the observed subscores (weights renormalised over
    the components with data). NaN when no weighted component is observed."""
    observed = ~np.isnan(subscores)
    denominator = observed.astype(float) @ weights
    numerator = np.where(observed, subscores, 0.0) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(denominator > 0, 100.0 * numerator / denominator, np.nan)
    # round away float noise so equal scores tie exactly, as they do in SQL
    return np.round(score, 9)


@dataclass
class BandRates:
    observations: list[int]
    churn_rates: list[float]

    @property
    def lowest_highest_ratio(self) -> float:
        filled = [r for n, r in zip(self.observations, self.churn_rates, strict=True) if n]
        if len(filled) < 2 or filled[-1] == 0:
            return math.nan
        return filled[0] / filled[-1]

    @property
    def is_monotonic(self) -> bool:
        filled = [r for n, r in zip(self.observations, self.churn_rates, strict=True) if n]
        return len(filled) >= 2 and all(b <= a for a, b in zip(filled, filled[1:], strict=False))


def band_rates(score: np.ndarray, churned: np.ndarray, bands: list[Band]) -> BandRates:
    top = max(b.max_score for b in bands)
    observations, rates = [], []
    for band in bands:
        upper_ok = score <= band.max_score if band.max_score == top else score < band.max_score
        mask = (score >= band.min_score) & upper_ok
        n = int(mask.sum())
        observations.append(n)
        rates.append(float(churned[mask].mean()) if n else math.nan)
    return BandRates(observations, rates)




def to_units(weights: np.ndarray, units_per_one: int = UNITS) -> np.ndarray:
    units = np.rint(np.asarray(weights, dtype=float) * units_per_one).astype(int)
    units[int(np.argmax(units))] += units_per_one - int(units.sum())
    return units


def fit_weights(
    subscores: np.ndarray,
    churned: np.ndarray,
    start: np.ndarray,
    min_gain: float = 1e-4,
) -> np.ndarray:
    """Coordinate search on the simplex for the weights maximising training AUC.

    Starts at `start`; each move shifts STEPS units from one component to another.
    Deterministic: the best move wins, ties go to the first found."""
    units = to_units(start)

    def objective(candidate: np.ndarray) -> float:
        value = churn_auc(weighted_score(subscores, candidate / UNITS), churned)
        return -math.inf if math.isnan(value) else value

    best = objective(units)
    moves = 0
    for step in STEPS:
        while moves < MAX_MOVES:
            best_move: tuple[float, np.ndarray] | None = None
            for gain_i in range(len(units)):
                for give_j in range(len(units)):
                    if gain_i == give_j or units[give_j] < step:
                        continue
                    candidate = units.copy()
                    candidate[gain_i] += step
                    candidate[give_j] -= step
                    value = objective(candidate)
                    if value > best + min_gain and (best_move is None or value > best_move[0]):
                        best_move = (value, candidate)
            if best_move is None:
                break
            best, units = best_move
            moves += 1
    return units / UNITS




# --------------------------------------------------------------------------
# the metric catalogue (seeds/health_metrics.csv)


@dataclass
class MetricsFile:
    """A health_metrics seed: rows kept in file order, so a candidate diffs cleanly."""

    path: Path
    fieldnames: list[str]
    rows: list[dict[str, str]]
    metrics: list[str]
    component: np.ndarray  # component index per metric
    lower_is_better: np.ndarray  # bool per metric
    weight: np.ndarray  # float per metric


def read_metrics(path: Path) -> MetricsFile:
    fieldnames, rows = _read_seed(
        path, {"metric", "component", "direction", "low", "high", "weight"}, "--metrics")
    metrics, component, lower, weight = [], [], [], []
    for line, row in enumerate(rows, start=2):
        name = (row["metric"] or "").strip().lower()
        comp, w = _component_and_weight(path, line, row)
        metrics.append(name)
        component.append(comp)
        lower.append((row["direction"] or "").strip().lower() == "lower_is_better")
        weight.append(w)
    return MetricsFile(path, fieldnames, rows, metrics, np.array(component, dtype=int),
                       np.array(lower, dtype=bool), np.array(weight, dtype=float))


def _weight_text(value: float) -> str:
    """0.3 -> 0.30, 0.1234567 -> 0.123457: two decimals unless more are needed (at most
    WEIGHT_DECIMALS)."""
    text = f"{value:.{WEIGHT_DECIMALS}f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"


def _number(value: float) -> str:
    """Seed text of a threshold: 6 significant digits, no float noise."""
    return f"{value:.6g}"


def write_metrics(template: MetricsFile, config: Config, out: Path) -> None:
    """Write the candidate catalogue in the template's format: same columns, same row
    order; only direction (flipped metrics), threshold_type/low/high (metrics given
    absolute thresholds), missing_value and weight change."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fieldnames = list(template.fieldnames)
    if "threshold_type" not in fieldnames:
        fieldnames.insert(fieldnames.index("low"), "threshold_type")
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        for j, row in enumerate(template.rows):
            new_row = dict(row)
            if config.flipped[j]:
                new_row["direction"] = ("higher_is_better" if template.lower_is_better[j]
                                        else "lower_is_better")
            if config.absolute[j]:
                new_row["threshold_type"] = "absolute"
                new_row["low"] = _number(config.low[j])
                new_row["high"] = _number(config.high[j])
            if not math.isnan(config.missing_value[j]):
                new_row["missing_value"] = _number(config.missing_value[j])
            new_row["weight"] = _weight_text(config.metric_weight[j])
            writer.writerow(new_row)
    tmp.replace(out)


# --------------------------------------------------------------------------
# observations (backtest_metric_observations)


@dataclass
class MetricObservations:
    """One row per observation (account x observation date), one column per metric."""

    observation_date: np.ndarray  # datetime64[D]
    horizon_end_date: np.ndarray  # datetime64[D]
    account_id: np.ndarray  # object
    profile: np.ndarray  # object
    in_renewal_window: np.ndarray  # bool
    churned: np.ndarray  # bool
    health_score: np.ndarray  # published score (caps, overrides)
    metrics: list[str]
    value_used: np.ndarray  # (n, m) value used for scoring (NaN = none)
    subscore: np.ndarray  # (n, m) subscore as scored by the warehouse (NaN = excluded)
    value: np.ndarray | None = None  # (n, m) observed value (NaN = not observed)

    def __post_init__(self) -> None:
        if self.value is None:
            self.value = self.value_used.copy()

    def __len__(self) -> int:
        return len(self.churned)

    def subset(self, mask: np.ndarray) -> MetricObservations:
        return MetricObservations(
            self.observation_date[mask], self.horizon_end_date[mask], self.account_id[mask],
            self.profile[mask], self.in_renewal_window[mask], self.churned[mask],
            self.health_score[mask], self.metrics, self.value_used[mask], self.subscore[mask],
            self.value[mask],
        )

    def align(self, metrics: list[str]) -> MetricObservations:
        """Columns in the order of `metrics` (a catalogue metric without data is all NaN)."""
        index = {name: j for j, name in enumerate(self.metrics)}
        n = len(self)

        def pick(matrix: np.ndarray) -> np.ndarray:
            out = np.full((n, len(metrics)), np.nan)
            for j, name in enumerate(metrics):
                if name in index:
                    out[:, j] = matrix[:, index[name]]
            return out

        return MetricObservations(
            self.observation_date, self.horizon_end_date, self.account_id, self.profile,
            self.in_renewal_window, self.churned, self.health_score, list(metrics),
            pick(self.value_used), pick(self.subscore), pick(self.value),
        )


METRIC_OBSERVATIONS_QUERY = """
select
    o.observation_id,
    o.observation_date,
    o.horizon_end_date,
    o.account_id,
    o.profile,
    coalesce(o.is_in_renewal_window, false) as in_renewal_window,
    o.is_churned,
    o.health_score,
    m.metric,
    m.metric_value,
    m.metric_value_used,
    m.metric_subscore
from {schema}.backtest_observations as o
inner join {schema}.backtest_metric_observations as m
    on o.observation_id = m.observation_id
order by o.observation_date, o.observation_id, m.metric
"""


def metric_observations_from_rows(rows: dict[str, np.ndarray]) -> MetricObservations:
    """From long columns (one row per observation x metric, sorted by observation)."""
    ids = np.asarray(rows["observation_id"], dtype=object)
    metric = np.asarray(rows["metric"], dtype=object)
    metrics = sorted(set(metric.tolist()))
    _, first, obs_index = np.unique(ids, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # keep the query's observation order
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    obs_index = rank[obs_index]
    heads = first[order]
    col = np.searchsorted(np.array(metrics, dtype=object), metric)
    n, m = heads.size, len(metrics)
    value = np.full((n, m), np.nan)
    sub = np.full((n, m), np.nan)
    raw = np.full((n, m), np.nan)

    def floats(name: str) -> np.ndarray:
        return np.array([np.nan if v is None else float(v) for v in rows[name]], dtype=float)

    value[obs_index, col] = floats("metric_value_used")
    sub[obs_index, col] = floats("metric_subscore")
    raw[obs_index, col] = floats("metric_value") if "metric_value" in rows else value[
        obs_index, col]
    take = lambda name: np.asarray(rows[name], dtype=object)[heads]  # noqa: E731
    return MetricObservations(
        observation_date=np.array(take("observation_date").tolist(), dtype="datetime64[D]"),
        horizon_end_date=np.array(take("horizon_end_date").tolist(), dtype="datetime64[D]"),
        account_id=take("account_id"),
        profile=take("profile"),
        in_renewal_window=take("in_renewal_window").astype(bool),
        churned=take("is_churned").astype(bool),
        health_score=np.array([np.nan if v is None else float(v) for v in take("health_score")]),
        metrics=metrics,
        value_used=value,
        subscore=sub,
        value=raw,
    )


def load_metric_observations_from(con, schema: str = "backtest") -> MetricObservations:
    """From an open DuckDB connection."""
    cursor = con.execute(METRIC_OBSERVATIONS_QUERY.format(schema=schema))
    names = [d[0] for d in cursor.description]
    data = cursor.fetchall()
    return metric_observations_from_rows({name: [r[i] for r in data]
                                          for i, name in enumerate(names)})


def load_metric_observations(db_path: Path, schema: str = "backtest") -> MetricObservations:
    """Read the observations from the DuckDB file, read-only."""
    import duckdb

    if not db_path.exists():
        raise CalibrationError(
            f"no database at {db_path}: run `health build` first "
            "(or pass --db / set HEALTH_DUCKDB_PATH)"
        )
    try:
        con = duckdb.connect(str(alias_path(db_path)), read_only=True)  # raw/marts.duckdb
    except duckdb.Error as exc:
        raise CalibrationError(
            f"cannot open {db_path} read-only ({exc}); wait for the running dbt build to finish"
        ) from exc
    try:
        cursor = con.execute(METRIC_OBSERVATIONS_QUERY.format(schema=schema))
        names = [d[0] for d in cursor.description]
        data = cursor.fetchall()
    except duckdb.CatalogException as exc:
        raise CalibrationError(
            f"{schema}.backtest_metric_observations not found in {db_path}: run "
            "`health build` (the backtest models) first"
        ) from exc
    finally:
        con.close()
    if not data:
        raise CalibrationError(
            f"{schema}.backtest_observations is empty: the data is too short for one labelled "
            "observation date (needs warm-up + backtest_horizon_days + resubscribe_grace_days)"
        )
    columns = {name: [r[i] for r in data] for i, name in enumerate(names)}
    return metric_observations_from_rows(columns)


# --------------------------------------------------------------------------
# scoring (SPEC §4.2-4.3, without caps and overrides)


@dataclass
class Config:
    """A scoring configuration: per metric the live thresholds (as scored) or absolute
    low/high, its weight within its component; per profile the component weights."""

    absolute: np.ndarray  # bool per metric: use low/high below instead of the scored subscore
    low: np.ndarray
    high: np.ndarray
    metric_weight: np.ndarray
    component_weights: dict[str, np.ndarray]
    missing_value: np.ndarray | None = None  # per metric; NaN = the live missing_value
    flipped: np.ndarray | None = None  # bool per metric: direction opposite to the live one

    def __post_init__(self) -> None:
        if self.missing_value is None:
            self.missing_value = np.full(len(self.metric_weight), np.nan)
        if self.flipped is None:
            self.flipped = np.zeros(len(self.metric_weight), dtype=bool)

    def copy(self) -> Config:
        return Config(self.absolute.copy(), self.low.copy(), self.high.copy(),
                      self.metric_weight.copy(),
                      {k: v.copy() for k, v in self.component_weights.items()},
                      self.missing_value.copy(), self.flipped.copy())


def live_config(catalogue: MetricsFile, weights: dict[str, np.ndarray]) -> Config:
    m = len(catalogue.metrics)
    return Config(np.zeros(m, dtype=bool), np.full(m, np.nan), np.full(m, np.nan),
                  catalogue.weight.copy(), {k: v.copy() for k, v in weights.items()})


def metric_subscores(obs: MetricObservations, config: Config,
                     lower_is_better: np.ndarray) -> np.ndarray:
    """Subscores under `config`: the warehouse's own where the live thresholds stay,
    recomputed from the values where they are absolute. A flipped direction inverts
    the subscore (the clamp comes first, so 1 - s is exact for either threshold type)."""
    sub = obs.subscore.copy()
    for j in np.flatnonzero(config.absolute):
        value = obs.value_used[:, j]
        if not math.isnan(config.missing_value[j]):
            value = np.where(np.isnan(obs.value[:, j]), config.missing_value[j], obs.value[:, j])
        ratio = np.clip((value - config.low[j]) / (config.high[j] - config.low[j]), 0.0, 1.0)
        sub[:, j] = 1.0 - ratio if lower_is_better[j] else ratio
    flipped = np.flatnonzero(config.flipped)
    sub[:, flipped] = 1.0 - sub[:, flipped]
    return sub


def component_subscores(sub: np.ndarray, metric_weight: np.ndarray,
                        component: np.ndarray) -> np.ndarray:
    """(n, 5): weighted mean of the observed metric subscores per component; NaN when
    no metric of the component is observed or all observed ones weigh 0."""
    out = np.full((sub.shape[0], len(components())), np.nan)
    observed = ~np.isnan(sub)
    filled = np.where(observed, sub, 0.0)
    for c in range(len(components())):
        cols = component == c
        if not cols.any():
            continue
        w = metric_weight[cols]
        denominator = observed[:, cols].astype(float) @ w
        numerator = filled[:, cols] @ w
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, c] = np.where(denominator > 0, numerator / denominator, np.nan)
    return out


def score_rows(comp: np.ndarray, profiles: np.ndarray, weights: dict[str, np.ndarray],
               fallback: str = "default") -> np.ndarray:
    """Score per row with its own profile's weights (profiles not in `weights` use
    `fallback`)."""
    score = np.full(comp.shape[0], np.nan)
    for profile in sorted(set(profiles.tolist())):
        rows = profiles == profile
        w = weights.get(profile, weights.get(fallback))
        if w is not None:
            score[rows] = weighted_score(comp[rows], w)
    return score


@dataclass
class Scorer:
    catalogue: MetricsFile
    renewal_profile: str = RENEWAL_PROFILE

    def components(self, obs: MetricObservations, config: Config) -> np.ndarray:
        sub = metric_subscores(obs, config, self.catalogue.lower_is_better)
        return component_subscores(sub, config.metric_weight, self.catalogue.component)

    def score(self, obs: MetricObservations, config: Config) -> np.ndarray:
        weights = {k: v for k, v in config.component_weights.items() if k != self.renewal_profile}
        return score_rows(self.components(obs, config), obs.profile, weights)


# --------------------------------------------------------------------------
# time split


def split_dates(
    dates: np.ndarray, horizon_end: np.ndarray, holdout_share: float
) -> tuple[list, list, list]:
    """Time split: the last `holdout_share` of observation dates are held out (at least
    one, at most all but one; backtest_time_split applies the same rule).

    Training dates whose label window reaches into the held-out period are purged,
    so no outcome is seen by both sides."""
    unique_dates = sorted(set(dates.tolist()))
    if len(unique_dates) < 2:
        raise CalibrationError(
            f"only {len(unique_dates)} labelled observation date(s): calibrate needs at least 2 "
            "(longer history, or a smaller backtest_interval_days)"
        )
    n_holdout = min(len(unique_dates) - 1, max(1, round(len(unique_dates) * holdout_share)))
    holdout = unique_dates[-n_holdout:]
    first_holdout = np.datetime64(holdout[0], "D")
    train, purged = [], []
    for day in unique_dates[:-n_holdout]:
        ends = horizon_end[dates == np.datetime64(day, "D")]
        (train if ends.max() < first_holdout else purged).append(day)
    if not train:
        raise CalibrationError(
            f"no training date ends its label window before the first held-out date "
            f"{first_holdout}: the history is too short for a time split; lower "
            "--holdout-share or use more data"
        )
    as_dates = lambda days: [np.datetime64(d, "D") for d in days]  # noqa: E731
    return as_dates(train), as_dates(purged), as_dates(holdout)


# --------------------------------------------------------------------------
# fitting


def _auc_or_worst(score: np.ndarray, churned: np.ndarray) -> float:
    value = churn_auc(score, churned)
    return -math.inf if math.isnan(value) else value


def informative_metrics(obs: MetricObservations) -> np.ndarray:
    """Metrics with at least two distinct values used on these rows."""
    out = np.zeros(len(obs.metrics), dtype=bool)
    for j in range(len(obs.metrics)):
        v = obs.value_used[:, j]
        v = v[~np.isnan(v)]
        out[j] = v.size > 0 and np.unique(v).size > 1
    return out


def fit_thresholds(scorer: Scorer, train: MetricObservations, config: Config,
                   usable: np.ndarray, min_gain: float) -> Config:
    """Per metric (catalogue order), keep the thresholds (live or absolute from training
    quantiles) that give the best training AUC of the whole score."""
    best_config = config.copy()
    best = _auc_or_worst(scorer.score(train, best_config), train.churned)
    for j in np.flatnonzero(usable):
        values = train.value_used[:, j]
        values = values[~np.isnan(values)]
        for q_low, q_high in THRESHOLD_QUANTILES:
            low = float(_number(float(np.quantile(values, q_low))))
            high = float(_number(float(np.quantile(values, q_high))))
            if not low < high:
                continue
            candidate = best_config.copy()
            candidate.absolute[j], candidate.low[j], candidate.high[j] = True, low, high
            value = _auc_or_worst(scorer.score(train, candidate), train.churned)
            if value > best + min_gain:
                best, best_config = value, candidate
    return best_config


def fit_metric_weights(scorer: Scorer, train: MetricObservations, config: Config,
                       usable: np.ndarray, min_gain: float, max_moves: int = 60) -> Config:
    """Coordinate search: move METRIC_UNIT of a component's total metric weight between
    two of its metrics while that raises the training AUC; a metric may reach 0."""
    weights = config.metric_weight.astype(float).copy()
    component = scorer.catalogue.component
    totals = np.array([weights[component == c].sum() for c in range(len(components()))])

    def with_weights(w: np.ndarray) -> Config:
        candidate = config.copy()
        candidate.metric_weight = np.round(w, 6)
        return candidate

    best = _auc_or_worst(scorer.score(train, with_weights(weights)), train.churned)
    for _ in range(max_moves):
        best_move = None
        for c in range(len(components())):
            step = METRIC_UNIT * totals[c]
            members = np.flatnonzero((component == c) & usable)
            if step <= 0:
                continue
            for gain in members:
                for give in members:
                    if gain == give or weights[give] < step - 1e-12:
                        continue
                    w = weights.copy()
                    w[gain] += step
                    w[give] = max(w[give] - step, 0.0)
                    value = _auc_or_worst(scorer.score(train, with_weights(w)), train.churned)
                    if value > best + min_gain and (best_move is None or value > best_move[0]):
                        best_move = (value, w)
        if best_move is None:
            break
        best, weights = best_move
    return with_weights(weights)


def fit_component_weights(scorer: Scorer, train: MetricObservations, config: Config,
                          profiles: list[str], min_gain: float) -> Config:
    candidate = config.copy()
    comp = scorer.components(train, config)
    for profile in profiles:
        rows = profile_rows(train, profile, scorer.renewal_profile)
        candidate.component_weights[profile] = fit_weights(
            comp[rows], train.churned[rows], config.component_weights[profile], min_gain=min_gain
        )
    return candidate


def logistic_seed_config(scorer: Scorer, train: MetricObservations, config: Config,
                         usable: np.ndarray) -> Config:
    """The logistic regression baseline written as seeds, so calibrate always has a
    candidate that ranks as the regression does. Fitted on the observed metric values
    of the training dates (the same fit as the baseline); each metric it uses gets
    absolute thresholds spanning its training values plus one span on either side
    (so held-out values rarely clamp), the training mean as missing_value (as the
    regression imputes it), the direction its coefficient says (flipped where that
    disagrees with the live seed: seed weights cannot be negative, a direction can
    turn), and a weight proportional to |coefficient| x span; component weights =
    each component's share, the same for every profile. Every metric is then always
    observed and the score is an increasing linear function of minus the regression's
    predictor: the same ranking, the same AUC (up to clamping beyond the spans and the
    rounding of the seed text)."""
    values = np.where(usable, train.value, np.nan)
    lower = scorer.catalogue.lower_is_better
    model = fit_logistic(values, train.churned)
    candidate = config.copy()
    effective = np.zeros(len(train.metrics))
    for k, j in enumerate(model.columns):
        column = values[:, j]
        column = column[~np.isnan(column)]
        span = float(column.max()) - float(column.min())
        low = float(_number(float(column.min()) - LOGISTIC_MARGIN * span))
        high = float(_number(float(column.max()) + LOGISTIC_MARGIN * span))
        coef = float(model.coef[k])  # > 0: churn rises with the value (lower is better)
        if not low < high or coef == 0:
            continue
        candidate.absolute[j], candidate.low[j], candidate.high[j] = True, low, high
        candidate.missing_value[j] = float(_number(float(model.mean[k])))
        candidate.flipped[j] = (coef > 0) != bool(lower[j])
        effective[j] = abs(coef) / model.scale[k] * (high - low)
    if effective.sum() <= 0:
        return config.copy()
    component = scorer.catalogue.component
    metric_weight = np.zeros_like(effective)
    comp_total = np.zeros(len(components()))
    for c in range(len(components())):
        cols = component == c
        comp_total[c] = effective[cols].sum()
        if comp_total[c] > 0:
            metric_weight[cols] = np.round(effective[cols] / comp_total[c], WEIGHT_DECIMALS)
        else:  # no signal in the component: its weight goes to 0, its metrics stay
            metric_weight[cols] = config.metric_weight[cols]
    candidate.metric_weight = metric_weight
    units = 10 ** WEIGHT_DECIMALS
    shared = to_units(comp_total / comp_total.sum(), units) / units
    candidate.component_weights = {p: shared.copy() for p in config.component_weights}
    return candidate


def _fit_recipe(recipe: str, scorer: Scorer, train: MetricObservations, current: Config,
                stages: list[str], profiles: list[str], min_gain: float) -> Config:
    """`search`: the stages from the live configuration; `logistic`: the regression's
    seed form; `logistic+search`: the stages from the regression's seed form. A stage's
    result is kept only when it raises the training AUC of the whole score (component
    weights are fitted per profile, which alone could lower it)."""
    usable = informative_metrics(train)
    candidate = current.copy()
    if recipe.startswith("logistic"):
        candidate = logistic_seed_config(scorer, train, current, usable)
        if recipe == "logistic":
            return candidate
    best = _auc_or_worst(scorer.score(train, candidate), train.churned)
    for stage, fit in (
        ("thresholds", lambda c: fit_thresholds(scorer, train, c, usable, min_gain)),
        ("metric weights", lambda c: fit_metric_weights(scorer, train, c, usable, min_gain)),
        ("component weights", lambda c: fit_component_weights(scorer, train, c, profiles,
                                                              min_gain)),
    ):
        if stage not in stages:
            continue
        fitted = fit(candidate)
        value = _auc_or_worst(scorer.score(train, fitted), train.churned)
        if value > best + min_gain:
            best, candidate = value, fitted
    return candidate


def profile_rows(
    observations: MetricObservations, profile: str, renewal_profile: str = RENEWAL_PROFILE
) -> np.ndarray:
    """The observations a profile's weights score: its segments' accounts, or for the
    renewal profile every account inside its renewal window."""
    if profile == renewal_profile:
        return observations.in_renewal_window
    return observations.profile == profile


# --------------------------------------------------------------------------
# the calibration


@dataclass
class Verdict:
    recommended: bool
    reason: str


@dataclass
class CalibrationResult:
    metrics: list[str]
    current: Config
    candidate: Config  # what the search found (judged below)
    written: Config  # what the candidate files hold: the fit if recommended, else live
    stages: list[str]
    skipped: list[str]
    train_dates: list
    purged_dates: list
    holdout_dates: list
    train_observations: int
    train_churned: int
    budget: int
    holdout_observations: int
    holdout_churned: int
    train_auc_current: float
    train_auc_candidate: float
    holdout_auc_current: float
    holdout_auc_candidate: float
    holdout_auc_published: float
    holdout_auc_logistic: float
    holdout_auc_logistic_seeds: float
    difference: Difference | None
    verdict: Verdict
    bands: list[Band]
    bands_current: BandRates | None
    bands_candidate: BandRates | None
    notes: list[str] = field(default_factory=list)


def _parameters(stage: str, scorer: Scorer, usable: np.ndarray, profiles: list[str]) -> int:
    component = scorer.catalogue.component
    if stage == "component weights":
        observed = {int(c) for c in component[usable]}
        return max(len(observed) - 1, 0) * len(profiles)
    if stage == "metric weights":
        return int(sum(max(int(((component == c) & usable).sum()) - 1, 0)
                       for c in range(len(components()))))
    return 2 * int(usable.sum())  # thresholds


def calibrate(
    observations: MetricObservations,
    catalogue: MetricsFile,
    live: dict[str, np.ndarray],
    bands: list[Band],
    holdout_share: float = 1 / 3,
    min_churned: int = 20,
    churned_per_parameter: float = 5.0,
    min_gain: float = 1e-4,
    renewal_profile: str = RENEWAL_PROFILE,
    resamples: int = 200,
) -> CalibrationResult:
    """Fit on the earlier dates, judge on the later ones, decide."""
    if not 0 < holdout_share < 1:
        raise CalibrationError(f"--holdout-share must lie in (0, 1), got {holdout_share}")
    obs = observations.align(catalogue.metrics)
    scorer = Scorer(catalogue, renewal_profile)
    current = live_config(catalogue, live)
    train_dates, purged_dates, holdout_dates = split_dates(
        obs.observation_date, obs.horizon_end_date, holdout_share
    )
    train = obs.subset(np.isin(obs.observation_date, np.array(train_dates)))
    holdout = obs.subset(np.isin(obs.observation_date, np.array(holdout_dates)))
    n_churn = int(train.churned.sum())
    n_keep = len(train) - n_churn
    usable = informative_metrics(train)
    budget = int(n_churn // churned_per_parameter) if churned_per_parameter > 0 else 0

    profiles = [
        p for p in live
        if int(train.churned[profile_rows(train, p, renewal_profile)].sum()) >= min_churned
        and int((~train.churned[profile_rows(train, p, renewal_profile)]).sum()) >= min_churned
    ]
    stages, skipped, notes = [], [], []
    if n_churn < min_churned or n_keep < min_churned:
        skipped = ["everything"]
        notes.append(f"only {n_churn} churned and {n_keep} retained training observations; "
                     f"calibrate fits nothing below {min_churned} (--min-churned)")
    else:
        used = 0
        for stage in ("component weights", "metric weights", "thresholds"):
            need = _parameters(stage, scorer, usable, profiles)
            if need == 0:
                continue
            if used + need <= budget:
                stages.append(stage)
                used += need
            else:
                skipped.append(f"{stage} ({need} parameters; budget {budget - used} left)")
    lr_seeds = (logistic_seed_config(scorer, train, current, usable)
                if n_churn and n_keep else current)
    candidate = current.copy()
    if stages:
        # recipes: when the budget allows metric weights (as many parameters as the
        # regression has), the logistic regression's seed form, alone or refined by
        # the search; below that budget, the search from the live configuration. A
        # greedy AUC search from the live seeds fits the training dates better than
        # the regression and carries less of it to later dates (docs/backtest.md), so
        # the regression is the start whenever it may be fitted: the candidate then
        # ranks at least as the regression does, unless the refinement pays on the
        # training dates. The recipe is chosen on an inner time split of the training
        # dates (fit on its earlier dates, judge on its later ones; ties go to the
        # first), then refitted on all of them. The held-out dates never choose.
        recipes = (["logistic", "logistic+search"] if "metric weights" in stages
                   else ["search"])
        chosen = recipes[0]
        if len(recipes) > 1:
            try:
                inner_train_dates, _, inner_val_dates = split_dates(
                    train.observation_date, train.horizon_end_date, holdout_share)
                inner_train = train.subset(np.isin(train.observation_date,
                                                   np.array(inner_train_dates)))
                inner_val = train.subset(np.isin(train.observation_date,
                                                 np.array(inner_val_dates)))
                scores = {}
                for recipe in recipes:
                    fitted = _fit_recipe(recipe, scorer, inner_train, current, stages,
                                         profiles, min_gain)
                    scores[recipe] = _auc_or_worst(scorer.score(inner_val, fitted),
                                                   inner_val.churned)
                chosen = max(recipes, key=lambda r: (scores[r], -recipes.index(r)))
                notes.append("recipe chosen on an inner time split of the training dates: "
                             + ", ".join(f"{r} {scores[r]:.3f}" for r in recipes)
                             + f" -> {chosen}")
            except CalibrationError:
                notes.append("training dates too few for an inner split: recipe 'search'")
        candidate = _fit_recipe(chosen, scorer, train, current, stages, profiles, min_gain)

    churned_h = holdout.churned
    score_cur_h = scorer.score(holdout, current)
    score_cand_h = scorer.score(holdout, candidate)
    both = ~np.isnan(score_cur_h) & ~np.isnan(score_cand_h)
    auc_cur_h = churn_auc(score_cur_h[both], churned_h[both])
    auc_cand_h = churn_auc(score_cand_h[both], churned_h[both])
    # the fitted baseline on the same rows and split
    auc_lr_h = math.nan
    if len(train) and n_churn and n_keep:
        model = fit_logistic(np.where(usable, train.value, np.nan), train.churned)
        p = predict_logistic(model, np.where(usable, holdout.value, np.nan))
        auc_lr_h = churn_auc(-p[both], churned_h[both])
    auc_lr_seeds_h = churn_auc(scorer.score(holdout, lr_seeds)[both], churned_h[both])

    changed = not _same_config(current, candidate)
    difference = None
    if not changed:
        verdict = Verdict(False, "no change: nothing was fitted or no move improved the "
                                 "training dates" if stages else
                          "declined: too few churned training observations to fit anything")
    else:
        difference = bootstrap_auc_difference(score_cur_h[both], score_cand_h[both],
                                              churned_h[both], holdout.account_id[both],
                                              resamples=resamples)
        gain = auc_cand_h - auc_cur_h
        if math.isnan(gain) or gain <= 0:
            verdict = Verdict(False, f"declined: the candidate is not better on the held-out "
                                     f"dates (gain {gain:+.4f})")
        elif math.isnan(difference.low) or difference.low <= 0:
            verdict = Verdict(False, f"declined: held-out gain {gain:+.4f} is within the noise "
                                     f"(95 % interval {difference.low:+.4f} .. "
                                     f"{difference.high:+.4f}, bootstrap over accounts)")
        else:
            verdict = Verdict(True, f"recommended: held-out gain {gain:+.4f} beyond the noise "
                                    f"(95 % interval {difference.low:+.4f} .. "
                                    f"{difference.high:+.4f}, bootstrap over accounts)")
    written = candidate if verdict.recommended else current
    rates = (lambda s: band_rates(s[both], churned_h[both], bands)) if bands else None
    return CalibrationResult(
        metrics=catalogue.metrics, current=current, candidate=candidate, written=written,
        stages=stages, skipped=skipped, train_dates=train_dates, purged_dates=purged_dates,
        holdout_dates=holdout_dates, train_observations=len(train), train_churned=n_churn,
        budget=budget, holdout_observations=int(both.sum()),
        holdout_churned=int(churned_h[both].sum()),
        train_auc_current=churn_auc(scorer.score(train, current), train.churned),
        train_auc_candidate=churn_auc(scorer.score(train, candidate), train.churned),
        holdout_auc_current=auc_cur_h, holdout_auc_candidate=auc_cand_h,
        holdout_auc_published=churn_auc(holdout.health_score[both], churned_h[both]),
        holdout_auc_logistic=auc_lr_h, holdout_auc_logistic_seeds=auc_lr_seeds_h,
        difference=difference, verdict=verdict, bands=bands,
        bands_current=rates(score_cur_h) if rates else None,
        bands_candidate=rates(score_cand_h) if rates else None, notes=notes,
    )


def _same_config(a: Config, b: Config) -> bool:
    if (not np.array_equal(a.absolute, b.absolute) or not np.array_equal(a.flipped, b.flipped)
            or not np.allclose(a.metric_weight, b.metric_weight)):
        return False
    if a.absolute.any() and not (np.allclose(a.low[a.absolute], b.low[a.absolute])
                                 and np.allclose(a.high[a.absolute], b.high[a.absolute])):
        return False
    return all(np.allclose(a.component_weights[k], b.component_weights[k])
               for k in a.component_weights)


# --------------------------------------------------------------------------
# report


def _fmt(value: float | None, pattern: str = "{:.3f}") -> str:
    return (
        "n/a"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else (pattern.format(value))
    )


def format_report(result: CalibrationResult) -> str:
    lines = []
    span = lambda days: f"{days[0]} .. {days[-1]} ({len(days)})" if days else "none"  # noqa: E731
    lines.append("Time split (by observation date, never random):")
    lines.append(f"  fitted on    {span(result.train_dates)}  "
                 f"({result.train_observations} observations, {result.train_churned} churned)")
    if result.purged_dates:
        lines.append(
            f"  purged       {span(result.purged_dates)}  (label window reaches the held-out dates)"
        )
    lines.append(f"  judged on    {span(result.holdout_dates)}  "
                 f"({result.holdout_observations} observations, {result.holdout_churned} churned)")
    lines.append("")
    lines.append(f"Fitted: {', '.join(result.stages) or 'nothing'} "
                 f"(budget {result.budget} parameters = churned training observations / "
                 "--churned-per-parameter)")
    for skipped in result.skipped:
        lines.append(f"  skipped: {skipped}")
    for note in result.notes:
        lines.append(f"  note: {note}")
    lines.append("")
    cur, cand = result.current, result.candidate
    changed_metrics = [
        j for j in range(len(result.metrics))
        if cand.absolute[j] or cand.flipped[j]
        or abs(cand.metric_weight[j] - cur.metric_weight[j]) > 1e-9
    ]
    if changed_metrics:
        lines.append("Metrics changed by the fit (weight within component; thresholds):")
        for j in changed_metrics:
            threshold = (f"absolute {_number(cand.low[j])} .. {_number(cand.high[j])}"
                         if cand.absolute[j] else "live thresholds")
            flip = "   direction flipped" if cand.flipped[j] else ""
            lines.append(f"  {result.metrics[j]:<38} {cur.metric_weight[j]:.2f} -> "
                         f"{cand.metric_weight[j]:.2f}   {threshold}{flip}")
        lines.append("")
    lines.append("Component weights per profile, current -> candidate:")
    lines.append(f"  {'profile':<12} " + "".join(f"{c:<12}" for c in components()))
    for profile, weights in cur.component_weights.items():
        new = cand.component_weights[profile]
        lines.append(f"  {profile:<12} " + "".join(
            f"{f'{weights[i]:.2f}->{new[i]:.2f}':<12}" for i in range(len(components()))))
    lines.append("")
    lines.append("Side by side (scores without caps or overrides):")
    lines.append(f"  {'':34} {'current':>9} {'candidate':>10}")
    lines.append(f"  {'churn AUC, training dates':34} {_fmt(result.train_auc_current):>9} "
                 f"{_fmt(result.train_auc_candidate):>10}")
    lines.append(f"  {'churn AUC, held-out dates':34} {_fmt(result.holdout_auc_current):>9} "
                 f"{_fmt(result.holdout_auc_candidate):>10}")
    if result.bands_current and result.bands_candidate:
        bc, bd = result.bands_current, result.bands_candidate
        for i, band in enumerate(result.bands):
            label = f"held-out churn rate {band.band}"
            lines.append(
                f"  {label:34} {_fmt(bc.churn_rates[i], '{:.1%}'):>9} "
                f"{_fmt(bd.churn_rates[i], '{:.1%}'):>10}   "
                f"(n = {bc.observations[i]} / {bd.observations[i]})"
            )
        lines.append(f"  {'ratio lowest / highest band':34} "
                     f"{_fmt(bc.lowest_highest_ratio, '{:.1f}x'):>9} "
                     f"{_fmt(bd.lowest_highest_ratio, '{:.1f}x'):>10}")
        lines.append(f"  {'churn falls band by band':34} {str(bc.is_monotonic).lower():>9} "
                     f"{str(bd.is_monotonic).lower():>10}")
        emptied = [band.band for i, band in enumerate(result.bands)
                   if bc.observations[i] and not bd.observations[i]]
        if emptied:
            lines.append(f"  note: no held-out row falls in band {', '.join(emptied)} under the "
                         "candidate: its scores spread differently, review health_bands before "
                         "adopting it")
    lines.append("")
    lines.append("Baselines on the same held-out rows:")
    lines.append(f"  published score (caps, overrides)   AUC {_fmt(result.holdout_auc_published)}")
    lines.append(f"  logistic regression on the metrics  AUC {_fmt(result.holdout_auc_logistic)}"
                 "  (fitted on the training dates; numpy)")
    lines.append(f"  its seed form (thresholds, weights) AUC "
                 f"{_fmt(result.holdout_auc_logistic_seeds)}")
    best_seedable = result.holdout_auc_candidate
    if not math.isnan(result.holdout_auc_logistic) and not math.isnan(best_seedable):
        gap = result.holdout_auc_logistic - best_seedable
        if gap <= 0:
            lines.append("  the candidate is at least as good as the logistic regression")
        elif gap < 0.001:
            lines.append(
                f"  the candidate matches the logistic regression within 0.001 AUC (short by "
                f"{gap:.5f}: held-out values beyond the fitted spans clamp, the seed text is "
                "rounded)")
        else:
            lines.append(
                f"  the candidate is BELOW the logistic regression by "
                f"{result.holdout_auc_logistic - best_seedable:.4f}: the seeds' form (clamped "
                "linear subscores, weighted means) does not capture all of the signal here")
    lines.append("")
    if result.difference is not None:
        d = result.difference
        lines.append(f"Held-out gain {_fmt(d.estimate, '{:+.4f}')}, standard error "
                     f"{_fmt(d.standard_error, '{:.4f}')}, 95 % interval "
                     f"{_fmt(d.low, '{:+.4f}')} .. {_fmt(d.high, '{:+.4f}')} "
                     f"({d.resamples} bootstrap resamples of the accounts)")
    lines.append(f"VERDICT: {result.verdict.reason}")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# CLI


def default_db() -> Path:
    return Path(os.environ.get("HEALTH_DUCKDB_PATH", REPO_ROOT / "data" / "health.duckdb"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        # SUPPRESS: a --db given before the subcommand (health.py --db X calibrate) is kept
        default=argparse.SUPPRESS,
        help="DuckDB file with the built backtest (default: $HEALTH_DUCKDB_PATH or "
        "data/health.duckdb); opened read-only",
    )
    parser.add_argument("--weights", type=Path, default=REPO_ROOT / "seeds" / "health_weights.csv",
                        help="the live weights seed to start from (never modified)")
    parser.add_argument("--metrics", type=Path, default=REPO_ROOT / "seeds" / "health_metrics.csv",
                        help="the live metric catalogue to start from (never modified)")
    parser.add_argument("--bands", type=Path, default=REPO_ROOT / "seeds" / "health_bands.csv",
                        help="bands seed used to compare band churn rates")
    parser.add_argument("--out", type=Path,
                        default=REPO_ROOT / "output" / "health_weights.candidate.csv",
                        help="where to write the candidate weights (not into seeds/)")
    parser.add_argument("--metrics-out", type=Path,
                        default=REPO_ROOT / "output" / "health_metrics.candidate.csv",
                        help="where to write the candidate metric catalogue (not into seeds/)")
    parser.add_argument("--holdout-share", type=float, default=1 / 3,
                        help="share of the latest observation dates held out for judging "
                        "(default 1/3)")
    parser.add_argument("--min-churned", type=int, default=20,
                        help="fit nothing below this many churned (and retained) training "
                        "observations; a profile's component weights need as many in its rows "
                        "(default 20)")
    parser.add_argument("--churned-per-parameter", type=float, default=5.0,
                        help="churned training observations each fitted parameter needs; stages "
                        "beyond the budget are skipped (default 5)")
    parser.add_argument("--min-gain", type=float, default=1e-4,
                        help="smallest training-AUC gain a move must bring (default 0.0001)")
    parser.add_argument("--resamples", type=int, default=200,
                        help="bootstrap resamples of the accounts for the verdict (default 200)")
    parser.add_argument("--renewal-profile", default=RENEWAL_PROFILE,
                        help="profile fitted on the observations inside the renewal window "
                        "(default renewal, as the dbt var renewal_profile)")
    parser.add_argument("--schema", default="backtest", help="schema of the backtest models")


def run(args: argparse.Namespace) -> int:
    db_arg = getattr(args, "db", None)
    db_path = Path(db_arg) if db_arg else default_db()
    out = Path(args.out).resolve()
    metrics_out = Path(getattr(args, "metrics_out", out.with_name("health_metrics.candidate.csv"))
                       ).resolve()
    weights_path = Path(args.weights).resolve()
    metrics_path = Path(getattr(args, "metrics", REPO_ROOT / "seeds" / "health_metrics.csv")
                        ).resolve()
    seeds_dir = (REPO_ROOT / "seeds").resolve()
    try:
        for target in (out, metrics_out):
            if target in (weights_path, metrics_path) or target.parent == seeds_dir:
                raise CalibrationError(
                    f"--out/--metrics-out {target} would overwrite or shadow a live seed; write "
                    "the candidate elsewhere (default output/) and copy it over by hand"
                )
        live = read_weights(weights_path)
        catalogue = read_metrics(metrics_path)
        bands = read_bands(Path(args.bands))
        print(f"calibrate: reading backtest observations from {db_path} (read-only) ...")
        observations = load_metric_observations(db_path, args.schema)
        print(f"calibrate: {len(observations)} observations x {len(observations.metrics)} "
              f"metrics; fitting ...")
        result = calibrate(
            observations, catalogue, live.weights, bands,
            holdout_share=args.holdout_share, min_churned=args.min_churned,
            churned_per_parameter=getattr(args, "churned_per_parameter", 5.0),
            min_gain=args.min_gain, renewal_profile=args.renewal_profile,
            resamples=getattr(args, "resamples", 200),
        )
    except CalibrationError as exc:
        print(f"calibrate: error: {exc}", file=sys.stderr)
        return 2
    write_weights(live, result.written.component_weights, out)
    write_metrics(catalogue, result.written, metrics_out)
    print()
    print(format_report(result))
    print()
    print(f"Candidate seeds written to {out} and {metrics_out}")
    print(f"The live seeds {weights_path} and {metrics_path} are unchanged.")
    if result.verdict.recommended:
        print("To adopt the candidate, review it, then")
        print(f"  cp {out} {weights_path} && cp {metrics_out} {metrics_path} "
              "&& health build")
    else:
        print("Nothing to adopt: the candidate files repeat the live configuration.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="calibrate", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
