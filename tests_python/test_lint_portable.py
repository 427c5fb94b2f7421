"""scripts/lint_portable.py: DuckDB-only SQL in models/ fails the check."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "lint_portable", ROOT / "scripts" / "lint_portable.py")
lint_portable = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lint_portable)

CLEAN = """
{{ config(materialized='table') }}
-- a comment may say date_diff( or qualify freely
with

days as (
    select
        account_id,
        {{ dbt.datediff('start_date', 'end_date', 'day') }} as n_days,
        {{ health_round('score', 2) }} as score,
        {{ try_cast('raw_value', type_double()) }} as value,
        round(score) as whole_score,
        'qualify' as word
    from {{ ref('x') }}
),

final as (
    select sub.account_id from (select account_id from days) as sub
)

select * from final
"""

PLANTED = [
    "select date_diff('day', a, b) from t",
    "select strftime(d, '%Y') from t",
    "select epoch(ts) from t",
    "select list_sum(xs) from t",
    "select struct_pack(a := 1) from t",
    "select try_cast(x as integer) from t",
    "select * from t qualify row_number() over (order by a) = 1",
    "select a, count(*) from t group by all",
    "select a, count(*) from t group by 'all'",
    "select x::integer from t",
    "select * from range(10)",
    "select d + interval 1 day from t",
    "select cast(x as double) from t",
    "select round(x, 2) from t",
    "select [1, 2, 3] as xs",
    "select * from (select 1 as a) where a = 1",
    "select median(x) from t",
]


def test_clean_sql_passes():
    assert lint_portable.problems(CLEAN) == []


@pytest.mark.parametrize("sql", PLANTED)
def test_planted_duckdb_only_sql_is_found(sql):
    assert lint_portable.problems(sql), sql


def test_lint_fails_on_a_planted_model_and_a_long_unit_test_name(tmp_path, capsys):
    models = tmp_path / "models"
    models.mkdir()
    (models / "ok.sql").write_text(CLEAN)
    assert lint_portable.main([str(models)]) == 0
    (models / "bad.sql").write_text("select date_diff('day', a, b) as n from t\n")
    (models / "_tests.yml").write_text(
        "version: 2\nunit_tests:\n"
        f"  - name: {'x' * 64}\n    model: ok\n    given:\n"
        "      - input: ref('x')\n        format: sql\n        rows: |\n"
        "          select cast(d as double) as a from range(3) as t(d)\n"
        "    expect:\n      rows: []\n"
    )
    assert lint_portable.main([str(models)]) == 1
    out = capsys.readouterr().out
    assert "bad.sql:1: `date_diff(`" in out
    assert "longer than 63" in out
    assert "SQL fixture" in out and "double" in out and "range(" in out


def test_the_project_is_portable():
    assert lint_portable.lint([ROOT / "models", ROOT / "tests"]) == []
