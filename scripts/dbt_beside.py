#!/usr/bin/env python3
"""Run a dbt command beside the live DuckDB file; publish it only when everything passed.

    python scripts/dbt_beside.py build --select my_model+
    python scripts/dbt_beside.py --db data/health.duckdb run --select marts

For plain dbt users: the same guarantee as ``health.py build`` (docs/bi.md). The
command runs against a private copy of the warehouse (so readers of the live file
can never make it fail); build/run/seed/snapshot then replace the live file with
one atomic rename, only if dbt succeeded. A selection also runs the config gate
(the seeds and their validation), so it never publishes past a failed validation.
The live file is --db, else $HEALTH_DUCKDB_PATH, else data/health.duckdb (the
profile's default); the profile must read its path from HEALTH_DUCKDB_PATH, as
this project's profiles.yml does. Exit codes: 0 ok, 1 dbt failed, 2 usage,
4 another writer holds the warehouse (it is named).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from healthwh import warehouse
from healthwh.dbt_runner import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, Outcome, release_duckdb


def run_dbt(args: list[str], step: str, path: Path) -> Outcome:
    from dbt.cli.main import dbtRunner

    os.environ["HEALTH_DUCKDB_PATH"] = str(path)
    try:
        res = dbtRunner().invoke(args)
    finally:
        release_duckdb()  # profile keep_open: release the file before publishing
    counts: dict[str, int] = {}  # nodes by status: an empty selection has none
    for node in getattr(res.result, "results", None) or []:
        status = str(getattr(node, "status", "unknown"))
        counts[status] = counts.get(status, 0) + 1
    if res.success:
        return Outcome(EXIT_OK, counts=counts)
    code = EXIT_USAGE if "Usage" in type(res.exception).__name__ else EXIT_FAILURE
    return Outcome(code, f"dbt {step} failed (see dbt's output above).")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    db = os.environ.get("HEALTH_DUCKDB_PATH", "data/health.duckdb")
    if argv[:1] == ["--db"] and len(argv) > 1:
        db, argv = argv[1], argv[2:]
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return EXIT_USAGE if not argv else EXIT_OK
    outcome = warehouse.build(Path(db), run_dbt, command=argv[:1], extra=argv[1:],
                              log=lambda m: print(f"dbt_beside: {m}", flush=True))
    if not outcome.ok:
        print(f"dbt_beside: {outcome.message}", file=sys.stderr, flush=True)
    elif warehouse.is_selection(argv[1:]) and not any(outcome.counts.values()):
        print("dbt_beside: the selection matched no node: nothing was built or published. "
              "Fix: check the selector (`dbt ls --select ...`).", file=sys.stderr, flush=True)
        return EXIT_USAGE
    return outcome.exit_code


if __name__ == "__main__":
    sys.exit(main())
