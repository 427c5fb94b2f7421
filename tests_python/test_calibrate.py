"""Unit tests of `calibrate` (scripts/healthwh/calibrate.py) on synthetic observations."""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from healthwh import calibrate as cal  # noqa: E402

LIVE_WEIGHTS = ROOT / "seeds" / "health_weights.csv"
LIVE_BANDS = ROOT / "seeds" / "health_bands.csv"


def synthetic_observations(
    n_dates: int = 12,
    per_date: int = 400,
    signal: str = "billing",
    seed: int = 7,
    profiles: tuple[str, ...] = ("smb", "enterprise"),
) -> cal.Observations:
    """Churn driven by one component only; the others are noise. 10% of sentiment
    values are missing (no data), as in real data."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2025-01-01")
    rows = []
    for d in range(n_dates):
        day = start + np.timedelta64(28 * d, "D")
        horizon_end = day + np.timedelta64(90, "D")
        for i in range(per_date):
            subs = rng.uniform(0, 1, size=5)
            if rng.uniform() < 0.1:
                subs[4] = np.nan
            driver = subs[cal.COMPONENTS.index(signal)]
            p_churn = 1 / (1 + math.exp(-(-1.5 - 5 * (driver - 0.5))))
            churned = bool(rng.uniform() < p_churn)
            values = [None if np.isnan(v) else float(v) for v in subs]
            rows.append(
                (
                    str(day),
                    str(horizon_end),
                    profiles[i % len(profiles)],
                    i % 5 == 0,
                    *values,
                    churned,
                    float(np.nanmean(subs) * 100),
                )
            )
    return cal.Observations.from_rows(rows)


# --------------------------------------------------------------------------- metrics


def test_auc_hand_computed_case_matches_sql_unit_test():
    # churners score 10 and 50, retained 50, 70, 90: 5.5 of 6 pairs ordered right
    score = np.array([10.0, 50.0, 50.0, 70.0, 90.0])
    churned = np.array([True, True, False, False, False])
    assert cal.churn_auc(score, churned) == pytest.approx(5.5 / 6)


def test_auc_edges():
    churned = np.array([True, False, True, False])
    assert cal.churn_auc(np.array([1.0, 2.0, 1.0, 2.0]), churned) == 1.0
    assert cal.churn_auc(np.array([2.0, 1.0, 2.0, 1.0]), churned) == 0.0
    assert cal.churn_auc(np.array([5.0, 5.0, 5.0, 5.0]), churned) == 0.5
    assert math.isnan(cal.churn_auc(np.array([1.0, 2.0]), np.array([False, False])))
    # NaN scores are left out, not read as low
    assert cal.churn_auc(np.array([1.0, np.nan, 2.0]), np.array([True, True, False])) == 1.0


def test_average_ranks_share_ties():
    assert cal.average_ranks(np.array([3.0, 1.0, 3.0, 2.0])).tolist() == [3.5, 1.0, 3.5, 2.0]


def test_weighted_score_renormalises_over_observed_components():
    weights = np.array([0.30, 0.25, 0.20, 0.15, 0.10])
    subscores = np.array(
        [
            [0.5, np.nan, 1.0, np.nan, np.nan],  # (0.15 + 0.20) / 0.50
            [1.0, 1.0, 1.0, 1.0, 1.0],
            [np.nan] * 5,  # nothing observed: no score
        ]
    )
    score = cal.weighted_score(subscores, weights)
    assert score[0] == pytest.approx(70.0)
    assert score[1] == pytest.approx(100.0)
    assert math.isnan(score[2])


def test_band_rates_top_band_includes_100():
    bands = cal.read_bands(LIVE_BANDS)
    rates = cal.band_rates(
        np.array([10.0, 39.99, 40.0, 100.0, 70.0]),
        np.array([True, False, True, False, False]),
        bands,
    )
    assert rates.observations == [2, 1, 2]
    assert rates.churn_rates == [0.5, 1.0, 0.0]
    assert not rates.is_monotonic
    assert math.isnan(rates.lowest_highest_ratio)  # highest band had no churn


# --------------------------------------------------------------------------- fitting


def test_fit_keeps_weights_on_the_simplex_and_finds_the_signal():
    obs = synthetic_observations(signal="billing")
    start = np.array([0.30, 0.25, 0.20, 0.15, 0.10])
    fitted = cal.fit_weights(obs.subscores, obs.churned, start)
    assert (fitted >= 0).all()
    assert fitted.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.allclose(fitted * 100, np.rint(fitted * 100))  # a 0.01 grid
    billing = cal.COMPONENTS.index("billing")
    assert fitted[billing] > start[billing]
    assert fitted[billing] == fitted.max()
    before = cal.churn_auc(cal.weighted_score(obs.subscores, start), obs.churned)
    after = cal.churn_auc(cal.weighted_score(obs.subscores, fitted), obs.churned)
    assert after > before


def test_fit_is_deterministic():
    obs = synthetic_observations(signal="usage", n_dates=4)
    start = np.array([0.2, 0.2, 0.2, 0.2, 0.2])
    first = cal.fit_weights(obs.subscores, obs.churned, start)
    second = cal.fit_weights(obs.subscores, obs.churned, start)
    assert first.tolist() == second.tolist()


def test_time_split_holds_out_the_latest_dates_and_purges_overlap():
    obs = synthetic_observations(n_dates=12, per_date=10)
    train, purged, holdout = cal.split_dates(obs.observation_date, obs.horizon_end_date, 1 / 3)
    assert len(holdout) == 4
    assert max(train) < min(purged) < min(holdout)
    # a 90-day label window from a date 28, 56 or 84 days before the first held-out
    # date reaches into the held-out period: those dates are purged, none fitted
    assert len(purged) == 3
    for day in train:
        assert day + np.timedelta64(90, "D") < min(holdout)


def test_time_split_needs_two_dates():
    obs = synthetic_observations(n_dates=1, per_date=10)
    with pytest.raises(cal.CalibrationError, match="at least 2"):
        cal.split_dates(obs.observation_date, obs.horizon_end_date, 1 / 3)


def test_calibrate_improves_held_out_separation_on_a_clear_signal():
    obs = synthetic_observations(signal="support", n_dates=14, per_date=500)
    live = cal.read_weights(LIVE_WEIGHTS).weights
    result = cal.calibrate(obs, live, cal.read_bands(LIVE_BANDS), min_churned=20)
    by_profile = {p.profile: p for p in result.profiles}
    for profile in ("smb", "enterprise"):
        assert by_profile[profile].fitted
        assert by_profile[profile].holdout_auc_candidate > by_profile[profile].holdout_auc_current
    # profiles without observations keep their weights; renewal is fitted on
    # the observations inside the renewal window
    assert not by_profile["mid_market"].fitted
    assert by_profile["mid_market"].candidate.tolist() == live["mid_market"].tolist()
    assert by_profile["renewal"].train_observations > 0
    assert result.holdout_auc_candidate > result.holdout_auc_current
    for weights in result.candidate_weights.values():
        assert (weights >= 0).all()
        assert weights.sum() == pytest.approx(1.0)
    report = cal.format_report(result)
    assert "held out" in report and "candidate" in report


def test_calibrate_keeps_profiles_with_too_few_churned():
    obs = synthetic_observations(n_dates=6, per_date=40)
    live = cal.read_weights(LIVE_WEIGHTS).weights
    result = cal.calibrate(obs, live, cal.read_bands(LIVE_BANDS), min_churned=10_000)
    for profile in result.profiles:
        assert not profile.fitted
        assert "kept" in profile.note
        assert profile.candidate.tolist() == live[profile.profile].tolist()


# --------------------------------------------------------------------------- files and CLI


def test_read_weights_names_the_line_and_the_fix(tmp_path):
    bad = tmp_path / "w.csv"
    bad.write_text("profile,component,weight\ndefault,usage,0.5\ndefault,vibes,0.5\n")
    with pytest.raises(cal.CalibrationError, match=r"line 3: unknown component 'vibes'"):
        cal.read_weights(bad)
    bad.write_text("profile,component,weight\ndefault,usage,0.5\ndefault,value,0.4\n")
    with pytest.raises(cal.CalibrationError, match="sum to 0.9"):
        cal.read_weights(bad)


def _observation_db(path: Path, obs_rows: list[tuple]) -> None:
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("create schema backtest")
    con.execute(
        """
        create table backtest.backtest_observations (
            observation_id varchar, observation_date date, horizon_end_date date,
            profile varchar, is_in_renewal_window boolean, usage_subscore double,
            value_subscore double, billing_subscore double, support_subscore double,
            sentiment_subscore double, is_churned boolean, health_score double
        )
        """
    )
    con.executemany(
        "insert into backtest.backtest_observations values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        obs_rows,
    )
    con.close()


def _args(**kwargs) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cal.add_arguments(parser)
    argv = []
    for key, value in kwargs.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    return parser.parse_args(argv)


def test_run_writes_a_valid_candidate_and_leaves_the_live_seed(tmp_path, capsys):
    obs = synthetic_observations(signal="value", n_dates=9, per_date=300)
    rows = []
    for i in range(len(obs)):
        subs = [None if np.isnan(v) else float(v) for v in obs.subscores[i]]
        rows.append(
            (
                str(i),
                str(obs.observation_date[i]),
                str(obs.horizon_end_date[i]),
                obs.profile[i],
                bool(obs.in_renewal_window[i]),
                *subs,
                bool(obs.churned[i]),
                float(obs.health_score[i]),
            )
        )
    db = tmp_path / "h.duckdb"
    _observation_db(db, rows)
    live_before = LIVE_WEIGHTS.read_bytes()
    out = tmp_path / "out" / "health_weights.candidate.csv"
    rc = cal.run(_args(db=db, out=out, min_churned=10))
    assert rc == 0
    assert LIVE_WEIGHTS.read_bytes() == live_before
    with out.open(newline="") as handle:
        candidate = list(csv.DictReader(handle))
    with LIVE_WEIGHTS.open(newline="") as handle:
        live = list(csv.DictReader(handle))
    assert [(r["profile"], r["component"]) for r in candidate] == [
        (r["profile"], r["component"]) for r in live
    ]
    totals: dict[str, float] = {}
    for row in candidate:
        weight = float(row["weight"])
        assert weight >= 0
        totals[row["profile"]] = totals.get(row["profile"], 0.0) + weight
    assert all(total == pytest.approx(1.0) for total in totals.values())
    printed = capsys.readouterr().out
    assert "churn AUC" in printed and "unchanged" in printed


def test_run_refuses_to_overwrite_the_live_seed(tmp_path, capsys):
    rc = cal.run(_args(db=tmp_path / "missing.duckdb", out=LIVE_WEIGHTS))
    assert rc == 2
    assert "live seed" in capsys.readouterr().err


def test_run_explains_a_missing_database(tmp_path, capsys):
    rc = cal.run(_args(db=tmp_path / "missing.duckdb", out=tmp_path / "c.csv"))
    assert rc == 2
    assert "health.py build" in capsys.readouterr().err
