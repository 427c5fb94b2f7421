"""What a build recomputed: the one row of intermediate.int_build_plan (issue 14).

The warehouse decides in SQL (models/intermediate/int_build_plan.sql), so plain
dbt runs follow the same rule: a full refresh on ``--full-refresh``, on the
first build and when the configuration changed (config_version); otherwise an
incremental build that recomputes the days from
``min(previous last day + 1, this last day + 1, changed_from) - lookback`` on:
changed_from is the earliest day whose input rows differ from those the
previous build read (int_input_day_digests), the lookback a safety margin
(var incremental_lookback_days, default 0). docs/performance.md says why that
equals a full refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def describe(db: Path) -> str | None:
    """One line for the user, e.g. ``incremental: recomputing from 2026-03-04; ...``;
    None when the file has no plan (a selection that did not build it)."""
    import duckdb

    try:
        with duckdb.connect(str(db), read_only=True) as con:
            row = con.execute(
                "select mode, recompute_from, last_day, reason from intermediate.int_build_plan"
            ).fetchone()
    except duckdb.Error:
        return None
    if row is None:
        return None
    mode, start, last, reason = row
    if mode == "incremental":
        return f"incremental: recomputing from {start} to {last}; {reason}"
    return f"full refresh: {reason}"


def describe_staging(db: Path) -> str | None:
    """The staging plan of product events (staging.stg_product__events_plan:
    incremental restage of the touched keys, or full and why); None without one."""
    import duckdb

    try:
        with duckdb.connect(str(db), read_only=True) as con:
            row = con.execute("select reason from staging.stg_product__events_plan").fetchone()
            keys = con.execute(
                "select count(restage_key) from staging.stg_product__events_restage"
            ).fetchone()[0]
    except duckdb.Error:
        return None
    if row is None:
        return None
    return row[0] + (f"; {keys:,} event keys restaged" if row[0].startswith("incremental") else "")


def print_plan(db: Path, say: Callable[[str], None]) -> None:
    line = describe(db)
    if line:
        say(f"    {line}")
    staging = describe_staging(db)
    if staging:
        say(f"    staging of product events: {staging}")


# What the code version covers: everything that decides what a build computes
# and tests, besides the raw data (models, macros, tests, seeds, the project).
CODE_PATHS = ("models", "macros", "tests", "seeds", "dbt_project.yml")
CODE_ENV = "HEALTH_CODE_VERSION"


def code_version(project_dir: Path) -> str:
    """A short hash of every file under CODE_PATHS (path and bytes, sorted).

    int_input_day_digests stores it (env HEALTH_CODE_VERSION, input
    ``project_code`` on 1900-01-01), so a build whose code differs from the
    previous build's recomputes every day (changed_from is then 1900-01-01)."""
    import hashlib

    h = hashlib.sha256()
    root = Path(project_dir)
    for name in CODE_PATHS:
        base = root / name
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in files:
            if path.exists():
                h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def stored_code_version(db: Path) -> str | None:
    """The code version the last complete build of `db` stored, None if none."""
    import duckdb

    if not Path(db).exists():
        return None
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            row = con.execute(
                "select max(digest) from intermediate.int_input_day_digests_built "
                "where input_name = 'project_code'"
            ).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row and row[0] else None


# The data tests a daily run may skip (dbt_project.yml tags them): the tests of
# the config seeds and of the stg_config models, which read the seed CSVs only.
CONFIG_ONLY_TAG = "health_config_only"
DAILY_EXCLUDES = (f"tag:{CONFIG_ONLY_TAG}",)


def daily_args(db: Path, project_dir: Path,
               full_refresh: bool = False) -> tuple[list[str], str, str]:
    """(extra dbt build args, code version, why) for a build of `db`.

    When the code (models, macros, tests, seeds, dbt_project.yml) is byte for
    byte the one the last complete build of the file ran with, a daily run
    skips what reads nothing else, so gives the result that build got:
    - the unit tests (fixed fixtures, not the data);
    - the data tests tagged CONFIG_ONLY_TAG (the config seeds and their
      stg_config models: their input is the seed CSVs, covered by the code
      version; tests_python/test_daily_skip.py checks from the graph that
      every tagged test reads only seeds and models of seeds, none a source,
      var or clock).
    The seeds and models still build (every data test on a mart still reads
    them). A changed code version, ``--full-refresh`` and a first build run
    everything (and CI builds from scratch, so it always does)."""
    code = code_version(project_dir)
    if full_refresh or stored_code_version(db) != code:
        return [], code, ("unit tests and config-seed data tests run "
                          "(code changed, first build or --full-refresh)")
    return (["--exclude-resource-type", "unit_test", "--exclude", *DAILY_EXCLUDES], code,
            f"unit tests and the data tests tagged {CONFIG_ONLY_TAG} (config seeds and "
            f"stg_config models) skipped: code and config seeds unchanged since the "
            f"last build ({code}), so they passed on these inputs")
