"""health.py input hardening (issue 12): vars, selection, --db paths, logs, node counts.

Cheap: vars are checked before dbt runs; the dbt cases use the tiny project of
test_cli.py (a seed, a source, a model), never the real models.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from healthwh import cli, preflight
from healthwh.dbfile import alias_path, catalog_name
from test_cli import add_raw, run_cli, write_mini


@pytest.fixture(autouse=True)
def _dbt_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    monkeypatch.delenv("HEALTH_THREADS", raising=False)


@pytest.fixture()
def mini(tmp_path):
    return write_mini(tmp_path / "proj"), tmp_path / "mini.duckdb"


def _usage_error(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    return capsys.readouterr().err


def test_unknown_var_is_a_usage_error_naming_it(capsys, tmp_path):
    err = _usage_error(["build", "--db", str(tmp_path / "x.duckdb"),
                        "--vars", "{enable_invoice: false}"], capsys)
    assert "unknown var enable_invoice" in err
    assert "did you mean enable_invoices" in err
    # the known list is read from dbt_project.yml
    for name in preflight.project_vars(cli.REPO_ROOT):
        assert name in err


@pytest.mark.parametrize("value", ["2026-13-01", "'2026-02-30'", "yesterday"])
def test_bad_as_of_date_is_a_usage_error(value, capsys, tmp_path):
    err = _usage_error(["build", "--db", str(tmp_path / "x.duckdb"),
                        "--vars", f"{{as_of_date: {value}}}"], capsys)
    assert "as_of_date" in err and "YYYY-MM-DD" in err and "Traceback" not in err


def test_bad_var_types_are_usage_errors(capsys, tmp_path):
    for vars_text, word in [("{enable_invoices: maybe}", "true or false"),
                            ("{backtest_horizon_days: 0}", "at least 1"),
                            ("{renewal_window_days: ten}", "whole number"),
                            ("{raw_locations: {product_event: x.parquet}}", "product_event")]:
        err = _usage_error(["build", "--db", str(tmp_path / "x.duckdb"), "--vars", vars_text],
                           capsys)
        assert word in err, (vars_text, err)


def test_good_vars_are_normalised():
    clean, text = preflight.check_vars(
        {"as_of_date": "2026-06-30", "enable_csm_pulse": "false", "backtest_horizon_days": "60"},
        cli.REPO_ROOT,
    )
    assert clean == {"as_of_date": "2026-06-30", "enable_csm_pulse": False,
                     "backtest_horizon_days": 60}
    assert '"enable_csm_pulse": false' in text


def test_select_of_nothing_fails_with_a_message(mini, capsys):
    add_raw(mini[1])
    rc, out = run_cli(["build", "--project-dir", str(mini[0]), "--db", str(mini[1]),
                       "--threads", "1", "--select", "no_such_model"], capsys)
    assert rc == 2, out
    assert "--select no_such_model matched no node" in out


def test_missing_db_folder_exits_3_and_creates_nothing(mini, capsys, tmp_path):
    db = tmp_path / "no" / "such" / "folder" / "h.duckdb"
    rc, out = run_cli(["build", "--project-dir", str(mini[0]), "--db", str(db)], capsys)
    assert rc == 3, out
    assert "does not exist" in out and not (tmp_path / "no").exists()


def test_errors_name_a_log_that_exists(mini, capsys):
    add_raw(mini[1])
    (mini[0] / "models" / "broken.sql").write_text(
        "select no_such_column from {{ ref('stg_accounts') }}"
    )
    rc, out = run_cli(["build", "--project-dir", str(mini[0]), "--db", str(mini[1]),
                       "--threads", "1"], capsys)
    assert rc == 1, out
    logs = re.findall(r"(/\S+dbt\.log)", out)
    assert logs, out
    for log in logs:
        assert Path(log.rstrip(".,;)")).is_file(), log


def test_node_counts_count_each_node_once(mini, capsys):
    add_raw(mini[1])
    (mini[0] / "seeds" / "health_bands.csv").write_text("band,min_score,max_score\nx,1,2,3\n")
    rc, out = run_cli(["build", "--project-dir", str(mini[0]), "--db", str(mini[1]),
                       "--threads", "1"], capsys)
    assert rc == 1, out
    total = int(re.search(r"\[\s*1/(\d+)\]", out).group(1))  # dbt's node count
    counts = re.search(r"nodes: (.+)", out).group(1)
    counted = sum(int(n) for n in re.findall(r"(\d+) \w+", counts))
    assert "skipped" in counts  # a skipped node is reported twice by dbt's events
    assert counted == total, out
    assert {int(t) for t in re.findall(r"\[\s*\d+/(\d+)\]", out)} == {total}, out


@pytest.mark.parametrize("name", ["raw.duckdb", "marts.duckdb"])
def test_a_database_named_like_a_schema_builds(name, mini, capsys, tmp_path):
    db = tmp_path / name
    add_raw(tmp_path / "seed.duckdb")  # written under a harmless name (raw.accounts clashes)
    (tmp_path / "seed.duckdb").rename(db)
    rc, out = run_cli(["build", "--project-dir", str(mini[0]), "--db", str(db),
                       "--threads", "1"], capsys)
    assert rc == 0, out
    assert catalog_name(alias_path(db)) != catalog_name(db)
    with duckdb.connect(str(db), read_only=True) as con:  # the user's file holds the result
        assert con.execute("select count(*) from main.stg_accounts").fetchone()[0] == 2
