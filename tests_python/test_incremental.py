"""Daily incremental builds and the wide scoring path (issue 14).

On the tiny sample (conftest.TINY), one warehouse file is built as a user
would day after day, then compared with a full refresh of the same raw data:

1. a full build scored up to as_of_date 2026-09-10 (int_build_plan: full);
2. an incremental build up to 2026-09-20 (several appended days);
3. late rows: value events dated 2026-09-15, a day the warehouse has already
   scored, inside the lookback, arrive in raw.product_events;
4. an incremental build with no as_of_date (the rest of the data).

The result must equal a ``--full-refresh`` build of a copy, row for row and
bit for bit, in the incremental models (the percentile thresholds too) and
the marts read from them.
The late rows must have changed scores (else the comparison proves nothing),
and the final build must really have been incremental.

The same full-refresh warehouse checks the wide scoring path against the
long-form reference views (int_*_long, int_metric_subscores_normalized:
row per metric, the pre-issue-14 implementation): every score column within
1e-9 and the same rows.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dbt_env import dbt_env

ROOT = Path(__file__).resolve().parents[1]
# the upstream account-day models, incremental with the same lookback
UPSTREAM = (
    "intermediate.int_product_activity_daily",
    "intermediate.int_usage_metrics_daily",
    "intermediate.int_value_metrics_daily",
    "intermediate.int_billing_metrics_daily",
    "intermediate.int_support_metrics_daily",
    "intermediate.int_sentiment_metrics_daily",
    "intermediate.int_account_metrics_daily",
)
INCREMENTAL = UPSTREAM + (
    "intermediate.int_percentile_thresholds",
    "intermediate.int_health_scores_wide",
    "marts.fct_account_health_daily",
    "marts.fct_account_health_components",
    "intermediate.int_backtest_metric_features",
    "intermediate.int_health_alert_states",
    "intermediate.int_health_alerts",
)
DOWNSTREAM = (
    "marts.rpt_health_alerts",
    "marts.account_health_current",
    "backtest.backtest_observations",
    "backtest.backtest_metric_observations",
)
SELECTION = [
    "--resource-type",
    "seed",
    "--resource-type",
    "model",
    "--select",
    "+fct_account_health_daily",
    "+fct_account_health_components",
    "+rpt_health_alerts",
    "+account_health_current",
    "+int_health_scores_capped",
    "+int_health_scores_capped_long",
    "+int_metric_subscores_normalized",
    "+backtest_metric_observations",
    "int_input_day_digests_built",
]
LATE_DAY = "2026-09-15"


def _dbt() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else (shutil.which("dbt") or "dbt")


def _build(work: Path, db: Path, *args: str, vars_: dict | None = None,
           selection: list[str] = SELECTION) -> None:
    env = dbt_env(work, db, ROOT, threads=2)
    cmd = [_dbt(), "build", "--project-dir", str(ROOT), *selection, *args]
    if vars_:
        cmd += ["--vars", json.dumps(vars_)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        lines = [ln for ln in proc.stdout.splitlines() if re.search(r"ERROR|FAIL", ln)]
        pytest.fail(
            f"dbt build failed ({proc.returncode}):\n"
            + "\n".join(lines[:20])
            + f"\n--- tail ---\n{proc.stdout[-3000:]}"
        )


def _plan(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        cur = con.execute("select * from intermediate.int_build_plan")
        return dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))


@pytest.fixture(scope="module")
def builds(tmp_path_factory, raw_db):
    work = tmp_path_factory.mktemp("incremental")
    daily = work / "daily" / "health.duckdb"
    daily.parent.mkdir()
    shutil.copyfile(raw_db, daily)
    plans = []
    _build(work, daily, vars_={"as_of_date": "2026-09-10"})
    plans.append(_plan(daily))
    _build(work, daily, vars_={"as_of_date": "2026-09-20"})
    plans.append(_plan(daily))
    with duckdb.connect(str(daily)) as con:
        before = con.execute(
            "select account_id, date_day, health_score from marts.fct_account_health_daily "
            f"where date_day >= date '{LATE_DAY}'"
        ).fetchall()
        # the stored backtest features of the grid dates the late rows touch
        before_features = con.execute(
            "select * from intermediate.int_backtest_metric_features "
            f"where date_day >= date '{LATE_DAY}'"
        ).fetchall()
        # one value event per active account on a day already scored (late rows)
        con.execute(f"""
            insert into raw.product_events
            select 'late_' || account_id || '_' || cast(n as varchar), account_id, null,
                   'goal_reached', timestamp '{LATE_DAY} 12:00:00', null
            from (select distinct account_id from raw.product_events
                  where occurred_at >= timestamp '2026-08-15') as active
            cross join range(3) as r(n)""")
    # the same daily build blind to the late rows (input digests ignored,
    # 2-day lookback; metric models only): it must differ from the full refresh
    short = work / "short" / "health.duckdb"
    short.parent.mkdir()
    shutil.copyfile(daily, short)
    _build(work, short, vars_={"incremental_lookback_days": 2, "incremental_detect_changes": False},
           selection=["--resource-type", "model", "--select", "+int_account_metrics_daily"])
    plans.append(_plan(short))
    _build(work, daily)
    plans.append(_plan(daily))
    full = work / "full" / "health.duckdb"
    full.parent.mkdir()
    shutil.copyfile(daily, full)
    _build(work, full, "--full-refresh")
    plans.append(_plan(full))
    return {"daily": daily, "full": full, "short": short, "plans": plans, "before": before,
            "before_features": before_features}


def _except(con, a: str, b: str) -> int:
    return con.execute(
        f"select count(*) from (select * from {a} except all select * from {b})"
    ).fetchone()[0]


def test_the_builds_were_full_incremental_incremental_full(builds):
    modes = [p["mode"] for p in builds["plans"]]
    assert modes == ["full", "incremental", "incremental", "incremental", "full"], builds["plans"]
    assert str(builds["plans"][2]["recompute_from"]) > LATE_DAY  # the short lookback
    new_days = builds["plans"][1]  # nothing changed but the appended days
    assert str(new_days["changed_from"]) > str(new_days["previous_last_day"]), new_days
    last = builds["plans"][3]
    # the window starts exactly at the late rows' day: found by the input digests
    assert str(last["changed_from"]) == LATE_DAY < str(last["previous_last_day"])
    assert str(last["recompute_from"]) == LATE_DAY
    assert last["lookback_days"] == 0  # no safety margin by default


def test_incremental_equals_full_refresh_row_for_row(builds):
    with duckdb.connect() as con:
        con.execute(f"attach '{builds['daily']}' as daily (read_only)")
        con.execute(f"attach '{builds['full']}' as full_refresh (read_only)")
        for table in INCREMENTAL + DOWNSTREAM:
            n = con.execute(f"select count(*) from full_refresh.{table}").fetchone()[0]
            assert n > 0, table
            assert con.execute(f"select count(*) from daily.{table}").fetchone()[0] == n, table
            assert _except(con, f"daily.{table}", f"full_refresh.{table}") == 0, table
            assert _except(con, f"full_refresh.{table}", f"daily.{table}") == 0, table
        # the appended days are there, and the late rows moved scores already built
        after = dict(
            ((a, str(d)), s)
            for a, d, s in con.execute(
                "select account_id, date_day, health_score "
                "from daily.marts.fct_account_health_daily "
                f"where date_day >= date '{LATE_DAY}'"
            ).fetchall()
        )
        assert max(d for _, d in after) > "2026-09-20"
        changed = [k for a, d, s in builds["before"] if after.get(k := (a, str(d))) != s]
        assert changed, "the late rows changed no score: the comparison would prove nothing"
        # ... and a stored backtest feature row (a grid date on or after the late day)
        features = con.execute(
            "select * from daily.intermediate.int_backtest_metric_features "
            f"where date_day >= date '{LATE_DAY}'"
        ).fetchall()
        assert builds["before_features"], "no backtest grid date on or after the late day"
        assert set(features) != set(builds["before_features"]), \
            "the late rows changed no backtest feature"


def test_a_too_short_lookback_misses_the_late_rows(builds):
    """The comparison above can fail: a lookback of 2 days leaves the metric
    rows of the late day as they were before the late rows arrived."""
    with duckdb.connect() as con:
        con.execute(f"attach '{builds['short']}' as short (read_only)")
        con.execute(f"attach '{builds['full']}' as full_refresh (read_only)")
        stale = [t for t in UPSTREAM
                 if _except(con, f"short.{t}", f"full_refresh.{t}") > 0]
        assert "intermediate.int_account_metrics_daily" in stale, stale
        assert "intermediate.int_value_metrics_daily" in stale, stale


def _compare(con, wide: str, long: str, keys: list[str]) -> dict[str, int]:
    """Columns of `wide` whose values differ from `long` (beyond 1e-9), joined on keys.
    Both sides are materialised once (the long form is a view, costly to read)."""
    con.execute(f"create or replace temp table w as select * from {wide}")
    con.execute(f"create or replace temp table r as select * from {long}")
    types = dict(
        con.execute(
            "select column_name, data_type from duckdb_columns() "
            "where table_name = 'w' and database_name = 'temp'"
        ).fetchall()
    )
    assert types, wide
    on = " and ".join(f"w.{k} = r.{k}" for k in keys)
    checks = []
    for col, typ in types.items():
        if col in keys:
            continue
        if re.match(r"DECIMAL|DOUBLE|FLOAT|INTEGER|BIGINT|HUGEINT", typ):
            differs = (
                f"not ((w.{col} is null and r.{col} is null) or "
                f"abs(cast(w.{col} as double) - cast(r.{col} as double)) <= 1e-9)"
            )
        else:
            differs = f"w.{col} is distinct from r.{col}"
        checks.append(f"sum(case when {differs} then 1 else 0 end) as {col}")
    row = con.execute(f"select {', '.join(checks)} from w full join r on {on}").fetchone()
    names = [c for c in types if c not in keys]
    return {c: n for c, n in zip(names, row, strict=True) if n}


def test_wide_scores_equal_the_long_form_reference(builds):
    with duckdb.connect() as con:
        con.execute(f"attach '{builds['full']}' as full_refresh (read_only)")
        con.execute("use full_refresh")
        pairs = [
            (
                "intermediate.int_health_scores_capped",
                "intermediate.int_health_scores_capped_long",
                ["account_id", "date_day"],
            ),
            (
                "intermediate.int_component_subscores_weighted",
                "intermediate.int_component_subscores_weighted_long",
                ["account_id", "date_day", "component"],
            ),
        ]
        for wide, long, keys in pairs:
            assert _compare(con, wide, long, keys) == {}, wide
            n = con.execute("select count(*) from w").fetchone()[0]
            assert n > 0 and n == con.execute("select count(*) from r").fetchone()[0], wide
        # not vacuous: the scores spread and caps bite
        spread, capped = con.execute(
            "select count(distinct health_score), count(cap_rule) "
            "from intermediate.int_health_scores_capped"
        ).fetchone()
        assert spread > 100 and capped > 0
        # per metric: the wide columns equal the long reference's rows
        con.execute("create temp table wm as select * from intermediate.int_metric_subscores_wide")
        con.execute(
            "create temp table rm as select * from intermediate.int_metric_subscores_normalized"
        )
        metrics = [r[0] for r in con.execute("select distinct metric from rm").fetchall()]
        percentile = con.execute(
            "select count(*) from rm where threshold_type = 'percentile' and low is not null"
        ).fetchone()[0]
        assert len(metrics) >= 10 and percentile > 0
        for m in metrics:
            same = " and ".join(
                f"((w.{m}__{col} is null and r.{ref} is null) "
                f"or abs(w.{m}__{col} - r.{ref}) <= 1e-9)"
                for col, ref in (
                    ("value_used", "metric_value_used"),
                    ("low", "low"),
                    ("high", "high"),
                    ("subscore", "metric_subscore"),
                )
            )
            n = con.execute(f"""
                select count(*) from wm as w
                full join (select * from rm where metric = '{m}') as r
                    on w.account_id = r.account_id and w.date_day = r.date_day
                where not ({same})""").fetchone()[0]
            assert n == 0, m


def test_a_daily_run_skips_unit_tests_only_for_unchanged_code(tmp_path):
    """healthwh.build_plan.daily_args: unit tests are skipped only when the
    code version stored by the last build equals the project's (no dbt run)."""
    from healthwh import build_plan

    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "models" / "m.sql").write_text("select 1 as x\n")
    (project / "dbt_project.yml").write_text("name: p\n")
    code = build_plan.code_version(project)
    db = tmp_path / "health.duckdb"
    assert build_plan.daily_args(db, project)[0] == []  # no previous build
    with duckdb.connect(str(db)) as con:
        con.execute("create schema intermediate")
        con.execute("create table intermediate.int_input_day_digests_built as "
                    "select 'project_code' as input_name, date '1900-01-01' as fact_day, "
                    f"1 as n_rows, '{code}' as digest")
    assert build_plan.daily_args(db, project)[0][:2] == ["--exclude-resource-type", "unit_test"]
    assert build_plan.daily_args(db, project, full_refresh=True)[0] == []
    (project / "models" / "m.sql").write_text("select 2 as x\n")
    assert build_plan.code_version(project) != code
    assert build_plan.daily_args(db, project)[0] == []
