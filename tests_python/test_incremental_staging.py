"""Incremental staging of product events equals a full refresh (issue 14).

base_product__events restages only the keys a daily run touches
(macros/staging/incremental_staging.sql, docs/perf-notes/stg.md). On the tiny
sample (conftest.TINY), with raw product events cut after CUT:

1. a full build: the raw events up to CUT, plus a row of an account that is
   not in raw.accounts yet (unknown_account) and a row dated after the data
   end (future_timestamp);
2. raw rows arrive: the days after CUT, a late row on an old day, a second
   copy of an old event (same event_id) on another day that sorts first (so
   the old copy becomes the duplicate: an old day changes), the unknown
   account appears in raw.accounts, and one old raw row is removed;
3. an incremental build (the staging plan must be incremental), its staging
   tests on the restaged keys;
4. a --full-refresh of a copy of the same file.

base_product__events, stg_product__events, stg_quarantine, the day digests,
int_input_day_digests and the marts must be equal row for row, and each
planted row must have the verdict a full build gives it (else the comparison
proves nothing).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from test_incremental import SELECTION, _build, _except

CUT = "2026-09-24"
COMPARED = (
    "staging.base_product__events",
    "staging.stg_product__events",
    "staging.stg_quarantine",
    "staging.base_product__events_day_digests",
    "staging.stg_product__events_state_built",
    "intermediate.int_input_day_digests",
    "intermediate.int_product_activity_daily",
    "marts.fct_account_health_daily",
    "marts.account_health_current",
)
# the build of test_incremental.py plus the quarantine; the staging tests
STAGING = [*SELECTION, "+stg_quarantine"]
STAGING_TESTS = [
    "--resource-type", "test", "--select", "base_product__events", "stg_product__events",
    "assert_base_and_quarantine_row_ids_are_primary_keys",
]  # fmt: skip
KEY_SAMPLE_TESTS = ["--resource-type", "test", "--select", "test_name:unique_key_sample"]


def _one(db: Path, sql: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute(sql)
        return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))


def _verdicts(db: Path, old_id: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            (event_id, str(day)): reason
            for event_id, day, reason in con.execute(
                "select event_id, event_date, quarantine_reason from staging.base_product__events "
                "where event_id like 'stg_%' or event_id = ?",
                [old_id],
            ).fetchall()
        }


def _day(days_after_cut: int) -> str:
    return str(date.fromisoformat(CUT) + timedelta(days=days_after_cut))


@pytest.fixture(scope="module")
def builds(tmp_path_factory, raw_db):
    work = tmp_path_factory.mktemp("incremental_staging")
    (work / "daily").mkdir()
    daily = Path(shutil.copyfile(raw_db, work / "daily" / "health.duckdb"))
    with duckdb.connect(str(daily)) as con:
        # planted rows are not generator faults: no audit of injected rows
        con.execute("drop schema if exists raw_audit cascade")
        con.execute(
            "create table raw.later_events as select * from raw.product_events "
            f"where occurred_at >= timestamp '{CUT}' + interval 1 day"
        )
        con.execute(
            "delete from raw.product_events "
            f"where occurred_at >= timestamp '{CUT}' + interval 1 day"
        )
        con.execute("create table raw.later_accounts as select * from raw.accounts where false")
        con.execute("""
            insert into raw.later_accounts
            select 'acc_stg_new', account_name || ' (new)', segment, industry, region,
                   csm_owner, created_at
            from raw.accounts order by account_id limit 1""")
        con.execute(f"""
            insert into raw.product_events values
            ('stg_unknown_account', 'acc_stg_new', null, 'user_login',
             timestamp '{CUT} 09:00:00', null),
            ('stg_future', 'acc_00001', null, 'user_login',
             timestamp '{CUT}' + interval 3 day, null)""")
        old = con.execute(
            "select event_id, account_id, user_id from raw.product_events "
            "where occurred_at::date = date '2026-05-05' and event_id like 'evt_%' "
            "order by event_id limit 1"
        ).fetchone()
        removed = con.execute(
            "select min(event_id) from raw.product_events "
            "where occurred_at::date = date '2026-04-20'"
        ).fetchone()[0]
    _build(work, daily, selection=STAGING)
    first_plan = _one(daily, "select * from staging.stg_product__events_plan")
    first = _verdicts(daily, old[0])
    with duckdb.connect(str(daily)) as con:
        con.execute("insert into raw.product_events select * from raw.later_events")
        con.execute("insert into raw.accounts select * from raw.later_accounts")
        # a late row on a day already staged
        con.execute(
            "insert into raw.product_events values "
            "('stg_late', 'acc_00001', null, 'user_login', "
            "timestamp '2026-06-15 08:00:00', null)"
        )
        # a second copy of an old event (same key) on another day, sorting first
        con.execute(
            "insert into raw.product_events values (?, ?, ?, 'a_first_type', "
            f"timestamp '{CUT}' + interval 2 day, null)",
            list(old),
        )
        # a removed raw row
        con.execute("delete from raw.product_events where event_id = ?", [removed])
    _build(work, daily, selection=STAGING)
    plan = _one(daily, "select * from staging.stg_product__events_plan")
    restaged = _one(
        daily,
        "select count(restage_key) as n_keys, count(old_day) as n_days "
        "from staging.stg_product__events_restage",
    )
    # the staging tests on this incremental build (restaged keys only); a
    # failure is reported by its own test, after the row-for-row comparison
    try:
        _build(work, daily, selection=STAGING_TESTS)
        tests_failed = None
    except pytest.fail.Exception as failed:
        tests_failed = str(failed)
    # a duplicate planted among the restaged keys, on a key the 1/16 hash
    # sample of unique_key_sample skips: on an incremental staging plan the
    # test checks every restaged key, so it must fail (docs/perf-notes/stg3.md)
    planted = work / "planted" / "health.duckdb"
    planted.parent.mkdir()
    shutil.copyfile(daily, planted)
    with duckdb.connect(str(planted)) as con:
        duplicated = con.execute(
            "select min(event_id) from staging.stg_product__events where event_id in "
            "(select restage_key from staging.stg_product__events_restage) "
            "and md5(event_id) not like '0%'"
        ).fetchone()[0]
        con.execute(
            "insert into staging.base_product__events select * from staging.base_product__events "
            "where event_id = ? and quarantine_reason is null",
            [duplicated],
        )
    try:
        _build(work, planted, selection=KEY_SAMPLE_TESTS)
        planted_failed = None
    except pytest.fail.Exception as failed:
        planted_failed = str(failed)
    full = work / "full" / "health.duckdb"
    full.parent.mkdir()
    shutil.copyfile(daily, full)
    _build(work, full, "--full-refresh", selection=STAGING)
    return {
        "daily": daily,
        "full": full,
        "first_plan": first_plan,
        "plan": plan,
        "restaged": restaged,
        "tests_failed": tests_failed,
        "planted_failed": planted_failed,
        "duplicated": duplicated,
        "first": first,
        "old": old,
        "removed": removed,
        "full_plan": _one(full, "select * from staging.stg_product__events_plan"),
    }


def test_the_staging_plans_were_full_incremental_full(builds):
    assert builds["first_plan"]["mode"] == "full", builds["first_plan"]
    assert builds["plan"]["mode"] == "incremental", builds["plan"]
    assert builds["full_plan"]["mode"] == "full", builds["full_plan"]
    assert "--full-refresh" in builds["full_plan"]["reason"]
    assert builds["plan"]["changed_accounts"] == 1  # acc_stg_new appeared
    # proportional: the restaged keys are the new days and the planted rows,
    # not the history
    with duckdb.connect(str(builds["full"]), read_only=True) as con:
        total, later = con.execute(
            "select count(*), count(*) filter (where event_date > date "
            f"'{CUT}') from staging.base_product__events"
        ).fetchone()
    assert later < builds["restaged"]["n_keys"] < total / 4, (builds["restaged"], total)


def test_the_staging_tests_pass_on_the_restaged_keys(builds):
    assert builds["tests_failed"] is None, builds["tests_failed"]


def test_the_daily_key_test_checks_every_restaged_key(builds):
    """A duplicate of a restaged key outside the hash sample fails unique_key_sample."""
    assert builds["duplicated"] is not None
    assert builds["planted_failed"] is not None, "the planted duplicate passed"
    failed = builds["planted_failed"]
    assert "unique_key_sample_stg_product__events_event_id" in failed, failed


def test_incremental_staging_equals_a_full_refresh_row_for_row(builds):
    with duckdb.connect() as con:
        con.execute(f"attach '{builds['daily']}' as daily (read_only)")
        con.execute(f"attach '{builds['full']}' as full_refresh (read_only)")
        for table in COMPARED:
            n = con.execute(f"select count(*) from full_refresh.{table}").fetchone()[0]
            assert n > 0, table
            assert con.execute(f"select count(*) from daily.{table}").fetchone()[0] == n, table
            assert _except(con, f"daily.{table}", f"full_refresh.{table}") == 0, table
            assert _except(con, f"full_refresh.{table}", f"daily.{table}") == 0, table


def test_the_planted_rows_changed_verdict(builds):
    """Not vacuous: each planted change moved a verdict the incremental build had to follow."""
    old_id = builds["old"][0]
    first, after = builds["first"], _verdicts(builds["daily"], old_id)
    assert first[("stg_unknown_account", CUT)] == "unknown_account"
    assert after[("stg_unknown_account", CUT)] is None
    assert first[("stg_future", _day(3))] == "future_timestamp"
    assert after[("stg_future", _day(3))] is None
    assert after[("stg_late", "2026-06-15")] is None
    assert first[(old_id, "2026-05-05")] is None
    assert after[(old_id, "2026-05-05")] == "duplicate_key"  # the old day changed
    assert after[(old_id, _day(2))] is None
    with duckdb.connect(str(builds["daily"]), read_only=True) as con:
        assert (
            con.execute(
                "select count(*) from staging.base_product__events where event_id = ?",
                [builds["removed"]],
            ).fetchone()[0]
            == 0
        )
