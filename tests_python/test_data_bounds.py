"""The last day of data is robust to stray rows (SPEC §3; stg_data_bounds).

A handful of product events dated weeks after the rest (a typo, a test
account with a wrong clock) must not move data_end_date / as_of_date: the
stray rows are quarantined as future_timestamp and the frame, so every score,
stays where the data is. (The other half of the rule, a subscription export
older than the events, is tested on an invented company in test_byod.py.)

Built on a copy of the tiny sample; only the staging models are built.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dbt_env import dbt_env

ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).parent / "dbt"
# days after the last day of the sample, rows on that day
STRAYS = {50: 2, 51: 2, 60: 1}


def _dbt(work: Path, db: Path, *args: str) -> None:
    env = dbt_env(work, db, ROOT, threads=2)
    result = subprocess.run([str(DBT), *args, "--project-dir", str(ROOT)], env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def _bounds(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute("select * from staging.stg_data_bounds")
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


@pytest.fixture(scope="module")
def stray_build(raw_db, tmp_path_factory) -> tuple[dict, dict, Path]:
    work = tmp_path_factory.mktemp("data_bounds")
    db = work / "health.duckdb"
    shutil.copy(raw_db, db)
    _dbt(work, db, "run", "--select", "stg_data_bounds")
    before = _bounds(db)
    last = before["data_end_date"]
    with duckdb.connect(str(db)) as con:
        account = con.execute("select min(account_id) from raw.accounts").fetchone()[0]
        for days, n in STRAYS.items():
            for i in range(n):
                con.execute(
                    "insert into raw.product_events (event_id, account_id, user_id, event_type, "
                    "occurred_at, quantity) values (?, ?, null, 'user_login', ?, null)",
                    [f"stray_{days}_{i}", account,
                     dt.datetime.combine(last + dt.timedelta(days=days), dt.time(9, i))],
                )
    _dbt(work, db, "build", "--select", "+base_product__events",
         "--exclude", "resource_type:test", "resource_type:unit_test")
    return before, _bounds(db), db


def test_stray_events_do_not_move_the_last_day(stray_build):
    before, after, _ = stray_build
    assert before["data_end_rule"] == "product_events_coverage", before
    assert after["events_last_date"] > before["data_end_date"]  # the strays are seen ...
    for column in ("data_end_date", "as_of_date", "data_end_rule"):  # ... and ignored
        assert after[column] == before[column], (column, before, after)
    assert after["events_stray_rows"] == sum(STRAYS.values())


def test_stray_events_are_quarantined_as_future_timestamp(stray_build):
    _, _, db = stray_build
    with duckdb.connect(str(db), read_only=True) as con:
        reasons = con.execute(
            "select event_id, quarantine_reason from staging.base_product__events "
            "where event_id like 'stray_%'"
        ).fetchall()
    assert len(reasons) == sum(STRAYS.values())
    assert {reason for _, reason in reasons} == {"future_timestamp"}, reasons
