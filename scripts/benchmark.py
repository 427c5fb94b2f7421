#!/usr/bin/env python3
"""Benchmark the generator, the full build, a one-day incremental build and the floor.

Prints figures, never asserts anything:

    python scripts/benchmark.py --size demo
    python scripts/benchmark.py --size demo --check-identical   # generate twice, compare
    python scripts/benchmark.py --size small --dbt --threads 2  # the whole table below
    python scripts/benchmark.py --alerts data/health.duckdb     # alert quality of a build

Generator figures: seconds and rows/second per table, product events per
second, peak resident memory of this process. With --dbt, in one run (each
step a subprocess measured on its own: wall seconds, CPU seconds user + system
of all its threads, peak RSS):

- full build: ``dbt build --full-refresh`` of the generated file without its
  last day: before it, every raw row dated on the last day of product events
  (each raw table's time column) is moved aside (schema bench_holdback), and
  so is a 0.1 % sample of the product events three days earlier (late rows);
- incremental: the held-back rows are inserted back (a real day of raw data
  arrives, with a few late rows dated earlier), then ``dbt build`` again as
  ``health build`` runs it daily: staging restages the touched event keys
  only (staging.stg_product__events_plan) and the incremental models
  recompute from the earliest day whose inputs changed, here the late rows'
  day (intermediate.int_build_plan says what was recomputed and why);
- floor: a bare DuckDB pass over raw.product_events computing account-day
  counts per event category and a 28-day rolling sum of each (the least any
  build must do);

- rebuild (with --rebuild): the same data built again from scratch the way
  ``health build --full-refresh`` does it (scripts/dbt_beside.py: a copy beside
  the live file, compacted when it holds free blocks, renamed over it), to
  show the file does not grow on a rebuild of the same data;

then their ratios, the top nodes of each build (target/run_results.json), the
database size and the alert quality of the build (band_drop alerts whose
account was back in the band within 7 days, as the report prints). Each dbt
step also reports the peak size of DuckDB's temp directory (``<file>.tmp``,
where operators spill what exceeds memory_limit; sampled every second) and
the database file's size after it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
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
    for step in ("world", "commit", "messy", "close", "parquet"):
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


# Runs a command and prints its own resource usage as JSON on the last line of
# stderr: each step is measured alone (RUSAGE_CHILDREN of this parent would mix them).
_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:]).returncode\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'rc': rc, 'wall': time.perf_counter() - t, 'cpu': r.ru_utime + r.ru_stime,"
    " 'rss_mb': r.ru_maxrss / 1024}), file=sys.stderr)\n"
)

# The floor query: account-day counts per category and their 28-day rolling sums.
FLOOR_SQL = """
create or replace temp table floor_result as
with daily as (
    select e.account_id, cast(e.occurred_at as date) as date_day, t.category, count(*) as n
    from raw.product_events as e
    join read_csv('{event_types}', header = true) as t on e.event_type = t.event_type
    group by e.account_id, cast(e.occurred_at as date), t.category
)
select account_id, date_day, category, n,
       sum(n) over (partition by account_id, category order by date_day
                    range between interval 27 days preceding and current row) as n_28d
from daily
"""


def dir_mb(path: Path) -> float:
    """Size in MB of the files under path (0 when it does not exist)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):  # a spill file removed while we walk
                total += os.stat(os.path.join(root, name)).st_size
    return total / 1e6


def measured(cmd: list[str], env: dict | None = None, verbose: bool = False,
             spill_dir: Path | None = None) -> dict:
    """Run cmd in a measuring subprocess: {'rc', 'wall', 'cpu', 'rss_mb', 'output'},
    and with spill_dir 'temp_mb': the largest size DuckDB's temp directory (where
    operators spill what does not fit in memory_limit) reached, sampled every second."""
    import threading

    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(1.0):
            peak[0] = max(peak[0], dir_mb(spill_dir))

    watcher = threading.Thread(target=sample, daemon=True) if spill_dir else None
    if watcher:
        watcher.start()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    done.set()
    if watcher:
        watcher.join()
    *rest, last = (proc.stderr.strip().splitlines() or ["{}"])
    stats = json.loads(last) if last.startswith("{") else {"rc": proc.returncode}
    stats["output"] = proc.stdout + "\n".join(rest)
    if spill_dir:
        stats["temp_mb"] = peak[0]
    if verbose:
        print(stats["output"])
    return stats


def top_nodes(target: Path, n: int = 6) -> list[tuple[str, float]]:
    path = target / "run_results.json"
    if not path.exists():
        return []
    results = json.loads(path.read_text())["results"]
    timed = sorted(((r["unique_id"].split(".", 2)[-1], r.get("execution_time") or 0.0)
                    for r in results), key=lambda x: -x[1])
    return timed[:n]


def time_by_type(target: Path) -> dict[str, tuple[int, float]]:
    """Nodes and summed node seconds per resource type (model, test, unit_test, seed)."""
    path = target / "run_results.json"
    if not path.exists():
        return {}
    out: dict[str, tuple[int, float]] = {}
    for r in json.loads(path.read_text())["results"]:
        kind = r["unique_id"].split(".", 1)[0]
        n, t = out.get(kind, (0, 0.0))
        out[kind] = (n + 1, t + (r.get("execution_time") or 0.0))
    return out


def last_day(db: Path) -> str:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return str(con.execute("select cast(max(occurred_at) as date) from raw.product_events")
                   .fetchone()[0])


def hold_back(db: Path, end: str, late_days: int = 3) -> dict[str, int]:
    """Move the raw rows dated `end` (each raw table's time column) and a 0.1 %
    sample of the product events `late_days` earlier into schema bench_holdback;
    the rows moved per table."""
    import duckdb
    from healthwh import raw_contract

    moved = {}
    with duckdb.connect(str(db)) as con:
        con.execute("create schema if not exists bench_holdback")
        tables = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()}
        for name, spec in raw_contract.raw_inputs().items():
            if name not in tables:
                continue
            day = f"try_cast({spec['time_column']} as date)"
            where = f"{day} = date '{end}'"
            if name == "product_events":
                where += (f" or ({day} = date '{end}' - interval {late_days} day"
                          " and hash(event_id) % 1000 = 0)")
            con.execute(f"create or replace table bench_holdback.{name} as "
                        f"select * from raw.{name} where {where}")
            con.execute(f"delete from raw.{name} where {where}")
            moved[name] = con.execute(f"select count(*) from bench_holdback.{name}").fetchone()[0]
    return moved


def put_back(db: Path) -> None:
    """Insert the rows hold_back moved aside back into their raw tables."""
    import duckdb

    with duckdb.connect(str(db)) as con:
        for (name,) in con.execute("select table_name from information_schema.tables "
                                   "where table_schema = 'bench_holdback'").fetchall():
            con.execute(f"insert into raw.{name} select * from bench_holdback.{name}")
        con.execute("drop schema bench_holdback cascade")


def run_dbt(args: argparse.Namespace, db: Path, res: gen.Result | None = None) -> int:
    """Full build (to the day before the last), one-day incremental build, floor; a table."""
    from datetime import date, timedelta

    import duckdb

    dbt = shutil.which("dbt") or str(Path(sys.executable).parent / "dbt")
    target = db.parent / "dbt_target"
    env = dict(os.environ, HEALTH_DUCKDB_PATH=str(db), DBT_PROFILES_DIR=str(ROOT))
    env.setdefault("DBT_TARGET_PATH", str(target))
    env.setdefault("DBT_LOG_PATH", str(db.parent / "dbt_logs"))
    if args.threads:
        env["HEALTH_THREADS"] = str(args.threads)
    base = [dbt, "build", "--profiles-dir", str(ROOT), "--project-dir", str(ROOT)]
    # DuckDB's temp directory of a file database (profiles.yml sets no other)
    spill = db.with_name(db.name + ".tmp")
    end = date.fromisoformat(last_day(db))
    moved = hold_back(db, str(end))
    print(f"held back until the incremental step (the raw rows of {end}, and late rows "
          f"dated {end - timedelta(days=3)}): "
          + ", ".join(f"{k} {v:,}" for k, v in moved.items() if v))
    steps: dict[str, dict] = {}
    nodes: dict[str, list] = {}
    # as `health build` runs them: the code version stored with the build, and
    # the daily run's arguments (unit tests skipped when the code is unchanged)
    from healthwh import build_plan

    env[build_plan.CODE_ENV] = build_plan.code_version(ROOT)
    for name, extra in (
        ("full build", ["--full-refresh"]),
        ("incremental (+1 day)", None),
    ):
        if extra is None:
            put_back(db)
            extra, _, why = build_plan.daily_args(db, ROOT)
            print(f"{name}: {why}")
        print(f"\n$ {' '.join(base + extra)}   (HEALTH_DUCKDB_PATH={db})", flush=True)
        steps[name] = measured(base + extra, env, args.verbose, spill_dir=spill)
        steps[name]["file_mb"] = db.stat().st_size / 1e6
        nodes[name] = top_nodes(Path(env["DBT_TARGET_PATH"]))
        kinds = time_by_type(Path(env["DBT_TARGET_PATH"]))
        print(f"{name}: node seconds by type: "
              + ", ".join(f"{k} {n} nodes {t:.1f}s" for k, (n, t) in sorted(kinds.items())))
        if steps[name].get("rc") != 0:
            print(steps[name]["output"][-4000:])
            print(f"{name}: exit {steps[name].get('rc')}")
            return 1
        with duckdb.connect(str(db), read_only=True) as con:
            plan = con.execute("select mode, recompute_from, reason from "
                               "intermediate.int_build_plan").fetchone()
            staging = con.execute("select reason from staging.stg_product__events_plan").fetchone()
        print(f"{name}: plan {plan[0]}"
              + (f", recomputing from {plan[1]}" if plan[1] else "") + f" ({plan[2]})")
        print(f"{name}: staging plan {staging[0]}")
    if args.rebuild:
        # the same data built again from scratch, through the path `health build`
        # takes (a copy beside the live file, compacted when it holds free blocks,
        # then renamed over it): the file must not grow
        name = "rebuild (same data)"
        cmd = [sys.executable, str(ROOT / "scripts" / "dbt_beside.py"), "--db", str(db),
               "build", "--full-refresh", "--exclude-resource-type", "unit_test"]
        print(f"\n$ {' '.join(cmd)}", flush=True)
        steps[name] = measured(cmd, env, args.verbose, spill_dir=spill)
        steps[name]["file_mb"] = db.stat().st_size / 1e6
        if steps[name].get("rc") != 0:
            print(steps[name]["output"][-4000:])
            print(f"{name}: exit {steps[name].get('rc')}")
            return 1
    floor = FLOOR_SQL.format(event_types=ROOT / "seeds" / "event_types.csv")
    steps["floor query"] = measured(
        [sys.executable, "-c",
         "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
         "con.execute(sys.argv[2])",
         str(db), floor], env)
    if res is not None:
        events = res.row_counts["product_events"]
        steps = {"generator": {"wall": res.seconds["total"], "cpu": res.cpu_seconds,
                               "rss_mb": peak_rss_mb(), "rc": 0}, **steps}
    print(f"\n{'step':<22}{'wall s':>9}{'CPU s':>9}{'peak RSS MB':>13}"
          f"{'peak temp MB':>14}{'file MB after':>15}")
    for name, st in steps.items():
        temp = f"{st['temp_mb']:>14,.0f}" if "temp_mb" in st else f"{'':>14}"
        size = f"{st['file_mb']:>15,.0f}" if "file_mb" in st else f"{'':>15}"
        print(f"{name[:21]:<22}{st['wall']:>9.1f}{st['cpu']:>9.1f}{st['rss_mb']:>13,.0f}"
              f"{temp}{size}")
    full, inc, flo = steps["full build"], steps["incremental (+1 day)"], steps["floor query"]
    print(f"full build CPU / floor CPU: {full['cpu'] / flo['cpu']:.1f}x (target <= 5x on large)")
    print(f"incremental CPU / full build CPU: {100 * inc['cpu'] / full['cpu']:.0f} % "
          f"(target <= 10 %); wall {100 * inc['wall'] / full['wall']:.0f} %")
    if res is not None:
        print(f"generator: {events / res.seconds['total']:,.0f} events/s end to end")
    for name in ("full build", "incremental (+1 day)"):
        print(f"top nodes, {name}: " + ", ".join(f"{n} {t:.1f}s" for n, t in nodes[name]))
    print(f"database {db.stat().st_size / 1e6:,.0f} MB; nproc {os.cpu_count()}; "
          f"load average {os.getloadavg()[0]:.2f}")
    print_alert_quality(db)
    return 0


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
    parser.add_argument("--rebuild", action="store_true",
                        help="with --dbt: after the incremental step, build the same data "
                             "again from scratch as `health build --full-refresh` does "
                             "(scripts/dbt_beside.py) and print the file size")
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
    res.cpu_seconds = cpu
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
        return run_dbt(args, db, res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
