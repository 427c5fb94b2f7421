"""The environment a test's own dbt run gets: its own DuckDB file, target and log folders.

Builds of the repository's own project (profiles_dir = the repo root) share one
target folder for the session and see their DuckDB file through one stable
path (a symbolic link re-pointed before each run; DuckDB opens the file it
points to, catalog and write-ahead log included). dbt re-parses the whole
project (about 15 s of CPU) whenever the database path or the target folder
changes; with both stable, a build only re-parses what changed (partial
parse: the same --vars and project files as the previous build in the
session). Project copies (check sets, config tests) keep their own target.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_SHARED: dict[str, Path] = {}


def _shared_dir() -> Path:
    if "dir" not in _SHARED:
        _SHARED["dir"] = Path(tempfile.mkdtemp(prefix="health-dbt-"))
        atexit.register(shutil.rmtree, _SHARED["dir"], True)
    return _SHARED["dir"]


def target_dir(work: Path, profiles_dir: Path) -> Path:
    """Where dbt_env(work, ..., profiles_dir) makes dbt write manifest.json and friends."""
    if Path(profiles_dir).resolve() == ROOT:
        return _shared_dir() / "target"
    return work / "target"


def stable_path(db: Path) -> Path:
    """A session-stable path (same file name, so the same DuckDB catalog) to `db`."""
    link = _shared_dir() / "db" / Path(db).name
    link.parent.mkdir(exist_ok=True)
    tmp = link.with_name(link.name + ".tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(Path(db).resolve())
    os.replace(tmp, link)
    return link


def dbt_env(work: Path, db: Path, profiles_dir: Path, threads: int, **extra: str) -> dict[str, str]:
    """os.environ plus the dbt settings that keep a test's run inside `work`
    (the repo project's runs: shared target, stable database path; see above)."""
    shared = Path(profiles_dir).resolve() == ROOT
    return {
        **os.environ,
        "HEALTH_DUCKDB_PATH": str(stable_path(db) if shared else db),
        "DBT_PROFILES_DIR": str(profiles_dir),
        "DBT_TARGET_PATH": str(target_dir(work, profiles_dir)),
        "DBT_LOG_PATH": str(work / "logs"),
        "HEALTH_THREADS": str(threads),
        **extra,
    }
