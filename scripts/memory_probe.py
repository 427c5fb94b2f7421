"""Per-node memory probe: peak RSS and CPU of ``dbt run --select <model>``, one model at a time.

Usage (on a COPY of a built file: every probed model is rebuilt in place)::

    python scripts/memory_probe.py --db data/bench/large.duckdb \
        int_product_activity_daily int_health_scores_wide fct_account_health_daily
    python scripts/memory_probe.py --db data/bench/large.duckdb --top 12   # the 12 largest tables

Each model runs in its own ``dbt run`` process (``--full-refresh`` unless
``--incremental``), so the peak resident set size that ``os.wait4`` reports is
that model's (plus dbt's start-up, shown by the first row, a run of the tiny
``int_config_version``). ``--top N`` picks the N largest tables of the file
(by DuckDB's estimated size). Extra dbt arguments go after ``--``, e.g.
``-- --vars '{as_of_date: 2026-09-29}'``. The profile's settings apply
(``HEALTH_DUCKDB_MEMORY`` and the other variables of profiles.yml are passed
through), so the same command shows what a settings change does. It prints a
table (model, rows, wall s, CPU s, peak RSS MB, exit code) and asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "int_config_version"


def largest_tables(db: Path, n: int) -> list[str]:
    """The n largest dbt tables of the file by DuckDB's estimated size (rows x columns)."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select table_name from duckdb_tables() "
            "where schema_name not in ('raw') and not temporary "
            "order by estimated_size * column_count desc limit ?", [n]).fetchall()
    return [r[0] for r in rows]


def table_rows(db: Path, model: str) -> int | None:
    import duckdb

    try:
        with duckdb.connect(str(db), read_only=True) as con:
            row = con.execute("select estimated_size from duckdb_tables() where table_name = ?",
                              [model]).fetchone()
        return int(row[0]) if row else None
    except duckdb.Error:
        return None


def probe(model: str, db: Path, args: argparse.Namespace, extra: list[str]) -> dict:
    dbt = shutil.which("dbt") or str(Path(sys.executable).parent / "dbt")
    env = dict(os.environ, HEALTH_DUCKDB_PATH=str(db), DBT_PROFILES_DIR=str(ROOT))
    env.setdefault("DBT_TARGET_PATH", str(db.parent / "probe_target"))
    env.setdefault("DBT_LOG_PATH", str(db.parent / "probe_logs"))
    cmd = [dbt, "run", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT),
           "--select", model, *([] if args.incremental else ["--full-refresh"]), *extra]
    start = time.monotonic()
    with open(db.parent / f"probe_{model}.log", "w") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    return {
        "model": model,
        "wall": time.monotonic() - start,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
        "rc": os.waitstatus_to_exitcode(status),
        "rows": table_rows(db, model),
    }


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a COPY of a built DuckDB file")
    parser.add_argument("--top", type=int, default=0, help="also probe the N largest tables")
    parser.add_argument("--incremental", action="store_true", help="no --full-refresh")
    parser.add_argument("models", nargs="*")
    args = parser.parse_args(argv)
    db = args.db.resolve()
    models = [BASELINE, *args.models]
    if args.top:
        models += [m for m in largest_tables(db, args.top) if m not in models]
    results = []
    print(f"{'model':45} {'rows':>12} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12} {'rc':>3}",
          flush=True)
    for model in models:
        r = probe(model, db, args, extra)
        results.append(r)
        rows = f"{r['rows']:,}" if r["rows"] is not None else "-"
        print(f"{model:45} {rows:>12} {r['wall']:8.1f} {r['cpu']:8.1f} {r['rss_mb']:12,.0f} "
              f"{r['rc']:3}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
