"""health.py: every subcommand, exit codes, progress lines and one-paragraph failures.

Failure messages are tested on a tiny dbt project written into a temp dir (fast and
independent of the real models); the real pipeline is built once per session by
``health.py run --size small`` and reused by the report / export / calibrate tests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from healthwh import cli
from healthwh.dbt_runner import NodeFailure, explain, first_line

REPO = Path(__file__).resolve().parents[1]


HEALTH_PY = REPO / "scripts" / "health.py"


@pytest.fixture(autouse=True)
def _dbt_dirs(tmp_path, monkeypatch):
    """Keep dbt's target/ and logs/ out of the repo and away from other runs."""
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    monkeypatch.delenv("HEALTH_THREADS", raising=False)


def one_paragraph(text: str) -> bool:
    body = [line for line in text.strip().splitlines() if line.startswith("error:")]
    return (
        len(body) == 1
        and "Traceback" not in text
        and "fix" in body[0].lower()
        and len(body[0]) < 900
    )


# --------------------------------------------------------------------------- mini project

MINI_PROJECT = {
    "dbt_project.yml": """
        name: mini_health
        version: "0.1.0"
        config-version: 2
        profile: customer_health
        model-paths: ["models"]
        seed-paths: ["seeds"]
        macro-paths: ["macros"]
        flags:
          send_anonymous_usage_stats: false
        vars:
          raw_schema: raw
          fail_validation: false
        seeds:
          mini_health:
            +schema: config
        models:
          mini_health:
            +materialized: table
    """,
    "macros/generate_schema_name.sql": """
        {% macro generate_schema_name(custom_schema_name, node) -%}
            {{ custom_schema_name if custom_schema_name else target.schema }}
        {%- endmacro %}
    """,
    "seeds/health_bands.csv": """
        band,min_score,max_score
        at_risk,0,40
        watch,40,70
        healthy,70,100
    """,
    "models/_sources.yml": """
        version: 2
        sources:
          - name: crm
            schema: "{{ var('raw_schema') }}"
            tables:
              - name: accounts
    """,
    "models/stg_config__validation.sql": """
        {% if execute and var('fail_validation') %}
          {{ exceptions.raise_compiler_error(
              "Invalid configuration seeds (1 problem(s)); no score was built.\n"
              ~ "  - seeds/health_weights.csv, smb: the weights of profile smb sum to 0.9; "
              ~ "fix: make them sum to 1\nEdit the seed files, then rerun `dbt build`.") }}
        {% endif %}
        select band from {{ ref('health_bands') }}
    """,
    "models/stg_accounts.sql": """
        select account_id, segment from {{ source('crm', 'accounts') }}
    """,
    "models/_models.yml": """
        version: 2
        models:
          - name: stg_accounts
            columns:
              - name: segment
                data_tests:
                  - accepted_values:
                      arguments:
                        values: ['smb', 'mid_market', 'enterprise']
    """,
}


def write_mini(root: Path) -> Path:
    for rel, text in MINI_PROJECT.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    shutil.copy(REPO / "profiles.yml", root / "profiles.yml")
    return root


def add_raw(db: Path, segments=("smb", "enterprise")) -> None:
    con = duckdb.connect(str(db))
    con.execute("create schema if not exists raw")
    con.execute("create or replace table raw.accounts (account_id varchar, segment varchar)")
    for i, seg in enumerate(segments):
        con.execute("insert into raw.accounts values (?, ?)", [f"A{i}", seg])
    con.close()


@pytest.fixture()
def mini(tmp_path):
    project = write_mini(tmp_path / "proj")
    db = tmp_path / "mini.duckdb"
    return project, db


def run_cli(args: list[str], capsys) -> tuple[int, str]:
    rc = cli.main(args)
    out = capsys.readouterr()
    return rc, out.out + out.err


def build(mini, capsys, *extra):
    project, db = mini
    return run_cli(["build", "--project-dir", str(project), "--db", str(db), "--threads", "1",
                    *extra], capsys)


def build_fails(mini, capsys, code: int, *extra) -> str:
    """Build expecting exit `code` with a one-paragraph error; returns the output."""
    rc, out = build(mini, capsys, *extra)
    assert rc == code, out
    assert one_paragraph(out), out
    return out


# --------------------------------------------------------------------------- build


def test_build_ok_prints_progress_per_node(mini, capsys):
    add_raw(mini[1])
    rc, out = build(mini, capsys)
    assert rc == 0, out
    assert re.search(r"\[\s*\d/4\] seed config\.health_bands \.\.\. ok \(\d+\.\d+s\)", out)
    assert "[4/4]" in out and "nodes: 4 ok" in out
    assert re.search(r"model main\.stg_accounts \.\.\. ok", out)
    assert "done in" in out and "nodes:" in out
    # dbt let go of the file: a read-write open works right away
    duckdb.connect(str(mini[1])).close()


def test_build_passes_vars_and_quiet_hides_node_lines(mini, capsys):
    add_raw(mini[1])
    rc, out = build(mini, capsys, "--quiet", "--vars", '{"raw_schema": "nowhere"}')
    assert rc == 3, out
    assert "... ok" not in out
    assert "nowhere.accounts" in out and one_paragraph(out)


def test_missing_raw_data_exit_3(mini, capsys):
    out = build_fails(mini, capsys, 3)
    assert "raw.accounts" in out and "health generate" in out
    assert "raw_schema/raw_locations" in out


def test_malformed_seed_is_one_paragraph(mini, capsys):
    add_raw(mini[1])
    (mini[0] / "seeds" / "health_bands.csv").write_text(
        "band,min_score,max_score\nat_risk,0,40\nwatch,40,70,oops\nhealthy,70,100\n"
    )
    out = build_fails(mini, capsys, 1)
    assert "seed config.health_bands" in out and "seeds/health_bands.csv" in out
    assert "quote values that contain a comma" in out


def test_config_validation_message_is_shown_verbatim(mini, capsys):
    add_raw(mini[1])
    out = build_fails(mini, capsys, 1, "--vars", "{fail_validation: true}")
    assert "seeds/health_weights.csv, smb: the weights of profile smb sum to 0.9" in out
    assert "stg_config__validation" in out and "fix: make them sum to 1" in out


def test_failing_data_test_names_the_test_and_rows(mini, capsys):
    add_raw(mini[1], segments=("smb", "galactic"))
    out = build_fails(mini, capsys, 1)
    assert "accepted_values_stg_accounts_segment" in out
    assert "1 failing row" in out and "galactic" in out
    assert "dbt show --select accepted_values_stg_accounts_segment" in out


def test_locked_database_exit_4(mini, capsys):
    add_raw(mini[1])
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb,sys; c=duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         "sys.stdin.read()", str(mini[1])],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        out = build_fails(mini, capsys, 4)
        assert "another process has the database open" in out
        rc, out = run_cli(["report", "--db", str(mini[1]), "--out",
                           str(mini[0] / "r.html")], capsys)
        assert rc == 4, out
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_parse_error_is_explained(mini, capsys):
    add_raw(mini[1])
    (mini[0] / "models" / "broken.sql").write_text("select * from {{ ref('no_such_model') }}")
    out = build_fails(mini, capsys, 1)
    assert "no_such_model" in out and "before any node ran" in out


def test_select_is_passed_to_dbt(mini, capsys):
    rc, out = build(mini, capsys, "--select", "health_bands")
    assert rc == 0, out
    assert "seed config.health_bands ... ok" in out and "stg_accounts" not in out


def copy_real_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(".venv", ".git", "data", "output", "target", "logs",
                                    "dbt_packages", "tests_python", "scripts", "*.duckdb")
    shutil.copytree(REPO, dest, ignore=ignore)
    return dest


def test_real_project_broken_seed_is_one_paragraph(tmp_path, capsys):
    """The done-criterion: a broken weights seed → one paragraph naming file, row and fix."""
    project = copy_real_project(tmp_path / "real")
    weights = project / "seeds" / "health_weights.csv"
    lines = weights.read_text().splitlines()
    header = lines[0].split(",")
    w = header.index("weight")
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        if cells[0] == "smb":
            cells[w] = str(round(float(cells[w]) + 0.2, 4))  # smb no longer sums to 1
            lines[i] = ",".join(cells)
            break
    weights.write_text("\n".join(lines) + "\n")
    rc, out = run_cli(["build", "--project-dir", str(project), "--db",
                       str(tmp_path / "real.duckdb"), "--threads", "1",
                       "--select", "+stg_config__validation"], capsys)
    assert rc == 1, out
    assert one_paragraph(out), out
    assert "health_weights" in out and "smb" in out
    assert "Traceback" not in out and "> in macro" not in out


# --------------------------------------------------------------------------- usage


def test_help_lists_every_command_and_exit_codes(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for cmd in ("generate", "build", "report", "calibrate", "export", "run"):
        assert cmd in text
    for code in ("0  success", "2  usage error", "3  input data missing", "4  the DuckDB"):
        assert code in text


@pytest.mark.parametrize("cmd", ["generate", "build", "report", "calibrate", "export", "run"])
def test_every_subcommand_has_help(cmd, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main([cmd, "--help"])
    assert exc.value.code == 0
    assert "--db" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        cli.main(["build", "--no-such-option"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["build", "--vars", "[1, 2]"])
    assert exc.value.code == 2
    assert "--vars must be a mapping" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(["build", "--vars", "{as_of_date: [unclosed"])
    assert exc.value.code == 2
    assert cli.main([]) == 2


def test_vars_accepts_json_yaml_and_files(tmp_path):
    assert cli.parse_vars('{"a": 1}') == ({"a": 1}, '{"a": 1}')
    assert cli.parse_vars("{as_of_date: '2026-06-30'}")[0] == {"as_of_date": "2026-06-30"}
    f = tmp_path / "v.yml"
    f.write_text("enable_csm_pulse: false\n")
    assert cli.parse_vars(str(f))[0] == {"enable_csm_pulse": False}


def test_global_options_before_or_after_the_command(tmp_path):
    parser = cli.build_parser()
    a = cli.resolve_common(parser.parse_args(["--db", str(tmp_path / "x.duckdb"), "report"]))
    b = cli.resolve_common(parser.parse_args(["report", "--db", str(tmp_path / "x.duckdb")]))
    assert a.db == b.db == (tmp_path / "x.duckdb").resolve()
    c = cli.resolve_common(parser.parse_args(["--db", str(tmp_path / "g.duckdb"), "generate"]))
    assert c.db == (tmp_path / "g.duckdb").resolve()


def test_report_and_export_without_database_exit_3(tmp_path, capsys):
    rc, out = run_cli(["report", "--db", str(tmp_path / "none.duckdb")], capsys)
    assert rc == 3 and one_paragraph(out) and "health run" in out
    rc, out = run_cli(["export", "--db", str(tmp_path / "none.duckdb"), "--out",
                       str(tmp_path / "bi")], capsys)
    assert rc == 3 and one_paragraph(out)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    rc, out = run_cli(["export", "--db", str(empty), "--out", str(tmp_path / "bi")], capsys)
    assert rc == 3 and "build" in out


def test_calibrate_without_database_is_explained(capsys, tmp_path):
    rc, out = run_cli(["calibrate", "--db", str(tmp_path / "x.duckdb")], capsys)
    assert rc == 3 and one_paragraph(out) and "Traceback" not in out


def test_explain_precedence_and_first_line():
    lock = NodeFailure("model.x.a", "model", "a", "marts.a", "error",
                       'IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is '
                       "held in /usr/bin/python3 (PID 12). See also https://duckdb.org")
    missing = NodeFailure("model.x.b", "model", "b", "staging.b", "error",
                          "Runtime Error in model b (models/b.sql)\n  Catalog Error: Table with "
                          'name "raw.csm_pulse" does not exist!')
    code, msg = explain(step="build", exception=None, failures=[missing, lock],
                        db_path=Path("/x.duckdb"))
    assert code == 4 and "PID 12" in msg
    code, msg = explain(step="build", exception=None, failures=[missing],
                        db_path=Path("/x.duckdb"))
    assert code == 3 and "enable_csm_pulse: false" in msg
    assert first_line(missing.message).startswith("Catalog Error")


def test_generate_keeps_its_ci_command_line(tmp_path):
    db = tmp_path / "gen.duckdb"
    proc = subprocess.run(
        [sys.executable, str(HEALTH_PY), "generate", "--size", "small", "--messy-rate", "0.01",
         "--db", str(db)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    tables = {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
    con.close()
    assert {"accounts", "subscriptions", "product_events"} <= tables


# --------------------------------------------------------------------------- full pipeline


@pytest.fixture()
def pipeline(small_warehouse):
    """`health.py run --size small --export`: from nothing to a report, once per
    session (conftest.small_warehouse, shared with test_backtest / test_point_in_time)."""
    return small_warehouse


def test_run_goes_from_nothing_to_a_report(pipeline):
    assert pipeline["rc"] == 0, pipeline["out"][-3000:]
    out = pipeline["out"]
    assert "[1/4] generate small sample data" in out
    assert "[2/4] build" in out and "[3/4] report" in out and "[4/4] export" in out
    assert f"Report: {pipeline['html']}" in out
    html = pipeline["html"].read_text()
    assert html.count("<svg") >= 6
    assert "is not in this database yet" not in html
    assert (pipeline["bi"] / "current" / "marts" / "fct_account_health_daily.parquet").exists()


def test_run_skips_generate_when_raw_data_exists(pipeline, capsys):
    assert pipeline["rc"] == 0
    status, missing = cli.raw_status(pipeline["db"], {})
    assert status == "present" and not missing
    assert cli.raw_status(pipeline["db"], {"raw_locations": {"accounts": "x.csv"}})[0] == \
        "external"


def test_report_subcommand_on_the_built_warehouse(pipeline, tmp_path, capsys):
    assert pipeline["rc"] == 0
    con = duckdb.connect(str(pipeline["db"]), read_only=True)
    account = con.execute("select account_id from marts.account_health_current "
                          "order by account_id limit 1").fetchone()[0]
    con.close()
    out_html = tmp_path / "r.html"
    rc, out = run_cli(["report", "--db", str(pipeline["db"]), "--out", str(out_html),
                       "--account", account, "--histories", "3"], capsys)
    assert rc == 0, out
    html = out_html.read_text()
    assert f'id="acct-facts" data-account="{account}"' in html
    # the weekly sections render from the real marts, with the measured alert revert rate
    for anchor in ("this-week", "week-queue", "week-alerts", "week-renewals", "expansion",
                   "owners", "segments", "lookup"):
        assert f'id="{anchor}"' in html, anchor
    assert "of band_drop alerts reverted within 7 days" in html
    assert "could not be drawn" not in html


def test_export_subcommand_on_the_built_warehouse(pipeline, tmp_path, capsys):
    assert pipeline["rc"] == 0
    bi = tmp_path / "bi"
    rc, out = run_cli(["export", "--db", str(pipeline["db"]), "--out", str(bi),
                       "--format", "parquet"], capsys)
    assert rc == 0, out
    manifest = json.loads((bi / "current" / "manifest.json").read_text())
    names = {f"{t['schema']}.{t['table']}" for t in manifest["tables"]}
    for table in ("marts.fct_account_health_daily", "marts.account_health_current",
                  "marts.rpt_at_risk_queue", "backtest.backtest_summary"):
        assert table in names


def test_calibrate_subcommand(pipeline, tmp_path, capsys):
    assert pipeline["rc"] == 0
    candidate = tmp_path / "health_weights.candidate.csv"
    rc, out = run_cli(["--db", str(pipeline["db"]), "calibrate", "--out", str(candidate)],
                      capsys)
    assert rc == 0, out
    assert candidate.exists() and "==> calibrate" in out and "done in" in out
    # the live seed is never touched
    assert (REPO / "seeds" / "health_weights.csv").read_text().startswith("profile,")
