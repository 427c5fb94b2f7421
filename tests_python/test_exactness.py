"""Same input, same output, exactly (issue 12, SPEC §3).

On the tiny sample (conftest.TINY), built once per setting and shared:

- determinism: a build with 1 dbt thread on a machine in UTC and one with 2
  threads in Asia/Tokyo (environment variable TZ of the dbt process) give
  identical tables in marts and backtest, row for row, bit for bit;
- point in time on the marts: a build with ``as_of_date = D`` gives exactly the
  rows of the full build for every day up to and including D, in
  fct_account_health_daily, fct_account_health_components and
  rpt_health_alerts, for two cut dates. Day D itself is compared too: a score
  that peeks one day ahead differs there first (the as_of build does not
  know D + 1);
- optional tables: one full ``dbt build`` (models, data tests and unit tests)
  with all six optional tables switched off passes. One build covers the six
  tables separately because no model or test depends on a *combination* of
  them being on: every unit test of a model that reads an ``enable_*`` var pins
  the vars it reads (checked on the manifest below), so a unit test runs the
  same whichever tables are off, and each model reads each var on its own.

Rows are compared with ``except all`` in both directions (nulls equal), so a
row that appears, disappears, is duplicated or changes in any bit fails.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from dbt_env import dbt_env, target_dir

ROOT = Path(__file__).resolve().parents[1]
OPTIONAL_VARS = ("enable_invoices", "enable_payments", "enable_support_tickets",
                 "enable_survey_responses", "enable_csm_pulse", "enable_csm_activities")
# The three point-in-time marts and their day column.
PIT_MARTS = {"fct_account_health_daily": "date_day", "fct_account_health_components": "date_day",
             "rpt_health_alerts": "alert_date"}
# Share of the data's time range at which the two as_of cuts fall.
CUT_FRACTIONS = (0.45, 0.8)
MODELS_ONLY = ["--resource-type", "seed", "--resource-type", "model"]
AS_OF_SELECTION = [f"+{mart}" for mart in PIT_MARTS]


def _dbt() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else (shutil.which("dbt") or "dbt")


class Builds:
    """dbt builds of copies of one raw database, each at the same path (then moved
    to its own name) with dbt_env's shared target: a changed database path would
    make dbt re-parse the whole project (partial parse)."""

    def __init__(self, work: Path, raw_db: Path):
        self.work, self.raw_db = work, raw_db
        self.path = work / "building" / "health.duckdb"

    def build(self, name: str, *args: str, threads: int = 1, tz: str = "UTC",
              vars_: dict | None = None) -> Path:
        db = self.work / f"{name}.duckdb"
        self.path.parent.mkdir(exist_ok=True)
        shutil.copyfile(self.raw_db, self.path)
        env = dbt_env(self.work, self.path, ROOT, threads, TZ=tz)
        cmd = [_dbt(), "build", "--project-dir", str(ROOT), "--threads", str(threads), *args]
        if vars_:
            cmd += ["--vars", json.dumps(vars_)]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            lines = [ln for ln in proc.stdout.splitlines() if re.search(r"ERROR|FAIL", ln)]
            pytest.fail(f"dbt build {name} failed ({proc.returncode}):\n" + "\n".join(lines[:20])
                        + f"\n--- tail ---\n{proc.stdout[-3000:]}")
        shutil.move(self.path, db)
        return db


@pytest.fixture(scope="module")
def builds(tmp_path_factory, raw_db) -> Builds:
    return Builds(tmp_path_factory.mktemp("exactness"), raw_db)


@pytest.fixture(scope="module")
def full_build(builds) -> Path:
    return builds.build("full_utc_1", *MODELS_ONLY, threads=1, tz="UTC")


def _tables(con, catalog: str, schemas=("marts", "backtest")) -> set[tuple[str, str]]:
    rows = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ?"
        f" and schema_name in ({', '.join('?' for _ in schemas)})",
        [catalog, *schemas],
    ).fetchall()
    return {(s, t) for s, t in rows}


# Columns that record *when* a build ran, by design: fct_account_health_published
# stamps each row with the run that published it (everything else must match).
RUN_STAMPS = {"fct_account_health_published": "published_at"}


def _diff(con, a: str, b: str, where: str = "") -> tuple[int, int, int, list]:
    stamp = RUN_STAMPS.get(a.rsplit(".", 1)[-1])
    cols = f"* exclude ({stamp})" if stamp else "*"
    rows_a = f"select {cols} from {a} {where}"
    rows_b = f"select {cols} from {b} {where}"
    only_a = con.execute(f"select count(*) from ({rows_a} except all {rows_b})").fetchone()[0]
    only_b = con.execute(f"select count(*) from ({rows_b} except all {rows_a})").fetchone()[0]
    total = con.execute(f"select count(*) from ({rows_a})").fetchone()[0]
    sample = con.execute(f"({rows_a} except all {rows_b}) limit 3").fetchall() if only_a else []
    return total, only_a, only_b, sample


def _attach(*dbs: tuple[str, Path]):
    con = duckdb.connect()
    for alias, path in dbs:
        con.execute(f"attach '{path}' as {alias} (read_only)")
    return con


def test_same_input_same_output_across_threads_and_time_zones(builds, full_build):
    other = builds.build("full_tokyo_2", *MODELS_ONLY, threads=2, tz="Asia/Tokyo")
    con = _attach(("a", full_build), ("b", other))
    try:
        tables_a, tables_b = _tables(con, "a"), _tables(con, "b")
        assert tables_a == tables_b and len(tables_a) >= 10, (tables_a ^ tables_b)
        differing = {}
        for schema, table in sorted(tables_a):
            total, only_a, only_b, sample = _diff(con, f"a.{schema}.{table}",
                                                  f"b.{schema}.{table}")
            if only_a or only_b:
                differing[f"{schema}.{table}"] = (total, only_a, only_b, sample)
        assert not differing, f"tables differ between two builds of the same data: {differing}"
        assert con.execute("select count(*) from a.marts.fct_account_health_daily").fetchone()[0]
    finally:
        con.close()


def _cut_days(db: Path) -> list[date]:
    with duckdb.connect(str(db), read_only=True) as con:
        first, last = con.execute(
            "select min(date_day), max(date_day) from marts.fct_account_health_daily"
        ).fetchone()
    return [first + (last - first) * int(100 * f) // 100 for f in CUT_FRACTIONS]


@pytest.mark.parametrize("cut", range(len(CUT_FRACTIONS)))
def test_as_of_build_reproduces_the_marts_up_to_its_day(builds, full_build, cut):
    day = _cut_days(full_build)[cut]
    # only what the three marts need (no backtest, no other mart): cheaper
    as_of = builds.build(f"as_of_{cut}", *MODELS_ONLY, "--select", *AS_OF_SELECTION,
                         vars_={"as_of_date": day.isoformat()})
    con = _attach(("full_build", full_build), ("as_of_build", as_of))
    try:
        last = con.execute(
            "select max(date_day) from as_of_build.marts.fct_account_health_daily"
        ).fetchone()[0]
        assert last == day, f"as_of_date {day} must be the last scored day, not {last}"
        for mart, column in PIT_MARTS.items():
            total, only_full, only_as_of, sample = _diff(
                con, f"full_build.marts.{mart}", f"as_of_build.marts.{mart}",
                f"where {column} <= date '{day.isoformat()}'",
            )
            assert total > 0, f"{mart}: nothing on or before {day} to compare"
            assert only_full == 0 and only_as_of == 0, (
                f"{mart}: of {total} rows on or before {day}, {only_full} are only in the full "
                f"build and {only_as_of} only in the as_of build: a score uses facts from after "
                f"its day, or is not exact. Sample (full build): {sample}"
            )
    finally:
        con.close()


def test_every_optional_table_can_be_switched_off(builds):
    db = builds.build("all_optional_off", vars_={v: False for v in OPTIONAL_VARS})
    with duckdb.connect(str(db), read_only=True) as con:
        n, billing, support, sentiment = con.execute(
            "select count(*), count(billing_subscore), count(support_subscore),"
            " count(sentiment_subscore) from marts.fct_account_health_daily"
        ).fetchone()
        quality = dict(con.execute(
            "select source_table, status from marts.rpt_data_quality where check_group = 'rows'"
        ).fetchall())
    assert n > 0, "no score was built with the optional tables off"
    # billing keeps mrr_change_90d_pct (from subscriptions); support and sentiment have no data
    assert support == 0 and sentiment == 0 and billing <= n
    assert {t for t, s in quality.items() if s == "off"} == {
        "invoices", "payments", "support_tickets", "survey_responses", "csm_pulse",
        "csm_activities"}

    # Each table on its own: no unit test depends on the project's enable_* vars.
    manifest = json.loads((target_dir(builds.work, ROOT) / "manifest.json").read_text())
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    unpinned = []
    for test in manifest.get("unit_tests", {}).values():
        model = models.get(test["model"])
        if model is None:
            continue
        read = set(re.findall(r"var\(\s*'(enable_\w+)'", model.get("raw_code", "")))
        pinned = set((test.get("overrides") or {}).get("vars") or {})
        if read - pinned:
            unpinned.append((test["name"], sorted(read - pinned)))
    assert not unpinned, f"unit tests whose result depends on the project's vars: {unpinned}"
