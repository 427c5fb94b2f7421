"""Check sets for the backtest (issue 9): sample data from generator modes that
differ from the default world, built up to the backtest in a copy of the
project. Shared by test_backtest.py (one session fixture per mode).

Only what the backtest needs is built: `dbt seed`, `dbt run` of the backtest
models and their parents, and the backtest's singular tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from dbt_env import dbt_env

ROOT = Path(__file__).resolve().parents[1]
OPTIONAL_TABLES = (
    "invoices", "payments", "support_tickets", "survey_responses", "csm_pulse", "csm_activities",
)
# a few hundred accounts over the small preset's 18 months: enough churners
# for a verdict, seconds to generate
CHECK_SET = {"accounts": 300, "start_date": "2025-04-01", "end_date": "2026-09-30", "seed": 2026}


def _dbt() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def copy_project(dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(ROOT / name, dst / name)
    for folder in ("macros", "seeds", "models", "tests"):
        shutil.copytree(ROOT / folder, dst / folder)
    return dst


def build_check_set(work: Path, mode: str, required_only: bool = False) -> dict:
    """Generate `mode` data into work/health.duckdb and build the backtest on it
    in a copy of the project (with the mode's event_types seed, if it has one)."""
    from healthwh import generate

    project = copy_project(work / "project")
    db = work / "data" / "health.duckdb"
    result = generate.generate(
        db, mode=mode, usage_scale=generate.PRESETS["small"].usage_scale, **CHECK_SET
    )
    if result.event_types_csv is not None:
        shutil.copy(result.event_types_csv, project / "seeds" / "event_types.csv")
    vars_text = "{" + ", ".join(f"enable_{t}: false" for t in OPTIONAL_TABLES) + "}"
    env = dbt_env(project, db, project, threads=2)
    common = ["--project-dir", str(project)] + (["--vars", vars_text] if required_only else [])
    steps = [
        ["seed", "--full-refresh"],
        # the backtest and every model its singular tests read (e.g. the long
        # reference views of the wide scoring path)
        ["run", "--select", "+path:models/backtest", "+path:tests/backtest"],
        ["test", "--select", "path:tests/backtest"],
    ]
    for step in steps:
        done = subprocess.run([_dbt(), *step, *common], env=env, capture_output=True, text=True,
                              check=False, cwd=project)
        if done.returncode != 0:
            raise AssertionError(f"dbt {step[0]} failed on mode {mode}:\n"
                                 + done.stdout[-6000:] + done.stderr[-3000:])
    return {"db": db, "project": project, "mode": mode, "required_only": required_only}
