"""A sixth component is seed rows, one metrics model and its yml (issue 11).

The project is copied to a temp dir; the test adds an `adoption` component by
touching only seeds/*.csv rows, one new metrics model and its yml (checked
against the original tree), builds the scoring path on the tiny sample and
checks that the component is scored: its subscore appears in the long mart,
the weights renormalise over six components, and the score is the sum of
the six components' points. The wide marts keep their contracted columns
(wide_column = false in seeds/health_components.csv).
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).parent / "dbt"
IGNORE = shutil.ignore_patterns(".venv", ".git", "data", "output", "target", "logs",
                                "dbt_packages", "tests_python", "scripts", "docs", "tooling",
                                "*.duckdb", ".health-alias")

METRICS_MODEL = """\
-- Adoption (a sixth component): days with a login in the last 28 days.
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

activity as (
    select * from {{ ref('int_product_activity_daily') }}
),

final as (
    select
        account_days.account_id,
        account_days.date_day,
        cast(count(activity.date_day) as {{ type_double() }}) as login_days_28d
    from account_days
    left join activity
        on
            account_days.account_id = activity.account_id
            and activity.logins > 0
            and activity.date_day <= account_days.date_day
            and activity.date_day > {{ dbt.dateadd('day', -28, 'account_days.date_day') }}
    group by account_days.account_id, account_days.date_day
)

select * from final
"""

METRICS_YML = """\
version: 2
models:
  - name: int_adoption_metrics_daily
    description: Adoption metrics per account per customer day (component adoption).
    config:
      meta: {health_component: adoption}
    data_tests:
      - unique_combination_of_columns:
          arguments:
            combination_of_columns: [account_id, date_day]
    columns:
      - name: account_id
        description: The account.
      - name: date_day
        description: The customer day.
      - name: login_days_28d
        description: Days with a login in the last 28 days.
"""


def _append(path: Path, *lines: str) -> None:
    path.write_text(path.read_text().rstrip("\n") + "\n" + "\n".join(lines) + "\n")


def _add_adoption(project: Path) -> None:
    seeds = project / "seeds"
    _append(seeds / "health_components.csv", "adoption,6,false,How many days the users log in")
    _append(seeds / "health_metrics.csv",
            "login_days_28d,adoption,higher_is_better,absolute,2,20,1.0,,"
            "Days with a login in the last 28 days")
    _append(seeds / "health_playbooks.csv",
            "adoption,Run an adoption campaign for the inactive users,csm")
    # adoption takes 0.10 of every profile, from usage: each profile still sums to 1
    weights = seeds / "health_weights.csv"
    rows = weights.read_text().splitlines()
    header, body = rows[0], rows[1:]
    out, profiles = [header], []
    for row in body:
        profile, component, weight = row.split(",")
        if component == "usage":
            row = f"{profile},usage,{float(weight) - 0.10:.2f}"
            profiles.append(profile)
        out.append(row)
    out += [f"{profile},adoption,0.10" for profile in profiles]
    weights.write_text("\n".join(out) + "\n")
    intermediate = project / "models" / "intermediate"
    (intermediate / "int_adoption_metrics_daily.sql").write_text(METRICS_MODEL)
    (intermediate / "_adoption__models.yml").write_text(METRICS_YML)


def _changed_files(original: Path, copy: Path) -> set[str]:
    changed: set[str] = set()

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        changed.update(prefix + name for name in cmp.right_only + cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(original, copy, ignore=["target", "logs"]), "")
    return changed


@pytest.fixture(scope="module")
def sixth(tmp_path_factory, raw_db):
    base = tmp_path_factory.mktemp("sixth")
    pristine, project = base / "pristine", base / "project"
    shutil.copytree(ROOT, pristine, ignore=IGNORE)
    shutil.copytree(pristine, project)
    _add_adoption(project)
    db = project.parent / "health.duckdb"
    shutil.copy(raw_db, db)  # dbt writes beside the raw tables: never into the shared fixture
    env = {**os.environ, "DBT_PROFILES_DIR": str(project), "HEALTH_DUCKDB_PATH": str(db),
           "DBT_TARGET_PATH": str(project / "target"), "DBT_LOG_PATH": str(project / "logs")}
    result = subprocess.run(
        [str(DBT), "build", "--project-dir", str(project), "--full-refresh",
         "--select", "+fct_account_health_components", "+fct_account_health_daily",
         "--resource-type", "seed", "--resource-type", "model"],
        env=env, capture_output=True, text=True, timeout=1200, check=False,
    )
    return pristine, project, db, result


def test_sixth_component_touches_only_seeds_one_model_and_its_yml(sixth):
    pristine, project, _, _ = sixth
    assert _changed_files(pristine, project) == {
        "seeds/health_components.csv", "seeds/health_metrics.csv", "seeds/health_playbooks.csv",
        "seeds/health_weights.csv",
        "models/intermediate/int_adoption_metrics_daily.sql",
        "models/intermediate/_adoption__models.yml",
    }


def test_sixth_component_builds_and_scores(sixth):
    _, _, db, result = sixth
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    with duckdb.connect(str(db), read_only=True) as con:
        components = {row[0] for row in con.execute(
            "select distinct component from marts.fct_account_health_components").fetchall()}
        assert components == {"usage", "value", "billing", "support", "sentiment", "adoption"}
        observed, in_range = con.execute(
            "select count(subscore), count(case when subscore between 0 and 1 then 1 end)"
            " from marts.fct_account_health_components where component = 'adoption'").fetchone()
        assert observed > 0 and observed == in_range
        # weights renormalise over the six components: they sum to 1 on every
        # account-day with an observed component (the mart rounds them), and
        # adoption takes its share
        bad_sum, adoption_share = con.execute(
            "select count(case when abs(total - 1) > 1e-6 then 1 end), max(adoption) from ("
            " select account_id, date_day, sum(weight_renormalised) as total,"
            " max(case when component = 'adoption' then weight_renormalised end) as adoption"
            " from marts.fct_account_health_components group by account_id, date_day"
            " having count(case when is_observed then 1 end) > 0) as days").fetchone()
        assert bad_sum == 0 and adoption_share > 0
        # the score is the sum of the six components. points (rounded to 2 decimals)
        mismatched = con.execute(
            "select count(*) from marts.fct_account_health_daily as daily"
            " inner join (select account_id, date_day, sum(points_contributed) as points"
            " from marts.fct_account_health_components group by account_id, date_day) as parts"
            " on daily.account_id = parts.account_id and daily.date_day = parts.date_day"
            " where abs(daily.health_score_uncapped - parts.points) > 0.006").fetchone()[0]
        assert mismatched == 0
        # the contracted wide mart keeps its columns (adoption has wide_column = false)
        columns = {row[0] for row in con.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'marts' and table_name = 'fct_account_health_daily'").fetchall()}
        assert "usage_subscore" in columns and "adoption_subscore" not in columns
