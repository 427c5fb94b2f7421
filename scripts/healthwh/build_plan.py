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


def print_plan(db: Path, say: Callable[[str], None]) -> None:
    line = describe(db)
    if line:
        say(f"    {line}")
