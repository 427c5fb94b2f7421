"""Shared pytest fixtures (keep this file small and generic)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A tiny sample: the small preset's window with 40 accounts (about a second).
TINY = {"accounts": 40, "start_date": "2025-04-01", "end_date": "2026-09-30", "seed": 42}


@contextmanager
def environ(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block, then restore what was there."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def make_raw_db(path: Path, **overrides) -> Path:
    """Generate sample raw data (schema raw) into the DuckDB file `path`.

    Defaults to the tiny sample (TINY); pass generate() keyword arguments to
    change it, e.g. ``make_raw_db(p, messy_rate=0.02, parquet_dir=q)``."""
    from healthwh import generate  # imported here so a broken generator fails only its users

    kwargs = {**TINY, "usage_scale": generate.PRESETS["small"].usage_scale, **overrides}
    generate.generate(path, **kwargs)
    return path


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_db(tmp_path_factory) -> Path:
    """A DuckDB file holding the tiny sample's nine raw tables, without bad rows.
    Shared by the whole session: open it read-only, never write to it."""
    return make_raw_db(tmp_path_factory.mktemp("raw_db") / "health.duckdb")


@pytest.fixture(scope="session")
def messy_raw_db(tmp_path_factory) -> Path:
    """Like raw_db (same seed, so the same good rows) plus injected bad rows
    (messy rate 0.02) recorded in raw_audit.injected_bad_rows. Read-only."""
    return make_raw_db(tmp_path_factory.mktemp("messy_raw_db") / "health.duckdb",
                       messy_rate=0.02)


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory) -> dict:
    """`health.py run --size small --export`: from nothing to a report, once per
    session: the small sample generated, then one full `dbt build` (seeds, models,
    data and unit tests), the report and the BI export. Shared by every test that
    reads a built small warehouse (test_cli, test_backtest, test_point_in_time):
    open it read-only, copy it before writing. Callers assert ``rc == 0``."""
    root = tmp_path_factory.mktemp("small_warehouse")
    env = {**os.environ, "DBT_TARGET_PATH": str(root / "target"),
           "DBT_LOG_PATH": str(root / "logs")}
    db, html, bi = root / "health.duckdb", root / "report.html", root / "bi"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "health.py"), "run", "--size", "small",
         "--db", str(db), "--out", str(html), "--export", str(bi)],
        capture_output=True, text=True, timeout=1800, env=env, check=False,
    )
    return {"rc": proc.returncode, "out": proc.stdout + proc.stderr, "db": db, "html": html,
            "bi": bi, "root": root, "target": root / "target"}
