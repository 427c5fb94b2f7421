#!/usr/bin/env python3
"""Benchmark the sample data generator (and optionally `dbt build`).

Prints figures, never asserts anything:

    python scripts/benchmark.py --size demo
    python scripts/benchmark.py --size demo --check-identical   # generate twice, compare
    python scripts/benchmark.py --size small --dbt --threads 2  # also time dbt build
    python scripts/benchmark.py --alerts data/health.duckdb     # alert quality of a build

Generator figures: seconds and rows/second per table, product events per
second, peak resident memory of this process. With --dbt: seconds and peak
memory of the `dbt build` subprocess (run with HEALTH_DUCKDB_PATH pointing at
the generated file), then the alert quality of the build: the share of band_drop
alerts whose account was back in the band it dropped from within 7 days (the
same figure the report prints under "Alerts of the week").
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from healthwh import generate as gen

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size in MB (Linux reports KB, macOS bytes)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def ordered_hashes(db: Path) -> dict[str, tuple[int, str]]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return {
            table: con.execute(
                f"select count(*), md5(string_agg(md5(cast(t as varchar)), '' order by rowid)) "
                f"from raw.{table} as t"
            ).fetchall()[0]
            for table in gen.TABLES
        }


def run_generator(args: argparse.Namespace, db: Path, parquet_dir: Path | None) -> gen.Result:
    preset = gen.PRESETS[args.size]
    return gen.generate(
        db,
        seed=args.seed,
        accounts=args.accounts or preset.accounts,
        start_date=preset.start_date,
        end_date=preset.end_date,
        usage_scale=preset.usage_scale,
        messy_rate=args.messy_rate,
        size=args.size,
        parquet_dir=parquet_dir,
    )


def print_generator(res: gen.Result) -> None:
    print(f"{'table':<18}{'rows':>14}{'seconds':>10}{'rows/s':>14}")
    for table in gen.TABLES:
        rows, secs = res.row_counts[table], res.seconds.get(table, float("nan"))
        rate = rows / secs if secs > 0 else float("nan")
        print(f"{table:<18}{rows:>14,}{secs:>10.2f}{rate:>14,.0f}")
    for step in ("world", "messy", "parquet"):
        if step in res.seconds:
            print(f"{'(' + step + ')':<18}{'':>14}{res.seconds[step]:>10.2f}")
    total_rows = sum(res.row_counts.values())
    total = res.seconds["total"]
    events = res.row_counts["product_events"]
    print(f"{'total':<18}{total_rows:>14,}{total:>10.2f}{total_rows / total:>14,.0f}")
    print(f"product events: {events:,} in {res.seconds['product_events']:.2f}s "
          f"({events / res.seconds['product_events']:,.0f} events/s); "
          f"end to end {events / total:,.0f} events/s")
    print(f"generator peak RSS: {peak_rss_mb():,.0f} MB")


def run_dbt(args: argparse.Namespace, db: Path) -> int:
    dbt = shutil.which("dbt") or str(Path(sys.executable).parent / "dbt")
    env = dict(os.environ, HEALTH_DUCKDB_PATH=str(db), DBT_PROFILES_DIR=str(ROOT))
    env.setdefault("DBT_TARGET_PATH", str(db.parent / "dbt_target"))
    env.setdefault("DBT_LOG_PATH", str(db.parent / "dbt_logs"))
    if args.threads:
        env["HEALTH_THREADS"] = str(args.threads)
    cmd = [dbt, "build", "--profiles-dir", str(ROOT), "--project-dir", str(ROOT)]
    print(f"\n$ {' '.join(cmd)}   (HEALTH_DUCKDB_PATH={db})", flush=True)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=not args.verbose, text=True)
    secs = time.perf_counter() - start
    if proc.returncode != 0 and not args.verbose:
        print(proc.stdout[-4000:])
        print(proc.stderr[-2000:], file=sys.stderr)
    print(f"dbt build: exit {proc.returncode}, {secs:.1f}s, "
          f"peak RSS {peak_rss_mb(resource.RUSAGE_CHILDREN):,.0f} MB, "
          f"database {db.stat().st_size / 1e6:,.0f} MB")
    if proc.returncode == 0:
        print_alert_quality(db)
    return proc.returncode


def print_alert_quality(db: Path) -> int:
    """The revert rate of band_drop alerts (report.alert_revert_stats) of a built file."""
    import duckdb
    from healthwh import report

    with duckdb.connect(str(db), read_only=True) as con:
        stats = report.alert_revert_stats(con)
        if stats is None:
            print(f"alerts: {db} has no marts.rpt_health_alerts yet (build it first)")
            return 1
        counts = con.execute("select alert_type, count(*) from marts.rpt_health_alerts "
                             "group by 1 order by 1").fetchall()
    print("alerts: " + ", ".join(f"{kind} {n:,}" for kind, n in counts))
    print("alerts: " + report.revert_sentence(stats))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(gen.PRESETS), default="demo")
    parser.add_argument("--accounts", type=int, default=None, help="override the preset")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--messy-rate", type=float, default=0.0)
    parser.add_argument("--db", type=Path, default=None,
                        help="DuckDB file to write (default: data/benchmark/<size>.duckdb)")
    parser.add_argument("--parquet", action="store_true", help="also write parquet files")
    parser.add_argument("--check-identical", action="store_true",
                        help="generate a second time and compare every table (ordered hash) "
                             "and, with --parquet, the parquet bytes")
    parser.add_argument("--dbt", action="store_true", help="also time `dbt build` on the file")
    parser.add_argument("--threads", type=int, default=None, help="dbt threads")
    parser.add_argument("--verbose", action="store_true", help="show dbt's output")
    parser.add_argument("--alerts", type=Path, metavar="DB", default=None,
                        help="only print the alert quality (band_drop revert rate) of an "
                             "already built DuckDB file, then exit")
    args = parser.parse_args(argv)
    if args.alerts:
        return print_alert_quality(args.alerts)

    db = (args.db or ROOT / "data" / "benchmark" / f"{args.size}.duckdb").resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    parquet_dir = db.parent / f"{db.stem}_parquet" if args.parquet else None
    preset = gen.PRESETS[args.size]
    print(f"generator {gen.GENERATOR_VERSION}: size {args.size}, "
          f"{args.accounts or preset.accounts} accounts, {preset.start_date}..{preset.end_date}, "
          f"seed {args.seed}, messy rate {args.messy_rate} -> {db}", flush=True)
    load_before = f"{os.getloadavg()[0]:.2f}"
    cpu0 = time.process_time()
    res = run_generator(args, db, parquet_dir)
    cpu = time.process_time() - cpu0
    print_generator(res)
    print(f"generator CPU time (all threads): {cpu:.1f}s "
          f"({res.row_counts['product_events'] / cpu:,.0f} events per CPU-second); "
          f"load average before/after: {load_before} / {os.getloadavg()[0]:.2f}")

    if args.check_identical:
        twin = db.with_name(f"{db.stem}_twin.duckdb")
        twin_parquet = twin.parent / f"{twin.stem}_parquet" if args.parquet else None
        second = run_generator(args, twin, twin_parquet)
        same_tables = ordered_hashes(db) == ordered_hashes(twin)
        line = f"\nsecond run: {second.seconds['total']:.1f}s; tables identical: {same_tables}"
        if args.parquet:
            same_files = all(
                (parquet_dir / f"{t}.parquet").read_bytes()
                == (twin_parquet / f"{t}.parquet").read_bytes()
                for t in gen.TABLES
            )
            line += f"; parquet byte-identical: {same_files}"
        print(line)
        twin.unlink()
        if twin_parquet:
            shutil.rmtree(twin_parquet)

    if args.dbt:
        return run_dbt(args, db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
