"""``health``: one command line for the customer health warehouse.

Thin by design: every number comes from dbt models; this module only orders the
steps, shows progress, explains failures and writes the report / BI export.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from . import calibrate, generate, preflight, quality, raw_contract, warehouse
from .dbt_runner import (
    EXIT_FAILURE,
    EXIT_LOCKED,
    EXIT_MISSING_DATA,
    EXIT_OK,
    EXIT_USAGE,
    LOCK_PATTERN,
    STATUS_WORDS,
    Outcome,
    _fmt_secs,
    invoke,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
REQUIRED_RAW = raw_contract.required_tables()

EPILOG = """\
exit codes:
  0  success
  1  a dbt node or data test failed (the message names it and the fix)
  2  usage error (bad option, invalid or unknown --vars, a --select matching nothing)
  3  input data missing (no raw tables, no database, nothing built yet)
  4  the DuckDB file is locked by another process (close it and retry)

environment:
  HEALTH_DUCKDB_PATH   default for --db (else data/health.duckdb in the repo)
  HEALTH_TARGET        default for --target (duckdb); HEALTH_PG_* for postgres (docs/engines.md)
  HEALTH_THREADS       default for --threads (profile default 2)
  HEALTH_DUCKDB_MEMORY DuckDB memory_limit used by dbt (default 8GB)
  DBT_TARGET_PATH / DBT_LOG_PATH  where dbt writes target/ and logs/

examples:
  health run                         # sample data -> build -> report
  health run --size small --export   # ... and publish parquet for BI
  health generate --size small --messy-rate 0.01 --db /tmp/h.duckdb
  health build --vars '{as_of_date: "2026-06-30"}'
  health build --select +fct_account_health_daily
  health report --account A00042 --out output/report.html
  health export --out output/bi --keep 3
"""

COMMON_HELP = {
    "--db": "DuckDB file (default: $HEALTH_DUCKDB_PATH or data/health.duckdb in the repo)",
    "--vars": "dbt vars as JSON or YAML (inline, or a path to a .json/.yml file), "
    "e.g. '{as_of_date: \"2026-06-30\", enable_csm_pulse: false}'",
    "--threads": "dbt threads (default: $HEALTH_THREADS or the profile's 2)",
    "--quiet": "print only step summaries, failures and results",
    "--target": "engine (profiles.yml output): duckdb (default, $HEALTH_TARGET), postgres or "
    "spark; build runs there, report and export read its marts (docs/engines.md)",
    "--project-dir": "dbt project directory (default: the repo root; profiles.yml is read "
    "from the same place)",
}


class UsageError(Exception):
    """Bad user input detected after argparse (exit 2)."""


# --------------------------------------------------------------------------- output


class Console:
    def __init__(self, quiet: bool = False, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stdout

    def info(self, msg: str = "") -> None:
        if not self.quiet:
            print(msg, file=self.stream, flush=True)

    def always(self, msg: str = "") -> None:
        print(msg, file=self.stream, flush=True)

    def error(self, msg: str) -> None:
        print(f"error: {msg}", file=sys.stderr, flush=True)


@contextmanager
def step(console: Console, number: str, title: str, ticker: bool = False):
    """Announce a step, time it, and (on a terminal) show an elapsed-time ticker."""
    console.always(f"==> {number}{title}")
    started = time.monotonic()
    stop = threading.Event()
    thread = None
    if ticker and not console.quiet and console.stream.isatty():

        def tick():
            while not stop.wait(1.0):
                console.stream.write(f"\r  ... {title} ({_fmt_secs(time.monotonic() - started)})")
                console.stream.flush()

        thread = threading.Thread(target=tick, daemon=True)
        thread.start()
    state = {"ok": True}
    try:
        yield state
    except BaseException:
        state["ok"] = False
        raise
    finally:
        stop.set()
        if thread:
            thread.join()
            console.stream.write("\r\033[K")
        elapsed = _fmt_secs(time.monotonic() - started)
        word = "done" if state["ok"] else "FAILED"
        console.always(f"    {word} in {elapsed}")


# --------------------------------------------------------------------------- parser


def _add_common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """Global options, accepted before or after the subcommand."""
    existing = set(parser._option_string_actions)  # noqa: SLF001 - avoid clashing options
    default = argparse.SUPPRESS if suppress else None
    if "--db" not in existing:
        parser.add_argument("--db", metavar="PATH", default=default, help=COMMON_HELP["--db"])
    if "--vars" not in existing:
        parser.add_argument("--vars", metavar="JSON/YAML", default=default,
                            help=COMMON_HELP["--vars"])
    if "--threads" not in existing:
        parser.add_argument("--threads", type=int, metavar="N", default=default,
                            help=COMMON_HELP["--threads"])
    if "--quiet" not in existing:
        parser.add_argument("-q", "--quiet", action="store_true", default=default,
                            help=COMMON_HELP["--quiet"])
    if "--target" not in existing:
        parser.add_argument("--target", choices=["duckdb", "postgres", "spark"], default=default,
                            help=COMMON_HELP["--target"])
    if "--project-dir" not in existing:
        parser.add_argument("--project-dir", metavar="DIR", default=default,
                            help=COMMON_HELP["--project-dir"])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="health",
        description="Customer health warehouse: generate sample data, build the dbt project, "
        "draw the report, propose weights, and publish the marts for BI tools.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name, help_text, description=None):
        sp = sub.add_parser(
            name, help=help_text, description=description or help_text, epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        return sp

    # generate --------------------------------------------------------------
    sp = add("generate", "write deterministic sample raw data (schema raw) into the database")
    generate.add_arguments(sp)
    db_action = sp._option_string_actions.get("--db")  # noqa: SLF001
    if db_action is not None:
        db_action.default = argparse.SUPPRESS  # a global --db must not be overwritten
    _add_common(sp, suppress=True)
    sp.set_defaults(func=cmd_generate)

    # build -----------------------------------------------------------------
    sp = add("build", "dbt build: load seeds, run models, data tests and unit tests",
             "Run `dbt build` in-process with one progress line per node. Config seeds are "
             "validated before any score is published.")
    sp.add_argument("-s", "--select", nargs="+", metavar="SELECTOR",
                    help="only these nodes (dbt selection syntax, e.g. +rpt_at_risk_queue)")
    sp.add_argument("--exclude", nargs="+", metavar="SELECTOR", help="skip these nodes")
    sp.add_argument("--full-refresh", action="store_true", help="rebuild incremental models")
    sp.add_argument("--fail-fast", action="store_true", help="stop at the first failure")
    _add_common(sp, suppress=True)
    sp.set_defaults(func=cmd_build)

    # report ----------------------------------------------------------------
    sp = add("report", "write the self-contained HTML report (charts, queue, histories)")
    _add_report_args(sp)
    _add_common(sp, suppress=True)
    sp.set_defaults(func=cmd_report)

    # calibrate -------------------------------------------------------------
    sp = add("calibrate", "propose weights from the backtest (candidate seed file; a human "
             "copies it over)")
    calibrate.add_arguments(sp)
    _add_common(sp, suppress=True)
    sp.set_defaults(func=cmd_calibrate)

    # export ----------------------------------------------------------------
    sp = add("export", "publish the marts as parquet + a read-only DuckDB copy, swapped in "
             "atomically (see docs/bi.md)")
    _add_export_args(sp, required_default="output/bi")
    _add_common(sp, suppress=True)
    sp.set_defaults(func=cmd_export)

    # run -------------------------------------------------------------------
    sp = add("run", "the whole default path: generate (if needed) -> build -> report "
             "[-> export]",
             "Generate sample data unless raw data already exists (or --regenerate), build "
             "everything, write the report and print where it is.")
    presets = sorted(generate.PRESETS)
    sp.add_argument("--size", default="demo", choices=presets,
                    help="sample data preset for generate: small, demo (default), large")
    sp.add_argument("--messy-rate", type=float, default=None,
                    help="share of bad rows injected by generate (default: generator's, 0)")
    sp.add_argument("--regenerate", action="store_true",
                    help="regenerate sample data even if raw tables exist")
    sp.add_argument("--export", nargs="?", const="output/bi", default=None, metavar="DIR",
                    help="also publish the marts for BI (default DIR: output/bi)")
    _add_report_args(sp)
    _add_common(sp, suppress=True)
    sp.set_defaults(func=cmd_run)
    return parser


def _add_report_args(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--out", dest="report_out", metavar="HTML", default=None,
                    help="report file (default: output/report.html in the repo)")
    sp.add_argument("--account", metavar="ID",
                    help="account whose score history is shown first (default: the top of "
                    "the at-risk queue)")
    sp.add_argument("--histories", type=int, default=12, metavar="N",
                    help="quick links to the top N queue accounts in the account lookup, "
                    "which embeds every current customer's history (default 12)")
    sp.add_argument("--screenshot", metavar="PNG", default=None,
                    help="also render the report in headless Chromium and save a PNG")


def _add_export_args(sp: argparse.ArgumentParser, required_default: str) -> None:
    sp.add_argument("--out", dest="export_out", metavar="DIR", default=required_default,
                    help=f"publish directory; readers use DIR/current (default: "
                    f"{required_default})")
    sp.add_argument("--format", dest="formats", choices=["parquet", "duckdb", "both"],
                    default="both", help="parquet files, a read-only DuckDB copy, or both "
                    "(default)")
    sp.add_argument("--keep", type=int, default=3, metavar="N",
                    help="published versions to keep for readers still on an old one "
                    "(default 3)")
    sp.add_argument("--grace", type=float, default=3600, metavar="SECONDS",
                    help="never prune a version superseded less than this long ago, so "
                    "readers can finish on it (default 3600)")


# --------------------------------------------------------------------------- resolution


def resolve_common(args: argparse.Namespace) -> argparse.Namespace:
    project = Path(getattr(args, "project_dir", None) or REPO_ROOT).resolve()
    args.project_dir = project
    db = getattr(args, "db", None) or os.environ.get("HEALTH_DUCKDB_PATH")
    args.db = Path(db).expanduser().resolve() if db else (project / "data" / "health.duckdb")
    threads = getattr(args, "threads", None)
    if threads is None and os.environ.get("HEALTH_THREADS", "").isdigit():
        threads = int(os.environ["HEALTH_THREADS"])
    if threads is not None and threads < 1:
        raise UsageError("--threads must be at least 1")
    args.threads = threads
    args.quiet = bool(getattr(args, "quiet", False))
    args.target = getattr(args, "target", None) or os.environ.get("HEALTH_TARGET") or "duckdb"
    if args.target not in ("duckdb", "postgres", "spark"):
        raise UsageError(f"unknown target {args.target!r} (HEALTH_TARGET): "
                         "duckdb, postgres or spark")
    args.vars_dict, args.vars_yaml = parse_vars(getattr(args, "vars", None))
    try:  # unknown vars and bad values are usage errors (exit 2)
        args.vars_dict, args.vars_yaml = preflight.check_vars(args.vars_dict, project)
    except preflight.PreflightError as exc:
        raise UsageError(str(exc)) from None
    return args


def parse_vars(value: str | None) -> tuple[dict, str | None]:
    """--vars as inline JSON/YAML or a file path → (dict, normalised JSON for dbt)."""
    if not value:
        return {}, None
    import yaml

    text = value
    path = Path(value).expanduser()
    if len(value) < 4096 and "\n" not in value and path.suffix in {".json", ".yml", ".yaml"}:
        if not path.exists():
            raise UsageError(f"--vars file {value} does not exist")
        text = path.read_text()
    try:
        data = yaml.load(text, Loader=preflight.vars_loader())  # dates stay text: checked later
    except yaml.YAMLError as exc:
        line = str(exc).splitlines()[0]
        raise UsageError(
            f"--vars is not valid JSON/YAML ({line}); write it like "
            "'{as_of_date: \"2026-06-30\"}'"
        ) from None
    if not isinstance(data, dict):
        raise UsageError("--vars must be a mapping like '{as_of_date: \"2026-06-30\"}'")
    return data, json.dumps(data, default=str, sort_keys=True)


def _in_repo(path_text: str | None, default: str, project: Path) -> Path:
    if path_text:
        return Path(path_text).expanduser().resolve()
    return (project / default).resolve()


# --------------------------------------------------------------------------- database checks


def raw_status(db: Path, vars_dict: dict) -> tuple[str, list[str]]:
    """('absent'|'missing'|'present'|'external'|'locked', missing tables) for the raw inputs."""
    if vars_dict.get("raw_database") or vars_dict.get("raw_locations"):
        return "external", []
    if not db.exists():
        return "absent", list(REQUIRED_RAW)
    import duckdb

    schema = str(vars_dict.get("raw_schema") or "raw")
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        if LOCK_PATTERN.search(str(exc)):
            return "locked", []
        raise
    try:
        have = {
            r[0].lower()
            for r in con.execute(
                "select table_name from information_schema.tables where lower(table_schema) = ?",
                [schema.lower()],
            ).fetchall()
        }
    finally:
        con.close()
    missing = [t for t in REQUIRED_RAW if t not in have]
    return ("present" if not missing else "missing"), missing


def _locked_msg(db: Path, step_name: str) -> str:
    return (
        f"Step {step_name} failed: the database {db} is locked by another process"
        f"{warehouse.describe_holders(db)}. Fix: "
        "another process has the database open: close it (BI tool, notebook) and retry."
    )


def _open_check(db: Path, step_name: str) -> Outcome | None:
    """Readers need a built database: explain when it is absent or locked."""
    if not db.exists():
        return Outcome(
            EXIT_MISSING_DATA,
            f"Step {step_name} failed: no database at {db}. Fix: run `health run` (sample "
            "data, build, report) or `health build`, or pass --db PATH.",
        )
    import duckdb

    try:
        duckdb.connect(str(db), read_only=True).close()
    except duckdb.Error as exc:
        if LOCK_PATTERN.search(str(exc)):
            return Outcome(EXIT_LOCKED, _locked_msg(db, step_name))
        raise
    return None


# --------------------------------------------------------------------------- commands


def cmd_generate(args, console: Console) -> int:
    if args.db.exists():
        problem = _open_check(args.db, "generate")
        if problem:
            console.error(problem.message)
            return problem.exit_code
    with step(console, "", f"generate sample data into {args.db}") as st:
        rc = _call_generator(args)
        st["ok"] = rc == 0
    return rc


def _call_generator(args, overrides: dict | None = None) -> int:
    ns = argparse.Namespace(**vars(args))
    if overrides:
        parser = argparse.ArgumentParser(add_help=False)
        generate.add_arguments(parser)
        ns = parser.parse_args([])
        for key, value in overrides.items():
            if value is not None:
                setattr(ns, key, value)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    ns.db = str(args.db)
    with warehouse.writer_lock(args.db, what="generate"):  # never under a running build
        return int(generate.run(ns) or 0)


def cmd_build(args, console: Console, number: str = "") -> int:
    extra: list[str] = []
    if getattr(args, "select", None):
        extra += ["--select", *args.select]
    if getattr(args, "exclude", None):
        extra += ["--exclude", *args.exclude]
    if getattr(args, "full_refresh", False):
        extra.append("--full-refresh")
    if getattr(args, "fail_fast", False):
        extra.append("--fail-fast")
    problem = preflight.check_build_db(args.db, args.vars_dict)
    if problem:
        console.error(f"Step build failed: {problem}")
        return problem.exit_code
    # issue 14: a daily run skips the unit tests when the code is the last build's
    from . import build_plan

    daily, os.environ[build_plan.CODE_ENV], why = build_plan.daily_args(
        args.db, Path(args.project_dir), full_refresh=getattr(args, "full_refresh", False))
    if not getattr(args, "select", None):
        extra += daily
        console.info(f"    {why}")
    with step(console, number, f"build: dbt build (seeds, models, tests) into {args.db}") as st:
        # Build beside the live file, publish atomically (healthwh/warehouse.py).
        outcome = warehouse.build(
            args.db,
            lambda command, step_name, path: invoke(
                command,
                step=step_name,
                project_dir=args.project_dir,
                db_path=path,
                vars_yaml=args.vars_yaml,
                threads=args.threads,
                quiet=args.quiet,
                stream=console.stream,
                raw_schema=str(args.vars_dict.get("raw_schema") or "raw"),
            ),
            extra=extra,
            log=console.info,
        )
        st["ok"] = outcome.ok
        words: dict[str, int] = {}
        for status, n in outcome.counts.items():
            word = STATUS_WORDS.get(status, status)
            words[word] = words.get(word, 0) + n
        order = ["ok", "WARN", "FAIL", "ERROR", "skip"]
        counts = ", ".join(
            f"{words[w]} {'skipped' if w == 'skip' else w}"
            for w in sorted(words, key=lambda w: (order.index(w) if w in order else 9, w))
        )
        if counts:
            console.always(f"    nodes: {counts}")
        empty = preflight.nothing_selected(outcome.counts, getattr(args, "select", None))
        if outcome.ok and empty:
            st["ok"] = False
            console.error(f"Step build failed: {empty}")
            return empty.exit_code
    if outcome.ok:
        build_plan.print_plan(args.db, console.always)
        quality.print_summary(args.db, console.always)
        # issue 9: the backtest's verdict and dead / saturated metrics
        from . import report_signal

        report_signal.print_build_summary(args.db, console.always)
    if not outcome.ok:
        console.error(outcome.message)
    return outcome.exit_code


def cmd_report(args, console: Console, number: str = "") -> int:
    from . import report

    problem = _open_check(args.db, "report")
    if problem:
        console.error(problem.message)
        return problem.exit_code
    out = _in_repo(getattr(args, "report_out", None), "output/report.html", args.project_dir)
    with step(console, number, f"report: {out}") as st:
        try:
            report.write_report(args.db, out, account=args.account, histories=args.histories)
        except Exception:
            st["ok"] = False
            raise
        if args.screenshot:
            png = Path(args.screenshot).expanduser().resolve()
            try:
                report.screenshot(out, png)
                console.info(f"    screenshot: {png}")
            except (FileNotFoundError, OSError) as exc:
                console.always(f"    screenshot skipped: {exc}")
            except Exception as exc:  # noqa: BLE001 - chromium failures are not fatal
                console.always(f"    screenshot failed: {exc}")
    console.always(f"Report: {out}\n        open {out.as_uri()}")
    return EXIT_OK


def cmd_calibrate(args, console: Console) -> int:
    problem = _open_check(args.db, "calibrate")
    if problem:
        console.error(problem.message)
        return problem.exit_code
    with step(console, "", "calibrate: propose weights from the backtest") as st:
        rc = int(calibrate.run(args) or 0)
        st["ok"] = rc == 0
    return rc


def cmd_export(args, console: Console, number: str = "") -> int:
    from . import export

    problem = _open_check(args.db, "export")
    if problem:
        console.error(problem.message)
        return problem.exit_code
    out = _in_repo(args.export_out, "output/bi", args.project_dir)
    formats = ("parquet", "duckdb") if args.formats == "both" else (args.formats,)
    with step(console, number, f"export: {', '.join(formats)} -> {out}/current") as st:
        try:
            res = export.export(args.db, out, formats=formats, keep=args.keep,
                                grace=getattr(args, "grace", export.DEFAULT_GRACE_SECONDS),
                                log=lambda m: console.info(f"    {m}"))
        except export.NothingToExport as exc:
            st["ok"] = False
            console.error(f"Step export failed: {exc}. Fix: run `health build` first.")
            return EXIT_MISSING_DATA
        except export.ExportLocked as exc:
            st["ok"] = False
            console.error(f"Step export failed: {exc}.")
            return EXIT_LOCKED
        except export.InconsistentWarehouse as exc:
            st["ok"] = False
            console.error(f"Step export failed: {exc}.")
            return EXIT_FAILURE
        console.always(
            f"    published {res.version} ({len(res.tables)} tables); "
            f"{len(res.pruned)} old version(s) pruned"
        )
    console.always(f"BI: {res.current} -> {res.version_dir.name} (see docs/bi.md)")
    return EXIT_OK


def project_vars(project: Path) -> dict:
    """The vars set in the project's dbt_project.yml (plain values only), so
    `run` sees a raw_schema / raw_locations configured there like one in --vars."""
    import yaml

    try:
        data = yaml.safe_load((project / "dbt_project.yml").read_text()) or {}
    except (OSError, yaml.YAMLError):
        return {}
    found = data.get("vars") or {}
    return found if isinstance(found, dict) else {}


def cmd_run(args, console: Console) -> int:
    total = 3 + (1 if args.export else 0)
    # your own data (raw_locations / raw_database, or raw_schema tables) is
    # never replaced by sample data; --regenerate is the only way to do that
    effective = {**project_vars(args.project_dir), **args.vars_dict}
    status, missing = raw_status(args.db, effective)
    if status == "locked":
        console.error(_locked_msg(args.db, "run"))
        return EXIT_LOCKED
    schema = str(effective.get("raw_schema") or "raw")
    if status in {"absent", "missing"} and schema.lower() != "raw" and not args.regenerate:
        console.error(
            f"Step run failed: raw_schema '{schema}' in {args.db} has no table "
            f"{', '.join(missing)}. Fix: load your tables there (required: "
            f"{', '.join(REQUIRED_RAW)}), or point raw_schema / raw_locations at them "
            "(docs/method.md §5); sample data is only generated into schema raw."
        )
        return EXIT_MISSING_DATA
    n = 1
    if args.regenerate or status in {"absent", "missing"}:
        why = "--regenerate" if args.regenerate else f"no raw data in {args.db}"
        with step(console, f"[{n}/{total}] ", f"generate {args.size} sample data ({why})") as st:
            rc = _call_generator(args, {"size": args.size, "messy_rate": args.messy_rate})
            st["ok"] = rc == 0
        if rc:
            return rc
    else:
        reason = "your raw_database/raw_locations" if status == "external" else "raw tables exist"
        console.always(f"==> [{n}/{total}] generate: skipped ({reason}; --regenerate to replace)")
    n += 1
    rc = cmd_build(args, console, number=f"[{n}/{total}] ")
    if rc:
        return rc
    n += 1
    rc = cmd_report(args, console, number=f"[{n}/{total}] ")
    if rc:
        return rc
    if args.export:
        n += 1
        args.export_out = args.export
        args.formats = getattr(args, "formats", "both")
        args.keep = getattr(args, "keep", 3)
        rc = cmd_export(args, console, number=f"[{n}/{total}] ")
    return rc


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        args = resolve_common(args)
    except UsageError as exc:
        parser.error(str(exc))  # exits 2
    console = Console(quiet=args.quiet)
    try:
        if args.target != "duckdb":  # another engine (healthwh/engines.py, docs/engines.md)
            from . import engines

            commands = {"report": cmd_report, "export": cmd_export}
            return engines.run_on_target(args, console, commands)
        return int(args.func(args, console) or 0)
    except UsageError as exc:
        console.error(str(exc))
        return EXIT_USAGE
    except warehouse.WarehouseLocked as exc:
        console.error(f"Step {args.command} failed: {exc}")
        return EXIT_LOCKED
    except KeyboardInterrupt:
        console.error("interrupted")
        return 130
    except BrokenPipeError:  # `health ... | head`: stop quietly, like other CLIs
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE
    except Exception as exc:
        if LOCK_PATTERN.search(str(exc)):
            console.error(_locked_msg(args.db, args.command))
            return EXIT_LOCKED
        raise
