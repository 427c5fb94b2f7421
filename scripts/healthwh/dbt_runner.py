"""Run dbt in-process (``dbtRunner``), show progress, and explain failures in one paragraph.

The wrapper never re-implements SQL: it invokes dbt one command at a time, follows
its event stream to print one line per finished node, and turns the
``dbtRunnerResult`` into an :class:`Outcome` (exit code + a short message that
names the failing node and what to do about it).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import raw_contract
from .dbfile import alias_path

# Exit codes of the CLI (documented in `health --help`).
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_MISSING_DATA = 3
EXIT_LOCKED = 4

RAW_TABLES = raw_contract.table_names()
OPTIONAL_TABLE_VARS = raw_contract.optional_table_vars()

LOCK_PATTERN = re.compile(r"Could not set lock on file|Conflicting lock is held", re.I)
MISSING_TABLE_PATTERN = re.compile(
    r"Table with name \"?(?P<name>[\w.\"]+?)\"? does not exist", re.I
)
MISSING_FILE_PATTERN = re.compile(
    r"No files found that match the pattern \"?(?P<path>[^\"]+)", re.I
)
VALIDATION_NODE = "config__validation"

# Only one dbt invocation at a time in this process (dbt keeps global state).
_DBT_LOCK = threading.Lock()


@dataclass
class NodeFailure:
    """One failed (error/fail) node of a dbt invocation, reduced to what we explain."""

    unique_id: str
    resource_type: str
    name: str
    relation: str
    status: str
    message: str
    failures: int | None = None
    compiled_path: str | None = None
    compiled_code: str | None = None
    sample_rows: list[dict] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.resource_type} {self.relation or self.name}"


@dataclass
class Outcome:
    """What a step produced: exit code, a one-paragraph message, and node counts."""

    exit_code: int
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[NodeFailure] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK


# --------------------------------------------------------------------------- progress


def _fmt_secs(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}m{secs:02d}s"


STATUS_WORDS = {
    "success": "ok",
    "pass": "ok",
    "no-op": "ok",
    "warn": "WARN",
    "fail": "FAIL",
    "error": "ERROR",
    "runtime error": "ERROR",
    "skipped": "skip",
    "partial success": "partial",
}


class Progress:
    """dbt event callback printing ``[37/120] model marts.x ... ok (2.1s)`` per finished node.

    On a terminal a second, overwritten line shows what is running right now; in a
    log (not a TTY) only the finished lines are printed. Skipped nodes are counted,
    not listed (a failing seed can skip hundreds).
    """

    def __init__(self, stream=None, quiet: bool = False, live: bool | None = None):
        self.stream = stream or sys.stdout
        self.quiet = quiet
        self.live = (
            live if live is not None else (hasattr(self.stream, "isatty") and self.stream.isatty())
        )
        self.total = 0
        self.done = 0
        # last status per node: dbt reports a skipped node twice (SkippingDetails and
        # NodeFinished), so counts come from this map, one entry per node
        self.node_status: dict[str, str] = {}
        self.running: dict[str, str] = {}
        self._lock = threading.Lock()
        self._status_shown = False

    # dbt calls this from its worker threads.
    def __call__(self, event) -> None:  # noqa: C901 - a flat dispatch on event names
        try:
            name = event.info.name
        except AttributeError:
            return
        if name not in {"LogStartLine", "NodeFinished", "SkippingDetails", "FoundStats"}:
            return
        with self._lock:
            data = event.data
            if name == "LogStartLine":
                self.total = max(self.total, int(data.total or 0))
                self.running[data.node_info.unique_id] = _node_label(data.node_info)
                self._redraw()
            elif name == "SkippingDetails":
                self.total = max(self.total, int(data.total or 0))
                self.node_status.setdefault(data.node_info.unique_id or data.node_name, "skipped")
                self.done = len(self.node_status)
            elif name == "NodeFinished":
                info = data.node_info
                self.running.pop(info.unique_id, None)
                status = (data.run_result.status or info.node_status or "").lower()
                self.node_status[info.unique_id] = status
                self.done = len(self.node_status)
                word = STATUS_WORDS.get(status, status or "?")
                secs = float(data.run_result.execution_time or 0.0)
                total = max(self.total, self.done)
                width = len(str(total))
                line = (
                    f"[{self.done:>{width}}/{total}] {_node_label(info)} ... {word} "
                    f"({_fmt_secs(secs)})"
                )
                problem = word in {"ERROR", "FAIL", "WARN"}
                # On a terminal passing tests only flash by on the live line (hundreds of
                # them); in a log every node gets its line.
                routine_test = info.resource_type in {"test", "unit_test"} and self.live
                if problem or not (self.quiet or routine_test):
                    self._println(line)
                self._redraw()

    @property
    def counts(self) -> dict[str, int]:
        """Nodes per final status, each node counted once."""
        out: dict[str, int] = {}
        for status in self.node_status.values():
            out[status] = out.get(status, 0) + 1
        return out

    def _println(self, line: str) -> None:
        if self.live and self._status_shown:
            self.stream.write("\r\033[K")
            self._status_shown = False
        self.stream.write(line + "\n")
        self.stream.flush()

    def _redraw(self) -> None:
        if not self.live or self.quiet:
            return
        if not self.running:
            if self._status_shown:
                self.stream.write("\r\033[K")
                self._status_shown = False
            self.stream.flush()
            return
        current = next(iter(self.running.values()))
        more = f" (+{len(self.running) - 1} more)" if len(self.running) > 1 else ""
        total = max(self.total, self.done)
        status = f"  [{self.done}/{total} done] running {current}{more}"
        width = shutil.get_terminal_size((100, 20)).columns - 1
        if len(status) > width:
            status = status[: max(width - 1, 10)] + "…"
        self.stream.write(f"\r\033[K{status}")
        self._status_shown = True
        self.stream.flush()

    def close(self) -> None:
        with self._lock:
            if self.live and self._status_shown:
                self.stream.write("\r\033[K")
                self.stream.flush()
                self._status_shown = False


def _node_label(info) -> str:
    rtype = info.resource_type or "node"
    rel = getattr(info, "node_relation", None)
    schema = getattr(rel, "schema", "") if rel is not None else ""
    alias = getattr(rel, "alias", "") if rel is not None else ""
    if rtype in {"model", "seed", "snapshot"} and schema and alias:
        return f"{rtype} {schema}.{alias}"
    return f"{rtype} {info.node_name}"


# --------------------------------------------------------------------------- invoking


def log_file(project_dir: Path) -> Path:
    """dbt's log file for this project: $DBT_LOG_PATH/dbt.log, else <project>/logs/dbt.log."""
    folder = os.environ.get("DBT_LOG_PATH") or str(Path(project_dir) / "logs")
    return (Path(folder).expanduser() / "dbt.log").resolve()


def _see_log() -> str:
    """'the log <path>' when the last invocation wrote one, else a pointer to dbt."""
    path = _LAST_LOG.get("path")
    if path is not None and path.exists():
        return f"the log {path}"
    return "dbt's output (rerun the dbt command shown with --debug)"


_LAST_LOG: dict[str, Path] = {}


def dbt_args(
    command: list[str],
    project_dir: Path,
    vars_yaml: str | None = None,
    threads: int | None = None,
    extra: Iterable[str] = (),
) -> list[str]:
    """The argument list handed to ``dbtRunner.invoke`` (also printed with --verbose)."""
    args = list(command) + [
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--log-level",
        "none",
        # the console is ours; the log still goes to log_file() for the messages, at
        # level info (every node's status and error): debug (each SQL statement, the
        # adapter's calls) cost ~5 % of a daily run's CPU; HEALTH_DBT_LOG_LEVEL_FILE=debug
        # brings it back
        "--log-level-file",
        os.environ.get("HEALTH_DBT_LOG_LEVEL_FILE") or "info",
        "--log-path",
        str(log_file(project_dir).parent),
    ]
    if vars_yaml:
        args += ["--vars", vars_yaml]
    if threads:
        args += ["--threads", str(threads)]
    args += list(extra)
    return args


def release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process (profile
    ``keep_open: true``): dbt itself closes it only at interpreter exit."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter only
        return
    with DuckDBConnectionManager._LOCK:
        env = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
        if env is not None:
            env.close()


def invoke(
    command: list[str],
    *,
    step: str,
    project_dir: Path,
    db_path: Path,
    vars_yaml: str | None = None,
    threads: int | None = None,
    extra: Iterable[str] = (),
    quiet: bool = False,
    stream=None,
    raw_schema: str = "raw",
    progress_factory: Callable[..., Progress] = Progress,
) -> Outcome:
    """Run one dbt command in-process and return its :class:`Outcome`.

    The DuckDB file is handed to the profile through ``HEALTH_DUCKDB_PATH``. When
    the profile keeps one DuckDB database open for the whole invocation
    (``keep_open``, HEALTH_DUCKDB_KEEP_OPEN=true: opening the file per node was a
    third of a no-op daily run's CPU), :func:`release_duckdb` closes it when this
    returns, so the file is released before the build is published or the next
    invocation opens another file (with keep_open false it is a no-op).
    """
    from dbt.cli.main import dbtRunner  # heavy import: only when dbt is needed

    stream = stream or sys.stdout
    db_path = Path(db_path).resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    os.environ["HEALTH_DUCKDB_PATH"] = str(alias_path(db_path, (raw_schema,)))
    _LAST_LOG["path"] = log_file(project_dir)
    progress = progress_factory(stream=stream, quiet=quiet)
    args = dbt_args(command, project_dir, vars_yaml, threads, extra)
    started = time.monotonic()
    with _DBT_LOCK:
        try:
            res = dbtRunner(callbacks=[progress]).invoke(args)
        finally:
            release_duckdb()
            progress.close()
    elapsed = time.monotonic() - started
    if isinstance(res.exception, KeyboardInterrupt):
        raise res.exception

    failures: list[NodeFailure] = []
    results = getattr(getattr(res, "result", None), "results", None) or []
    for r in results:
        status = str(getattr(r.status, "value", r.status)).lower()
        if status not in {"error", "fail", "runtime error"}:
            continue
        node = r.node
        rel_schema = getattr(node, "schema", "") or ""
        alias = getattr(node, "alias", None) or node.name
        relation = f"{rel_schema}.{alias}" if node.resource_type in {"model", "seed"} else ""
        failures.append(
            NodeFailure(
                unique_id=node.unique_id,
                resource_type=str(getattr(node.resource_type, "value", node.resource_type)),
                name=node.name,
                relation=relation,
                status=status,
                message=r.message or "",
                failures=r.failures,
                compiled_path=getattr(node, "compiled_path", None),
                compiled_code=getattr(node, "compiled_code", None),
            )
        )
    counts = dict(progress.counts)
    if res.success:
        return Outcome(EXIT_OK, "", counts, [], elapsed)

    # Failing tests: show a few of the offending rows (read-only, dbt has let go of the file).
    for f in failures:
        if f.resource_type == "test" and f.status == "fail" and f.compiled_code:
            f.sample_rows = sample_failing_rows(db_path, f.compiled_code)
    code, message = explain(
        step=step,
        exception=res.exception,
        failures=failures,
        db_path=db_path,
        raw_schema=raw_schema,
        skipped=counts.get("skipped", 0),
    )
    log = log_file(project_dir)
    if log.exists() and str(log) not in message:
        message = f"{message.rstrip()} Full log: {log}"
    return Outcome(code, message, counts, failures, elapsed)


def sample_failing_rows(db_path: Path, sql: str, limit: int = 3) -> list[dict]:
    """Run a failed test's compiled SQL read-only and return a few rows (best effort)."""
    try:
        import duckdb

        con = duckdb.connect(str(alias_path(db_path)), read_only=True)
        try:
            cur = con.execute(f"select * from ({sql}) as failing_rows limit {int(limit)}")
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row, strict=False)) for row in cur.fetchall()]
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - purely informative
        return []


# --------------------------------------------------------------------------- explaining

_HEADER = re.compile(
    r"^(?:Runtime|Compilation|Database|Parsing|Dependency)\s+Error(?:\s+in\s+\w+\s+\S+(?:\s+\([^)]*\))?)?\s*$",
    re.I,
)


def first_line(message: str) -> str:
    """The first informative line of a dbt error message (no 'Runtime Error in ...' header)."""
    for raw in (message or "").splitlines():
        line = raw.strip()
        if not line or _HEADER.match(line) or line.startswith(">"):
            continue
        return line
    return (message or "").strip().splitlines()[0].strip() if (message or "").strip() else ""


def validation_message(message: str) -> str:
    """The whole message a config-validation node raised, without dbt's header/trace lines."""
    lines = []
    for raw in (message or "").splitlines():
        line = raw.strip()
        if not line or _HEADER.match(line) or line.startswith(">"):
            continue
        lines.append(line)
    return " ".join(lines)


def _missing_table(message: str, raw_schema: str) -> str | None:
    m = MISSING_TABLE_PATTERN.search(message or "")
    if not m:
        return None
    name = m.group("name").replace('"', "")
    parts = name.split(".")
    base = parts[-1]
    if base in RAW_TABLES or (len(parts) > 1 and parts[-2] == raw_schema):
        return name
    return None


def _fmt_row(row: dict) -> str:
    items = list(row.items())[:6]
    return "{" + ", ".join(f"{k}={v!r}" for k, v in items) + "}"


def explain(
    *,
    step: str,
    exception: BaseException | None,
    failures: list[NodeFailure],
    db_path: Path,
    raw_schema: str = "raw",
    skipped: int = 0,
) -> tuple[int, str]:
    """Turn a failed dbt invocation into (exit code, one paragraph).

    Precedence: a locked database (4) and missing input data (3) are reported first
    because every other failure is usually a consequence of them.
    """
    texts = [str(exception)] if exception is not None else []
    texts += [f.message for f in failures]

    # 1. locked database
    for text in texts:
        if LOCK_PATTERN.search(text or ""):
            holder = re.search(r"Conflicting lock is held in (.+?)(?: \(PID (\d+)\))?\.", text)
            who = ""
            if holder and holder.group(2):
                who = f" ({holder.group(1)}, PID {holder.group(2)})"
            return EXIT_LOCKED, (
                f"Step {step} failed: the database {db_path} is locked by another process{who}. "
                "Fix: another process has the database open: close it (BI tool, notebook, "
                "a second health command) and retry. BI tools should read the exported copy "
                "(`health export`), not the working file."
            )

    # 2. missing raw input
    for f in failures:
        table = _missing_table(f.message, raw_schema)
        if table:
            return EXIT_MISSING_DATA, _missing_data_msg(step, f.label, table, db_path)
    if exception is not None:
        table = _missing_table(str(exception), raw_schema)
        if table:
            return EXIT_MISSING_DATA, _missing_data_msg(step, "the project", table, db_path)
    for text, where in [(f.message, f.label) for f in failures] + [
        (str(exception) if exception else "", "the project")
    ]:
        m = MISSING_FILE_PATTERN.search(text or "")
        if m:
            return EXIT_MISSING_DATA, (
                f"Step {step} failed at {where}: no file matches {m.group('path')}. "
                "Fix: check the path in var raw_locations (globs are allowed) or remove the "
                "entry to read the table from raw_schema instead."
            )

    others = ""
    if failures:
        extra = len(failures) - 1
        bits = []
        if extra:
            bits.append(f"{extra} other node{'s' if extra > 1 else ''} failed")
        if skipped:
            bits.append(f"{skipped} skipped")
        others = f" ({', '.join(bits)}; see {_see_log()})" if bits else ""

    # 3. config validation raised its own message: show it verbatim.
    for f in failures:
        if VALIDATION_NODE in f.name or VALIDATION_NODE in f.unique_id:
            if f.resource_type == "test" and f.status == "fail":
                rows = "; ".join(_validation_row(r) for r in f.sample_rows) or first_line(
                    f.message
                )
                detail = rows
            else:
                detail = validation_message(f.message)
            detail = detail.rstrip(". ")
            fix = (
                ""
                if "fix" in detail.lower()
                else " Fix: correct the seed file named above in seeds/ and rebuild."
            )
            return EXIT_FAILURE, (
                f"Step {step} failed at {f.label} ({f.resource_type}): {detail}.{fix}"
                f" No score was published.{others}"
            )

    # 4. node failures
    if failures:
        f = _root_failure(failures)
        if f.resource_type == "seed":
            return EXIT_FAILURE, (
                f"Step {step} failed at {f.label} (seed): {first_line(f.message)}. "
                f"Fix: the CSV file seeds/{f.name}.csv could not be loaded: every row needs "
                "as many values as the header (quote values that contain a comma) and each "
                f"value must match the column's type (the seed's column_types).{others}"
            )
        if f.resource_type in {"test", "unit_test"} and f.status == "fail":
            n = "fail"
            if f.failures:
                n = f"{f.failures} failing row{'s' if f.failures != 1 else ''}"
            sample = (
                f" First rows: {'; '.join(_fmt_row(r) for r in f.sample_rows)}."
                if f.sample_rows
                else ""
            )
            where = f"target/compiled/.../{Path(f.compiled_path).name}" if f.compiled_path else ""
            query = (
                f"see the failing rows with `dbt show --select {f.name} --limit 50`"
                if f.resource_type == "test"
                else f"rerun `dbt test --select {f.name}` to see the diff"
            )
            return EXIT_FAILURE, (
                f"Step {step} failed at {f.label} ({f.resource_type}): {n}.{sample} "
                f"Fix: the data breaks the rule this test protects; {query}"
                f"{' or run ' + where if where and f.resource_type == 'test' else ''}"
                " against the database, then fix the upstream model or the input data."
                f"{others}"
            )
        return EXIT_FAILURE, (
            f"Step {step} failed at {f.label} ({f.resource_type}): {first_line(f.message)}. "
            f"Fix: read the full error in {_see_log()} and the compiled SQL under "
            f"target/compiled/; rerun just this node with `dbt build --select {f.name}`."
            f"{others}"
        )

    # 5. project-level exception (parse / compile / usage)
    if exception is not None:
        name = type(exception).__name__
        line = first_line(str(exception)) or name
        if "Usage" in name:
            return EXIT_USAGE, f"Step {step} failed: dbt rejected the arguments: {line}."
        hint = "fix the file it names, then rerun"
        if "var" in line.lower() and ("required" in line.lower() or "undefined" in line.lower()):
            hint = "pass the variable with --vars '{name: value}' or set it in dbt_project.yml"
        if "depends on a node named" in line or "depends on a source named" in line:
            hint = (
                "a ref()/source() points at a node that does not exist or is disabled "
                "(check the name and the enable_* vars)"
            )
        if "yaml" in line.lower() or "yml" in line.lower():
            hint = "fix the YAML file it names (indentation, quoting), then rerun"
        return EXIT_FAILURE, (
            f"Step {step} failed before any node ran ({name}): {line}. Fix: {hint}; "
            "`dbt parse` shows the same error with its file and line."
        )
    return EXIT_FAILURE, f"Step {step} failed (dbt reported no detail). See {_see_log()}."


def _validation_row(row: dict) -> str:
    for key in ("message", "error_message", "error", "detail", "reason"):
        if key in row and row[key]:
            return str(row[key])
    return _fmt_row(row)


def _root_failure(failures: list[NodeFailure]) -> NodeFailure:
    """The failure to name: errors before test failures, seeds before models."""
    order = {"seed": 0, "model": 1, "snapshot": 2, "unit_test": 3, "test": 4}

    def key(f: NodeFailure):
        return (0 if f.status != "fail" else 1, order.get(f.resource_type, 5))

    return sorted(failures, key=key)[0]


def _missing_data_msg(step: str, where: str, table: str, db_path: Path) -> str:
    base = table.split(".")[-1]
    optional = OPTIONAL_TABLE_VARS.get(base)
    switch = (
        f", or switch the optional table off with --vars '{{{optional}: false}}'"
        if optional
        else ""
    )
    return (
        f"Step {step} failed at {where}: the input table {table} does not exist in "
        f"{db_path}. Fix: run `health generate` (sample data) or point "
        f"raw_schema/raw_locations at your data{switch}."
    )
