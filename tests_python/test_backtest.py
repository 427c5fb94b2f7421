"""End-to-end backtest (SPEC §6): build the small sample data set and check that the
default weights separate churners from the others, band by band.

The assertions are properties any sound health score must have on data where
health drives churn (churn never rises with the band, the score beats chance,
censored dates are left out, every figure adds up), not numbers tuned to one
data set. The dbt unit tests of models/backtest (labels at the horizon edges,
censoring, resubscription within the grace period, AUC on a hand-computed
case) run inside the same build and are checked to have passed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from healthwh import calibrate as cal  # noqa: E402

BACKTEST_MODELS = (
    "backtest_observation_dates",
    "backtest_observations",
    "backtest_band_separation",
    "backtest_summary",
    "backtest_calibration",
    "backtest_csm_agreement",
    "backtest_component_auc",
)


def _dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


@pytest.fixture(scope="session")
def built_small(tmp_path_factory) -> dict:
    """Small sample data, built up to the backtest (seeds, models, data and unit tests)."""
    work = tmp_path_factory.mktemp("backtest_e2e")
    db = work / "health.duckdb"
    env = dict(os.environ)
    env.update(
        HEALTH_DUCKDB_PATH=str(db),
        DBT_TARGET_PATH=str(work / "target"),
        DBT_LOG_PATH=str(work / "logs"),
        DBT_PROFILES_DIR=str(ROOT),
        HEALTH_THREADS="1",
    )
    generate = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "health.py"),
            "generate",
            "--size",
            "small",
            "--db",
            str(db),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generate.returncode == 0, generate.stdout + generate.stderr
    build = subprocess.run(
        [
            _dbt_executable(),
            "build",
            "--project-dir",
            str(ROOT),
            "--profiles-dir",
            str(ROOT),
            "--select",
            "+path:models/backtest",
            # only tests whose parents are all built (not e.g. a mart's relationship
            # test that merely points at a config model the backtest also needs)
            "--indirect-selection",
            "cautious",
            "--threads",
            "1",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-8000:] + build.stderr[-4000:]
    run_results = json.loads((work / "target" / "run_results.json").read_text())
    return {"db": db, "work": work, "run_results": run_results}


@pytest.fixture()
def con(built_small):
    connection = duckdb.connect(str(built_small["db"]), read_only=True)
    yield connection
    connection.close()


def test_backtest_models_and_unit_tests_passed(built_small):
    results = {r["unique_id"]: r["status"] for r in built_small["run_results"]["results"]}
    for model in BACKTEST_MODELS:
        assert results.get(f"model.customer_health.{model}") == "success", model
    unit_tests = {
        k: v for k, v in results.items() if k.startswith("unit_test.customer_health.backtest_")
    }
    assert len(unit_tests) >= 5
    assert set(unit_tests.values()) == {"pass"}, unit_tests
    data_tests = {
        k: v for k, v in results.items() if k.startswith("test.customer_health.assert_backtest_")
    }
    assert data_tests and set(data_tests.values()) == {"pass"}, data_tests


def test_churn_falls_band_by_band(con):
    rows = con.execute(
        """
        select band_rank, observations, churned, churn_rate
        from backtest.backtest_band_separation
        where slice_type = 'overall' and observations > 0
        order by band_rank
        """
    ).fetchall()
    assert len(rows) >= 2, "the score puts every observation in one band: no separation to test"
    rates = [r[3] for r in rows]
    for lower, higher in zip(rates, rates[1:], strict=False):
        assert higher <= lower, f"churn rises from one band to the next: {rates}"
    assert rates[0] > rates[-1], f"the lowest band churns no more than the highest: {rates}"
    summary = con.execute(
        "select is_churn_monotonic, auc_churn, churned, observations from backtest.backtest_summary"
    ).fetchone()
    assert summary[0] is True
    assert summary[2] > 0 and summary[3] > summary[2]
    assert summary[1] > 0.5, f"the score ranks churners no better than chance: AUC {summary[1]}"


def test_censored_dates_are_left_out(con):
    horizon, grace = con.execute(
        "select horizon_days, grace_days from backtest.backtest_summary"
    ).fetchone()
    late = con.execute(
        f"""
        select count(*)
        from backtest.backtest_observations as o
        cross join (select max(label_end_date) as label_end_date
                    from backtest.backtest_observation_dates) as b
        where o.observation_date + interval {horizon + grace} day > b.label_end_date
        """
    ).fetchone()[0]
    assert late == 0
    censored = con.execute(
        "select count(*) from backtest.backtest_observation_dates where not is_labelled"
    ).fetchone()[0]
    assert censored > 0, "the sample data always ends with unlabelled dates"


def test_every_figure_traces_to_observation_rows(con):
    observations, churned = con.execute(
        "select count(*), count(*) filter (where is_churned) from backtest.backtest_observations"
    ).fetchone()
    for slice_type in ("overall", "segment", "quarter"):
        total = con.execute(
            "select sum(observations), sum(churned) from backtest.backtest_band_separation "
            "where slice_type = ?",
            [slice_type],
        ).fetchone()
        assert total == (observations, churned), slice_type
    summary = con.execute("select observations, churned from backtest.backtest_summary").fetchone()
    assert summary == (observations, churned)


def test_auc_matches_the_python_definition(con):
    import numpy as np

    rows = con.execute(
        "select health_score, is_churned from backtest.backtest_observations"
    ).fetchall()
    score = np.array([r[0] for r in rows], dtype=float)
    churned = np.array([r[1] for r in rows], dtype=bool)
    sql_auc = con.execute("select auc_churn from backtest.backtest_summary").fetchone()[0]
    assert sql_auc == pytest.approx(cal.churn_auc(score, churned), abs=1e-9)


def test_calibrate_on_the_built_backtest(built_small, capsys):
    import argparse

    parser = argparse.ArgumentParser()
    cal.add_arguments(parser)
    out = built_small["work"] / "health_weights.candidate.csv"
    live_before = (ROOT / "seeds" / "health_weights.csv").read_bytes()
    args = parser.parse_args(["--db", str(built_small["db"]), "--out", str(out)])
    assert cal.run(args) == 0
    assert (ROOT / "seeds" / "health_weights.csv").read_bytes() == live_before
    candidate = cal.read_weights(out)  # validates: known components, >= 0, sums to 1
    live = cal.read_weights(ROOT / "seeds" / "health_weights.csv")
    assert set(candidate.weights) == set(live.weights)
    printed = capsys.readouterr().out
    assert "churn AUC" in printed and "held out" in printed.lower()
