"""The environment a test's own dbt run gets: its own DuckDB file, target and log folders."""

from __future__ import annotations

import os
from pathlib import Path


def dbt_env(work: Path, db: Path, profiles_dir: Path, threads: int, **extra: str) -> dict[str, str]:
    """os.environ plus the dbt settings that keep a test's run inside `work`."""
    return {
        **os.environ,
        "HEALTH_DUCKDB_PATH": str(db),
        "DBT_PROFILES_DIR": str(profiles_dir),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "HEALTH_THREADS": str(threads),
        **extra,
    }
