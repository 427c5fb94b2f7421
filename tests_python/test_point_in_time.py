"""Point-in-time (no leakage) tests for the metric layer (SPEC §3, contracts.md "Cut test").

A metric on day d may use only facts known at the end of day d, or every
backtest lies. Two ways to check it on generated data:

1. Cut the raw data at day d (remove every fact stamped after d, forget every
   resolution that happened after d, drop subscriptions starting after d and
   open up end dates after d), rebuild, and compare every metric row up to d
   with the build on the full data.
2. Rebuild the full data with only `as_of_date` = d, and compare: that check
   runs on the marts themselves (scores, components, alerts) for two cut
   dates in test_exactness.py.

Rows are compared as sets in both directions with DuckDB `except` (which
treats nulls as equal), so a row that appears, disappears or changes value on
any day <= d fails the test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from dbt_env import dbt_env

ROOT = Path(__file__).resolve().parents[1]

# Models compared row by row for days <= the cut day.
COMPARED_MODELS = ("int_account_days", "int_account_metrics_daily")
SELECTOR = "+int_account_metrics_daily"

# Cut rules of docs/contracts.md: facts stamped after d disappear, resolutions
# after d are not known yet (an answer's score goes with its timestamp),
# subscriptions starting after d are dropped and end dates after d are open.
# fact_day() reads typed or text raw columns alike.
CUT_STATEMENTS = (
    "delete from raw.product_events where fact_day(occurred_at) > $d",
    "delete from raw.accounts where fact_day(created_at) > $d",
    "delete from raw.subscriptions where fact_day(start_date) > $d",
    "update raw.subscriptions set end_date = null where fact_day(end_date) > $d",
    "delete from raw.invoices where fact_day(issued_at) > $d",
    "update raw.invoices set paid_at = null where fact_day(paid_at) > $d",
    "delete from raw.payments where fact_day(attempted_at) > $d",
    "delete from raw.support_tickets where fact_day(created_at) > $d",
    "update raw.support_tickets set resolved_at = null where fact_day(resolved_at) > $d",
    "update raw.support_tickets set first_response_at = null"
    " where fact_day(first_response_at) > $d",
    "delete from raw.survey_responses where fact_day(sent_at) > $d",
    "update raw.survey_responses set responded_at = null, score = null"
    " where fact_day(responded_at) > $d",
    "delete from raw.csm_pulse where fact_day(recorded_at) > $d",
    "delete from raw.csm_activities where fact_day(occurred_at) > $d",
)


def _dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("dbt")
    if found is None:
        pytest.fail("dbt is not installed in this environment (pip install -r requirements.txt)")
    return found


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(
            f"command failed ({result.returncode}): {' '.join(cmd)}\n"
            f"--- stdout (tail) ---\n{result.stdout[-6000:]}\n"
            f"--- stderr (tail) ---\n{result.stderr[-3000:]}"
        )


class Builder:
    """Builds copies of one raw database, always at the same path with the same target dir.

    Reusing the path keeps dbt's partial parse valid between builds (a new
    profile path or target dir would force a full parse, ~20 s each).
    """

    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self.db_path = work_dir / "build.duckdb"

    def build(self, source_db: Path, result_db: Path, extra_args: list[str] | None = None) -> None:
        """Build a copy of source_db (seeds, models up to the metrics); keep it as result_db."""
        shutil.copyfile(source_db, self.db_path)
        env = dbt_env(self.work_dir, self.db_path, ROOT, threads=1)
        _run(
            [
                _dbt_executable(), "build",
                "--project-dir", str(ROOT),
                "--profiles-dir", str(ROOT),
                "--select", SELECTOR,
                "--resource-type", "seed",
                "--resource-type", "model",
                "--threads", "1",
                *(extra_args or []),
            ],
            env=env,
        )
        shutil.move(self.db_path, result_db)


def _cut_raw_data(db_path: Path, cut_day: date) -> None:
    with duckdb.connect(str(db_path)) as con:
        con.execute(
            "create or replace macro fact_day(x) as try_cast(try_cast(x as timestamp) as date)"
        )
        for statement in CUT_STATEMENTS:
            con.execute(statement, {"d": cut_day})
        con.execute("drop macro fact_day")


def _choose_cut_day(db_path: Path) -> date:
    """About 60% into the data, on a day with product events (the cut data's last day)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        first_day, last_day = con.execute(
            "select min(cast(occurred_at as date)), max(cast(occurred_at as date))"
            " from raw.product_events"
        ).fetchone()
        target = first_day + (last_day - first_day) * 3 // 5
        (cut_day,) = con.execute(
            "select max(cast(occurred_at as date)) from raw.product_events"
            " where cast(occurred_at as date) <= $t",
            {"t": target},
        ).fetchone()
    return cut_day


def _count(con: duckdb.DuckDBPyConnection, sql: str, cut_day: date) -> int:
    return con.execute(f"select count(*) from ({sql})", {"d": cut_day}).fetchone()[0]


def _differences(full_db: Path, other_db: Path, model: str, cut_day: date) -> dict:
    """Rows (days <= cut_day) only in the full build, only in the other build, and a sample."""
    with duckdb.connect() as con:
        con.execute(f"attach '{full_db}' as full_build (read_only)")
        con.execute(f"attach '{other_db}' as other_build (read_only)")
        rows_full = f"select * from full_build.intermediate.{model} where date_day <= $d"
        rows_other = f"select * from other_build.intermediate.{model} where date_day <= $d"
        only_full = f"{rows_full} except {rows_other}"
        only_other = f"{rows_other} except {rows_full}"
        sample = con.execute(
            f"select 'full' as build, * from ({only_full})"
            f" union all select 'other' as build, * from ({only_other})"
            " order by 2, 3, 1 limit 6",
            {"d": cut_day},
        ).fetchall()
        return {
            "compared": _count(con, rows_full, cut_day),
            "only_full": _count(con, only_full, cut_day),
            "only_other": _count(con, only_other, cut_day),
            "sample": sample,
        }


def _assert_same_rows(full_db: Path, other_db: Path, cut_day: date) -> None:
    for model in COMPARED_MODELS:
        diff = _differences(full_db, other_db, model, cut_day)
        assert diff["compared"] > 0, f"{model}: no rows on or before {cut_day} to compare"
        assert diff["only_full"] == 0 and diff["only_other"] == 0, (
            f"{model}: rows for days <= {cut_day} differ ({diff['only_full']} only in the full"
            f" build, {diff['only_other']} only in the other build): a metric uses facts from"
            f" after its day. Sample: {diff['sample']}"
        )


@pytest.fixture(scope="module")
def builder(tmp_path_factory: pytest.TempPathFactory) -> Builder:
    return Builder(tmp_path_factory.mktemp("pit_build"))


@pytest.fixture(scope="module")
def full_build(small_warehouse) -> tuple[Path, date, Path]:
    """Small generated data built once: (built db, cut day, the raw data).

    The session's small warehouse (conftest.small_warehouse: the small sample and
    one full `dbt build`) is the full build; its raw tables are the raw data. It
    is only read: the cut build works on a copy."""
    assert small_warehouse["rc"] == 0, small_warehouse["out"][-6000:]
    db = small_warehouse["db"]
    return db, _choose_cut_day(db), db


def test_cut_data_reproduces_metrics(full_build, builder: Builder, tmp_path: Path) -> None:
    full_db, cut_day, raw_db = full_build
    cut_raw_db = tmp_path / "cut_raw.duckdb"
    shutil.copyfile(raw_db, cut_raw_db)
    _cut_raw_data(cut_raw_db, cut_day)
    cut_db = tmp_path / "cut.duckdb"
    # the copy holds the full build's tables too: --full-refresh rebuilds every
    # selected model from the cut raw data alone (no incremental merge)
    builder.build(cut_raw_db, cut_db, ["--full-refresh"])
    _assert_same_rows(full_db, cut_db, cut_day)
