"""Bring your own data, first try (issue 12; SPEC §1, §3; docs/method.md §5).

A company the warehouse has never seen (tests_python/byod_company.py: own
segments, own event types with one unmapped, integer seats, planted bad rows,
an offset and a zone-named timestamp, mixed CRLF / LF line endings, and a
subscription export a month older than its product events) is built from a
fresh state with `python scripts/health.py run` and nothing but the
documented configuration, by both routes:

* raw_locations: the three CSV files, configured with --vars (a file);
* raw_schema: typed tables (INTEGER seats, DOUBLE mrr with NaN, TIMESTAMPTZ
  occurred_at) in schema `northwind`, configured in dbt_project.yml, built on a
  machine whose time zone is Asia/Tokyo.

Each build must exit 0 (unit tests included: they never read the user's
tables), quarantine every planted row with its reason, classify the
company's types with its own event_types seed (which has no `description`),
keep the unmapped type as `unknown`, and end the data on the subscriptions'
coverage, where every running monthly term is a running customer.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import byod_company as co
import duckdb
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
OPTIONAL = ("invoices", "payments", "support_tickets", "survey_responses", "csm_pulse",
            "csm_activities")


def _copy_project(dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(ROOT / name, dst / name)
    for folder in ("macros", "models", "seeds", "tests", "analyses"):
        shutil.copytree(ROOT / folder, dst / folder)
    co.write_event_seed(dst / "seeds" / "event_types.csv")
    return dst


def _run(project: Path, db: Path, extra: list[str], tz: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "TZ": tz,
        "DBT_TARGET_PATH": str(project / "target"),
        "DBT_LOG_PATH": str(project / "logs"),
        "HEALTH_THREADS": "2",
    }
    env.pop("HEALTH_DUCKDB_PATH", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "health.py"), "run", "--quiet",
         "--project-dir", str(project), "--db", str(db), *extra],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )


@pytest.fixture(scope="module")
def company(tmp_path_factory) -> co.Company:
    return co.make_company(tmp_path_factory.mktemp("northwind_csv"))


@pytest.fixture(scope="module")
def csv_build(tmp_path_factory, company) -> Path:
    """raw_locations route: CSV files, vars in a --vars file, TZ=UTC."""
    base = tmp_path_factory.mktemp("byod_csv")
    project = _copy_project(base / "project")
    vars_file = base / "vars.yml"
    vars_file.write_text(yaml.safe_dump({
        "raw_locations": {"accounts": str(company.accounts),
                          "subscriptions": str(company.subscriptions),
                          "product_events": str(company.product_events)},
        **{f"enable_{name}": False for name in OPTIONAL},
    }))
    db = base / "warehouse.duckdb"
    result = _run(project, db, ["--vars", str(vars_file)], tz="UTC")
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    return db


@pytest.fixture(scope="module")
def schema_build(tmp_path_factory, company) -> Path:
    """raw_schema route: typed tables, vars edited in dbt_project.yml, TZ=Asia/Tokyo."""
    base = tmp_path_factory.mktemp("byod_schema")
    project = _copy_project(base / "project")
    config = project / "dbt_project.yml"
    text = config.read_text().replace("  raw_schema: raw\n", "  raw_schema: northwind\n")
    for name in OPTIONAL:
        text = text.replace(f"  enable_{name}: true\n", f"  enable_{name}: false\n")
    config.write_text(text)
    db = base / "warehouse.duckdb"
    co.load_typed(company, db, "northwind")
    result = _run(project, db, [], tz="Asia/Tokyo")
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    assert "generate: skipped" in result.stdout, result.stdout
    return db


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def _expected_customers(company: co.Company, day: dt.date) -> set[str]:
    return {s["account_id"] for s in company.subscription_rows
            if s["start_date"] <= day < s["end_date"]}


def _assert_company(db: Path, company: co.Company, bad_rows: list[tuple]) -> None:
    quarantine = set(_rows(db, "select source_table, record_key, reason "
                               "from staging.stg_quarantine"))
    missing = [row for row in bad_rows if row not in quarantine]
    assert not missing, f"planted rows not quarantined with their reason: {missing}"

    data_end, rule, as_of = _rows(
        db, "select data_end_date, data_end_rule, as_of_date from staging.stg_data_bounds")[0]
    last_start = max(s["start_date"] for s in company.subscription_rows)
    assert (data_end, as_of, rule) == (last_start, last_start, "subscriptions_latest_start")

    # everything else quarantined is an event after the last day of data
    others = [q for q in quarantine if q not in set(bad_rows)]
    assert others and all(q[0] == "product_events" and q[2] == "future_timestamp"
                          for q in others), sorted(others)[:5]

    # the company's own seed (no description column) classifies its types;
    # the unmapped type is kept as unknown and counted
    seed = dict(_rows(db, "select event_type, category from staging.stg_config__event_types"))
    assert seed == co.EVENT_TYPES
    categories = dict(_rows(db, "select event_type, min(event_category) "
                                "from staging.stg_product__events group by 1"))
    assert categories[co.UNMAPPED] == "unknown"
    assert all(categories[t] == c for t, c in co.EVENT_TYPES.items())

    # offsets and zone names are converted to UTC
    stamps = dict(_rows(db, "select event_id, occurred_at from staging.stg_product__events "
                            f"where event_id in ('{co.OFFSET_EVENT[0]}', '{co.ZONE_EVENT[0]}')"))
    assert stamps == {co.OFFSET_EVENT[0]: co.OFFSET_EVENT[2], co.ZONE_EVENT[0]: co.ZONE_EVENT[2]}

    # every monthly term running on the last day is a running customer: no
    # drop in current customers, no churn booked in the last month
    current = {r[0] for r in _rows(db, "select account_id from marts.account_health_current")}
    assert current == _expected_customers(company, data_end)
    month_before = _rows(db, "select count(*) from intermediate.int_account_days "
                             f"where date_day = date '{data_end - dt.timedelta(days=30)}'")[0][0]
    assert len(current) >= month_before > 0, (len(current), month_before)
    churns = _rows(db, "select account_id, date_day from intermediate.int_mrr_movements "
                       "where movement_type = 'churn' and date_day > "
                       f"date '{data_end - dt.timedelta(days=30)}'")
    assert churns == [], churns


def test_raw_locations_route_builds_the_company(csv_build, company):
    _assert_company(csv_build, company, co.BAD_ROWS_CSV)


def test_raw_schema_route_builds_the_company_in_tokyo(schema_build, company):
    _assert_company(schema_build, company, co.BAD_ROWS_TYPED)


def test_timestamptz_input_in_tokyo_equals_the_text_input_in_utc(csv_build, schema_build):
    """The same events typed TIMESTAMPTZ and read on a machine in Asia/Tokyo
    stage exactly like the CSV text read in UTC."""
    sql = ("select event_id, account_id, event_type, event_category, occurred_at, event_date, "
           "quantity from staging.stg_product__events order by event_id")
    text_rows, typed_rows = _rows(csv_build, sql), _rows(schema_build, sql)
    assert len(text_rows) > 1000
    assert typed_rows == text_rows
