"""`calibrate`: propose per-profile component weights from the backtest (SPEC §7).

Reads `backtest.backtest_observations` (read-only, after `dbt build`), fits
each profile's weights on the earlier observation dates, judges them on the
later ones (a time split, never a random one) and writes a candidate seed
file in the format of `seeds/health_weights.csv`. It never touches the live
seed: a human reviews the comparison and copies the file over.

The only scoring re-implemented here is what fitting needs: the weighted mean
of the observed subscores, renormalised over the components with data
(SPEC §4.3). Caps and overrides are left out on both sides of the comparison,
so current and candidate weights are compared like for like; the published
(capped) score's AUC is printed beside them for reference.

Fitting: coordinate search on the simplex. Weights live on a grid of 0.01;
each move shifts 0.10 (then 0.05) of weight from one component to another,
the best move by training AUC is kept while it gains at least `--min-gain`.
Weights stay non-negative and sum to exactly 1 by construction. A profile
with too few churned observations on the training dates keeps its weights.
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

from .dbfile import alias_path

COMPONENTS = ("usage", "value", "billing", "support", "sentiment")
RENEWAL_PROFILE = "renewal"
REPO_ROOT = Path(__file__).resolve().parents[2]
UNITS = 100  # weights are fitted in units of 0.01
STEPS = (10, 5)  # moves of 0.10, then 0.05
MAX_MOVES = 200


class CalibrationError(Exception):
    """A problem the user can fix; the message names the fix."""


# --------------------------------------------------------------------------
# data


@dataclass
class Observations:
    """Backtest observations as arrays (one row per account x observation date)."""

    observation_date: np.ndarray  # datetime64[D]
    profile: np.ndarray  # object (str)
    in_renewal_window: np.ndarray  # bool
    subscores: np.ndarray  # float (n, 5), NaN = component not observed
    churned: np.ndarray  # bool
    health_score: np.ndarray  # float, the published (capped) score
    horizon_end_date: np.ndarray  # datetime64[D]

    def __len__(self) -> int:
        return len(self.churned)

    def subset(self, mask: np.ndarray) -> Observations:
        return Observations(
            observation_date=self.observation_date[mask],
            profile=self.profile[mask],
            in_renewal_window=self.in_renewal_window[mask],
            subscores=self.subscores[mask],
            churned=self.churned[mask],
            health_score=self.health_score[mask],
            horizon_end_date=self.horizon_end_date[mask],
        )

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence]) -> Observations:
        """Rows of (observation_date, horizon_end_date, profile, in_renewal_window,
        usage, value, billing, support, sentiment, is_churned, health_score)."""

        def num(value) -> float:
            return math.nan if value is None else float(value)

        return cls(
            observation_date=np.array([r[0] for r in rows], dtype="datetime64[D]"),
            horizon_end_date=np.array([r[1] for r in rows], dtype="datetime64[D]"),
            profile=np.array([r[2] for r in rows], dtype=object),
            in_renewal_window=np.array([bool(r[3]) for r in rows], dtype=bool),
            subscores=np.array([[num(v) for v in r[4:9]] for r in rows], dtype=float).reshape(
                len(rows), len(COMPONENTS)
            ),
            churned=np.array([bool(r[9]) for r in rows], dtype=bool),
            health_score=np.array([num(r[10]) for r in rows], dtype=float),
        )


OBSERVATIONS_QUERY = """
select
    observation_date,
    horizon_end_date,
    profile,
    coalesce(is_in_renewal_window, false),
    usage_subscore,
    value_subscore,
    billing_subscore,
    support_subscore,
    sentiment_subscore,
    is_churned,
    health_score
from {schema}.backtest_observations
order by observation_date, observation_id
"""


def load_observations(db_path: Path, schema: str = "backtest") -> Observations:
    """Read the observations from the DuckDB file, read-only."""
    import duckdb

    if not db_path.exists():
        raise CalibrationError(
            f"no database at {db_path}: run `python scripts/health.py build` first "
            "(or pass --db / set HEALTH_DUCKDB_PATH)"
        )
    try:
        con = duckdb.connect(str(alias_path(db_path)), read_only=True)  # raw/marts.duckdb
    except duckdb.Error as exc:
        raise CalibrationError(
            f"cannot open {db_path} read-only ({exc}); wait for the running dbt build to finish"
        ) from exc
    try:
        rows = con.execute(OBSERVATIONS_QUERY.format(schema=schema)).fetchall()
    except duckdb.CatalogException as exc:
        raise CalibrationError(
            f"{schema}.backtest_observations not found in {db_path}: run "
            "`python scripts/health.py build` (the backtest models) first"
        ) from exc
    finally:
        con.close()
    if not rows:
        raise CalibrationError(
            f"{schema}.backtest_observations is empty: the data is too short for one labelled "
            "observation date (needs warm-up + backtest_horizon_days + resubscribe_grace_days)"
        )
    return Observations.from_rows(rows)


@dataclass
class WeightsFile:
    """A health_weights seed: rows kept in file order, so a candidate diffs cleanly."""

    path: Path
    fieldnames: list[str]
    rows: list[dict[str, str]]
    weights: dict[str, np.ndarray]  # profile -> weights in COMPONENTS order


def read_weights(path: Path) -> WeightsFile:
    if not path.exists():
        raise CalibrationError(f"weights file {path} not found (pass --weights)")
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        fieldnames = list(reader.fieldnames or [])
        rows = list(reader)
    missing = {"profile", "component", "weight"} - set(fieldnames)
    if missing:
        raise CalibrationError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    weights: dict[str, np.ndarray] = {}
    for line, row in enumerate(rows, start=2):
        component = (row["component"] or "").strip()
        if component not in COMPONENTS:
            raise CalibrationError(
                f"{path} line {line}: unknown component {component!r}; "
                f"use one of {', '.join(COMPONENTS)}"
            )
        try:
            weight = float(row["weight"])
        except (TypeError, ValueError) as exc:
            raise CalibrationError(
                f"{path} line {line}: weight {row['weight']!r} is not a number"
            ) from exc
        if weight < 0:
            raise CalibrationError(f"{path} line {line}: weight {weight} is negative")
        profile = (row["profile"] or "").strip()
        weights.setdefault(profile, np.zeros(len(COMPONENTS)))[COMPONENTS.index(component)] = weight
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
            new_row["weight"] = f"{weights[profile][COMPONENTS.index(component)]:.2f}"
            writer.writerow(new_row)
    tmp.replace(out)


@dataclass
class Band:
    band: str
    min_score: float
    max_score: float
    rank: int


def read_bands(path: Path) -> list[Band]:
    if not path.exists():
        raise CalibrationError(f"bands file {path} not found (pass --bands)")
    with path.open(newline="") as handle:
        bands = [
            Band(r["band"], float(r["min_score"]), float(r["max_score"]), int(r["rank"]))
            for r in csv.DictReader(handle)
        ]
    return sorted(bands, key=lambda b: b.rank)


# --------------------------------------------------------------------------
# scoring and metrics


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


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of values ascending, ties sharing their average rank."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return (ends - (counts - 1) / 2.0)[inverse]


def churn_auc(score: np.ndarray, churned: np.ndarray) -> float:
    """Rank-based AUC of a score for churn, low score = risk: the probability that a
    churned observation scored lower than a retained one (ties count one half).
    Same definition as the SQL macro `rank_auc`. NaN scores are left out."""
    keep = ~np.isnan(score)
    score, churned = score[keep], churned[keep]
    n_pos = int(churned.sum())
    n_neg = len(churned) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = average_ranks(-score)
    return float((ranks[churned].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


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


# --------------------------------------------------------------------------
# fitting


def to_units(weights: np.ndarray) -> np.ndarray:
    units = np.rint(np.asarray(weights, dtype=float) * UNITS).astype(int)
    units[int(np.argmax(units))] += UNITS - int(units.sum())
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
            for gain_i in range(len(COMPONENTS)):
                for give_j in range(len(COMPONENTS)):
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
# the calibration


@dataclass
class ProfileResult:
    profile: str
    current: np.ndarray
    candidate: np.ndarray
    fitted: bool
    note: str
    train_observations: int
    train_churned: int
    holdout_observations: int
    holdout_churned: int
    train_auc_current: float
    train_auc_candidate: float
    holdout_auc_current: float
    holdout_auc_candidate: float


@dataclass
class CalibrationResult:
    profiles: list[ProfileResult]
    train_dates: list[np.datetime64]
    purged_dates: list[np.datetime64]
    holdout_dates: list[np.datetime64]
    holdout_observations: int
    holdout_churned: int
    holdout_auc_published: float
    holdout_auc_current: float
    holdout_auc_candidate: float
    bands: list[Band]
    bands_current: BandRates | None
    bands_candidate: BandRates | None
    candidate_weights: dict[str, np.ndarray] = field(default_factory=dict)


def split_dates(
    dates: np.ndarray, horizon_end: np.ndarray, holdout_share: float
) -> tuple[list, list, list]:
    """Time split: the last `holdout_share` of observation dates are held out.

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


def profile_rows(
    observations: Observations, profile: str, renewal_profile: str = RENEWAL_PROFILE
) -> np.ndarray:
    """The observations a profile's weights score: its segments' accounts, or for the
    renewal profile every account inside its renewal window."""
    if profile == renewal_profile:
        return observations.in_renewal_window
    return observations.profile == profile


def calibrate(
    observations: Observations,
    live: dict[str, np.ndarray],
    bands: list[Band],
    holdout_share: float = 1 / 3,
    min_churned: int = 20,
    min_gain: float = 1e-4,
    renewal_profile: str = RENEWAL_PROFILE,
) -> CalibrationResult:
    """Fit per-profile weights on the earlier dates and judge them on the later ones."""
    if not 0 < holdout_share < 1:
        raise CalibrationError(f"--holdout-share must lie in (0, 1), got {holdout_share}")
    train_dates, purged_dates, holdout_dates = split_dates(
        observations.observation_date, observations.horizon_end_date, holdout_share
    )
    in_train = np.isin(observations.observation_date, np.array(train_dates))
    in_holdout = np.isin(observations.observation_date, np.array(holdout_dates))
    train, holdout = observations.subset(in_train), observations.subset(in_holdout)

    results: list[ProfileResult] = []
    candidate_weights: dict[str, np.ndarray] = {}
    for profile in live:
        current = live[profile]
        t_rows = profile_rows(train, profile, renewal_profile)
        h_rows = profile_rows(holdout, profile, renewal_profile)
        t_sub, t_churn = train.subscores[t_rows], train.churned[t_rows]
        h_sub, h_churn = holdout.subscores[h_rows], holdout.churned[h_rows]
        n_churn, n_keep = int(t_churn.sum()), int((~t_churn).sum())
        if n_churn < min_churned or n_keep < min_churned:
            candidate = current.copy()
            fitted = False
            note = f"kept (needs {min_churned} churned and retained, see --min-churned)"
        else:
            candidate = fit_weights(t_sub, t_churn, current, min_gain=min_gain)
            fitted = True
            note = "fitted" if not np.allclose(candidate, current) else "fitted: no better move"
        candidate_weights[profile] = candidate
        results.append(
            ProfileResult(
                profile=profile,
                current=current,
                candidate=candidate,
                fitted=fitted,
                note=note,
                train_observations=int(t_rows.sum()),
                train_churned=n_churn,
                holdout_observations=int(h_rows.sum()),
                holdout_churned=int(h_churn.sum()),
                train_auc_current=churn_auc(weighted_score(t_sub, current), t_churn),
                train_auc_candidate=churn_auc(weighted_score(t_sub, candidate), t_churn),
                holdout_auc_current=churn_auc(weighted_score(h_sub, current), h_churn),
                holdout_auc_candidate=churn_auc(weighted_score(h_sub, candidate), h_churn),
            )
        )

    # pooled held-out comparison: every observation scored with its own profile's weights
    score_current = np.full(len(holdout), np.nan)
    score_candidate = np.full(len(holdout), np.nan)
    for profile in live:
        if profile == renewal_profile:
            continue
        rows = holdout.profile == profile
        score_current[rows] = weighted_score(holdout.subscores[rows], live[profile])
        score_candidate[rows] = weighted_score(holdout.subscores[rows], candidate_weights[profile])
    both = ~np.isnan(score_current) & ~np.isnan(score_candidate)
    return CalibrationResult(
        profiles=results,
        train_dates=train_dates,
        purged_dates=purged_dates,
        holdout_dates=holdout_dates,
        holdout_observations=int(both.sum()),
        holdout_churned=int(holdout.churned[both].sum()),
        holdout_auc_published=churn_auc(holdout.health_score[both], holdout.churned[both]),
        holdout_auc_current=churn_auc(score_current[both], holdout.churned[both]),
        holdout_auc_candidate=churn_auc(score_candidate[both], holdout.churned[both]),
        bands=bands,
        bands_current=band_rates(score_current[both], holdout.churned[both], bands)
        if bands
        else None,
        bands_candidate=band_rates(score_candidate[both], holdout.churned[both], bands)
        if bands
        else None,
        candidate_weights=candidate_weights,
    )


# --------------------------------------------------------------------------
# report


def _fmt(value: float, pattern: str = "{:.3f}") -> str:
    return (
        "n/a"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else (pattern.format(value))
    )


def format_report(result: CalibrationResult) -> str:
    lines = []
    span = lambda days: f"{days[0]} .. {days[-1]} ({len(days)})" if days else "none"  # noqa: E731
    lines.append("Time split (by observation date, never random):")
    lines.append(f"  fitted on    {span(result.train_dates)}")
    if result.purged_dates:
        lines.append(
            f"  purged       {span(result.purged_dates)}  (label window reaches the held-out dates)"
        )
    lines.append(f"  judged on    {span(result.holdout_dates)}")
    lines.append("")
    lines.append("Weights per profile, current -> candidate, and churn AUC current -> candidate:")
    cells = [f"{c:<12}" for c in COMPONENTS]
    lines.append(f"  {'profile':<12} {''.join(cells)} {'AUC training':<16} AUC held out")
    notes = []
    for p in result.profiles:
        weights = "".join(
            f"{f'{p.current[i]:.2f}->{p.candidate[i]:.2f}':<12}" for i in range(len(COMPONENTS))
        )
        train = f"{_fmt(p.train_auc_current)}->{_fmt(p.train_auc_candidate)}"
        held = f"{_fmt(p.holdout_auc_current)}->{_fmt(p.holdout_auc_candidate)}"
        lines.append(f"  {p.profile:<12} {weights} {train:<16} {held}")
        notes.append(
            f"  {p.profile}: {p.note}; training {p.train_observations} observations, "
            f"{p.train_churned} churned; held out {p.holdout_observations}, "
            f"{p.holdout_churned} churned"
        )
    lines.extend(notes)
    lines.append("")
    lines.append(
        f"Held-out dates, all profiles ({result.holdout_observations} observations, "
        f"{result.holdout_churned} churned); scores without caps or overrides:"
    )
    lines.append(f"  {'':28} {'current':>9} {'candidate':>10}")
    lines.append(
        f"  {'churn AUC':28} {_fmt(result.holdout_auc_current):>9} "
        f"{_fmt(result.holdout_auc_candidate):>10}"
    )
    if result.bands_current and result.bands_candidate:
        cur, cand = result.bands_current, result.bands_candidate
        for i, band in enumerate(result.bands):
            label = f"churn rate {band.band}"
            lines.append(
                f"  {label:28} {_fmt(cur.churn_rates[i], '{:.1%}'):>9} "
                f"{_fmt(cand.churn_rates[i], '{:.1%}'):>10}   "
                f"(n = {cur.observations[i]} / {cand.observations[i]})"
            )
        lines.append(
            f"  {'ratio lowest / highest band':28} {_fmt(cur.lowest_highest_ratio, '{:.1f}x'):>9} "
            f"{_fmt(cand.lowest_highest_ratio, '{:.1f}x'):>10}"
        )
        lines.append(
            f"  {'churn falls band by band':28} {str(cur.is_monotonic).lower():>9} "
            f"{str(cand.is_monotonic).lower():>10}"
        )
    lines.append(
        f"  (published score with caps and overrides, held out: "
        f"AUC {_fmt(result.holdout_auc_published)})"
    )
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
    parser.add_argument(
        "--weights",
        type=Path,
        default=REPO_ROOT / "seeds" / "health_weights.csv",
        help="the live weights seed to start from (never modified)",
    )
    parser.add_argument(
        "--bands",
        type=Path,
        default=REPO_ROOT / "seeds" / "health_bands.csv",
        help="bands seed used to compare band churn rates",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO_ROOT / "output" / "health_weights.candidate.csv",
        help="where to write the candidate weights (must not be the live seed)",
    )
    parser.add_argument(
        "--holdout-share",
        type=float,
        default=1 / 3,
        help="share of the latest observation dates held out for judging (default 1/3)",
    )
    parser.add_argument(
        "--min-churned",
        type=int,
        default=20,
        help="fit a profile only with at least this many churned and retained training "
        "observations; otherwise keep its weights (default 20)",
    )
    parser.add_argument(
        "--min-gain",
        type=float,
        default=1e-4,
        help="smallest training-AUC gain a weight move must bring (default 0.0001)",
    )
    parser.add_argument(
        "--renewal-profile",
        default=RENEWAL_PROFILE,
        help="profile fitted on the observations inside the renewal window (default renewal, "
        "as the dbt var renewal_profile)",
    )
    parser.add_argument("--schema", default="backtest", help="schema of the backtest models")


def run(args: argparse.Namespace) -> int:
    db_arg = getattr(args, "db", None)
    db_path = Path(db_arg) if db_arg else default_db()
    out = Path(args.out).resolve()
    weights_path = Path(args.weights).resolve()
    seeds_dir = (REPO_ROOT / "seeds").resolve()
    try:
        if out == weights_path or out.parent == seeds_dir:
            raise CalibrationError(
                f"--out {out} would overwrite or shadow a live seed; write the candidate "
                "elsewhere (default output/health_weights.candidate.csv) and copy it over by hand"
            )
        live = read_weights(weights_path)
        bands = read_bands(Path(args.bands))
        print(f"calibrate: reading backtest observations from {db_path} (read-only) ...")
        observations = load_observations(db_path, args.schema)
        print(
            f"calibrate: {len(observations)} observations; fitting {len(live.weights)} profiles ..."
        )
        result = calibrate(
            observations,
            live.weights,
            bands,
            holdout_share=args.holdout_share,
            min_churned=args.min_churned,
            min_gain=args.min_gain,
            renewal_profile=args.renewal_profile,
        )
    except CalibrationError as exc:
        print(f"calibrate: error: {exc}", file=sys.stderr)
        return 2
    write_weights(live, result.candidate_weights, out)
    print()
    print(format_report(result))
    print()
    print(f"Candidate weights written to {out}")
    print(f"The live seed {weights_path} is unchanged. To adopt the candidate, review it, then")
    print(f"  cp {out} {weights_path} && python scripts/health.py build")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="calibrate", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
