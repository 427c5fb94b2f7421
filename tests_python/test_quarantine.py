"""Bad input is rejected loudly, never silently (SPEC §1 "Bad input").

Raw rows: every injected bad row is quarantined with its reason and no good
row is lost - checked inside `dbt build` by
tests/staging/assert_injected_bad_rows_quarantined.sql and
tests/staging/assert_raw_rows_reconcile.sql.

Config seeds: an invalid seed must fail `dbt build` with a message naming the
file, the row and the fix, before any stg_config model (and so any score) is
built. A failing build cannot be asserted from inside dbt, so it is tested
here: copy the project's config layer to a temp dir, break the seeds, build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dbt_env import dbt_env

ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).parent / "dbt"


def _copy_project(dst: Path) -> Path:
    """The files the config layer needs: project, profiles, macros, seeds and
    the staging models (other layers are left out so the test depends on
    nothing but staging)."""
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(ROOT / name, dst / name)
    for folder in ("macros", "seeds"):
        shutil.copytree(ROOT / folder, dst / folder)
    shutil.copytree(ROOT / "models" / "staging", dst / "models" / "staging")
    return dst


def _replace_start(path: Path, old: str, new: str) -> None:
    """Replace the beginning `old` of one default row by `new`."""
    lines = path.read_text().splitlines()
    hits = [i for i, line in enumerate(lines) if line.startswith(old)]
    assert len(hits) == 1, f"{path.name}: expected one default row starting {old!r}"
    lines[hits[0]] = new + lines[hits[0]][len(old):]
    path.write_text("\n".join(lines) + "\n")


def _append_line(path: Path, line: str) -> None:
    path.write_text(path.read_text().rstrip("\n") + "\n" + line + "\n")


def _build_config(project: Path, db: Path) -> subprocess.CompletedProcess:
    env = dbt_env(project, db, project, threads=1)
    return subprocess.run(
        [str(DBT), "build", "--project-dir", str(project), "--full-refresh",
         "--select", "resource_type:seed", "path:models/staging/config"],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    project = _copy_project(tmp_path_factory.mktemp("project"))
    seeds = project / "seeds"
    _replace_start(seeds / "health_weights.csv", "smb,support,0.10", "smb,support,0.05")
    _replace_start(seeds / "health_bands.csv", "watch,40,70,", "watch,45,70,")
    _replace_start(seeds / "health_caps.csv", "open_sev1,open_sev1_tickets,>=,",
                   "open_sev1,open_sev1_ticket,=>,")
    _append_line(seeds / "health_overrides.csv", "A00001,30,,Exec escalation,ann,2026-01-01,")
    _append_line(seeds / "segment_profiles.csv", "strategic,strategic")
    # one planted row per remaining check kind: unique (a component listed
    # twice) and missing (a component without a playbook)
    _append_line(seeds / "health_components.csv", "usage,9,false,listed twice")
    _append_line(seeds / "health_components.csv", "adoption,6,false,no playbook yet")
    db = project / "health.duckdb"
    return _build_config(project, db), db


def test_invalid_config_fails_the_build_with_file_row_and_fix(broken_build):
    result, _ = broken_build
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    expected = [
        "seeds/health_weights.csv, profile 'smb': weights sum to 0.95; "
        "fix: make the component weights of 'smb' add up to 1.00",
        "seeds/health_bands.csv, band 'watch': [45.0, 70.0) leaves a gap after the previous band",
        "seeds/health_caps.csv, rule 'open_sev1': unknown metric 'open_sev1_ticket'",
        "seeds/health_caps.csv, rule 'open_sev1': unknown operator '=>'",
        "seeds/health_overrides.csv, account_id 'A00001', valid_from 2026-01-01: "
        "override has no expires_on",
        "seeds/segment_profiles.csv, segment 'strategic': "
        "profile 'strategic' is not in seeds/health_weights.csv",
        "seeds/health_components.csv, component 'usage': listed 2 times (or blank); "
        "fix: keep one row per component, with a name",
        "seeds/health_playbooks.csv, component 'adoption': component has no playbook; "
        "fix: add a row for 'adoption' with a playbook and an owner_role",
    ]
    for line in expected:
        assert line in output, f"missing from the build output: {line}\n{output[-4000:]}"
    assert "Invalid configuration seeds (8 problem(s))" in output


def test_invalid_config_builds_no_config_model(broken_build):
    _, db = broken_build
    with duckdb.connect(str(db), read_only=True) as con:
        built = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'staging'"
            ).fetchall()
        }
    assert not {name for name in built if name.startswith("stg_config__")}, built


def test_default_config_passes(tmp_path):
    project = _copy_project(tmp_path)
    result = _build_config(project, tmp_path / "health.duckdb")
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def test_event_types_seed_needs_only_event_type_and_category(tmp_path):
    """SPEC §2: event_types requires event_type and category. A file without
    `description` builds (test_byod.py builds a company with one); a file
    without `category` fails with the file, the column and the fix, not a
    Binder Error."""
    project = _copy_project(tmp_path)
    (project / "seeds" / "event_types.csv").write_text(
        "event_type,kind\nuser_login,login\nworkflow_run,core_action\n")
    result = _build_config(project, tmp_path / "health.duckdb")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-4000:]
    assert ("seeds/event_types.csv, header: column 'category' is missing; "
            "fix: add a 'category' column") in output, output[-4000:]
    assert "Binder Error" not in output
