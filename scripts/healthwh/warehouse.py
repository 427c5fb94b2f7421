"""Build beside, publish atomically: readers can never break a build (issue 13, SPEC §7).

DuckDB allows one writer or many readers per file, never both. So a build never
writes the live file (``--db``, what readers open and ``generate`` writes raw
tables to). Instead::

    data/health.duckdb                     live: readers open it read-only
    data/health.duckdb.lock                writer lock (flock) + who holds it (JSON)
    data/.health.duckdb.build-copy/
        health.duckdb                      the build's own copy (same file name, so
                                           the DuckDB catalog name stays `health`)

The build directory has the same name for every build (one writer at a time:
the lock), so dbt sees the same database path from one build to the next and
its partial parsing (``target/partial_parse.msgpack``) stays valid: a changed
path would force a full re-parse of the project on every build.

1. take the writer lock (non-blocking: a second build gives up at once and names
   the process holding it);
2. copy the live file into a fresh build directory beside it (same file system);
3. run the config gate when the build is a selection (``--select``/``--exclude``:
   a selection must not skip the validation of the config seeds), then dbt;
4. only when every node and test passed: checkpoint, fsync and ``os.replace`` the
   build copy over the live file: one atomic rename. A reader connected before the
   rename keeps reading the old complete file (its open inode), a reader connecting
   after it reads the new complete file.

A failed, interrupted or killed (SIGKILL) build leaves the live file untouched;
its build directory is removed by the next build. The file does not grow with
every rebuild: a copy that has grown past its content (more than 5 % free
blocks, as every rebuild leaves) is compacted (``COPY FROM DATABASE`` into a
fresh file) before it is published.

``python scripts/dbt_beside.py <dbt command>`` gives plain dbt users the same
guarantee for any dbt command (see docs/bi.md).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

EXIT_LOCKED = 4
BUILD_DIR_INFIX = ".build-"
BUILD_DIR_NAME = "copy"
# The config gate: every config seed, the validation model and their tests.
GATE_SELECTOR = "+stg_config__validation"
GATE_COMMAND = ["build", "--select", GATE_SELECTOR, "--indirect-selection", "cautious"]
# Compact a build copy whose file is this many times larger than its content.
# A rebuild replaces every model table: dbt-duckdb writes the new table before
# it drops the old one, and DuckDB never shrinks a file (CHECKPOINT and VACUUM
# only mark the old blocks free), so each rebuild of the same data left the
# copy 20-23 % larger. Compacting whenever more than 5 % is free publishes a
# file as large as its content: a rebuild of the same data does not grow it.
COMPACT_RATIO = 1.05


class WarehouseLocked(RuntimeError):
    """Another writer (a build, generate, dbt_beside) holds the warehouse."""


# --------------------------------------------------------------------------- who holds a file


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    text = " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    return text if len(text) <= 160 else text[:157] + "..."


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holders(path: Path) -> list[tuple[int, str]]:
    """Processes that have ``path`` (or its ``.wal``) open, found by scanning /proc.

    Best effort: Linux only, and only processes this user may inspect.
    """
    try:
        target = os.path.realpath(path)
    except OSError:
        return []
    wanted = {target, target + ".wal"}
    found: list[tuple[int, str]] = []
    me = os.getpid()
    try:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return []
    for pid in sorted(pids):
        if pid == me:
            continue
        fd_dir = f"/proc/{pid}/fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"{fd_dir}/{fd}")
            except OSError:
                continue
            if link in wanted:
                found.append((pid, _cmdline(pid)))
                break
    return found


def describe_holders(path: Path) -> str:
    """' (held by PID 123: python notebook.py)' or '' when nobody can be named."""
    found = holders(path)
    if not found:
        return ""
    named = "; ".join(f"PID {pid}: {cmd or '?'}" for pid, cmd in found[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return f" (held by {named}{more})"


def open_read_only(db: Path, purpose: str):
    """A read-only DuckDB connection, or WarehouseLocked naming the writer holding it."""
    import duckdb

    from .dbt_runner import LOCK_PATTERN

    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        if not LOCK_PATTERN.search(str(exc)):
            raise
        raise WarehouseLocked(
            f"another process has the database open for writing ({db})"
            f"{describe_holders(db)}, so the build cannot {purpose}. Fix: close that "
            "process (a notebook or BI tool must open the file read-only) and retry; "
            "the last complete warehouse was left in place"
        ) from None


# --------------------------------------------------------------------------- writer lock


def lock_path(db: Path) -> Path:
    return Path(db).with_name(Path(db).name + ".lock")


@contextlib.contextmanager
def holder_lock(path: Path, info: dict, refused: Callable[[], Exception]) -> Iterator[Path]:
    """An exclusive ``flock`` on ``path`` that records its holder (``info`` as JSON),
    or raise ``refused()`` at once when another process holds it.

    The kernel releases the lock when the holder exits, even on SIGKILL, so a
    crashed writer never leaves a stale lock; the JSON lets a refusal name it.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            raise refused() from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        try:
            yield path
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def writer_lock(db: Path, what: str = "build") -> Iterator[Path]:
    """Hold the warehouse's writer lock ``<db>.lock`` (see :func:`holder_lock`), or
    raise :class:`WarehouseLocked` at once, naming the process that holds it."""
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    info = {
        "pid": os.getpid(),
        "what": what,
        "command": _cmdline(os.getpid()) or " ".join(sys.argv),
        "started_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    with holder_lock(path, info, lambda: WarehouseLocked(_locked_message(db, path))):
        yield path


def lock_holder(db: Path) -> dict | None:
    """What the lock file says about its holder (None when unreadable/empty)."""
    try:
        info = json.loads(lock_path(db).read_text() or "null")
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def _locked_message(db: Path, lock: Path) -> str:
    info = lock_holder(db)
    if info and pid_alive(int(info.get("pid", 0))):
        who = (
            f"a {info.get('what', 'build')} (PID {info['pid']}, started "
            f"{info.get('started_at', '?')}: {info.get('command', '?')})"
        )
    else:
        found = holders(lock)
        who = (
            "; ".join(f"PID {pid}: {cmd}" for pid, cmd in found) if found else "another process"
        )
    return (
        f"the warehouse {db} is being written by {who}. Fix: wait for it to finish "
        f"(or stop that process) and retry; readers are not affected, they keep reading "
        f"the last complete build."
    )


# --------------------------------------------------------------------------- beside


def build_dirs(db: Path) -> list[Path]:
    db = Path(db)
    prefix = f".{db.name}{BUILD_DIR_INFIX}"
    if not db.parent.exists():
        return []
    return sorted(p for p in db.parent.iterdir() if p.is_dir() and p.name.startswith(prefix))


def remove_stale_builds(db: Path) -> list[Path]:
    """Remove build directories left by failed or killed builds.

    Call only while holding the writer lock: then no other build is running, so
    every build directory is stale.
    """
    removed = []
    for path in build_dirs(db):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _fsync(path: Path, directory: bool = False) -> None:
    flags = os.O_RDONLY | (os.O_DIRECTORY if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@dataclass
class Beside:
    """One build's private copy of the warehouse, published by :meth:`publish`."""

    live: Path
    directory: Path

    @property
    def path(self) -> Path:
        return self.directory / self.live.name

    @classmethod
    def create(cls, live: Path) -> Beside:
        live = Path(live).resolve()
        live.parent.mkdir(parents=True, exist_ok=True)
        # one name for every build (the caller holds the writer lock and has removed
        # stale build directories): the same path keeps dbt's partial parse valid
        directory = live.parent / f".{live.name}{BUILD_DIR_INFIX}{BUILD_DIR_NAME}"
        if directory.exists():  # left by a killed build: never reuse its files (a WAL)
            shutil.rmtree(directory)
        directory.mkdir()
        beside = cls(live, directory)
        if live.exists():
            # A read-only connection holds DuckDB's shared lock during the copy: no
            # writer can start meanwhile, and a writer holding the file is refused.
            try:
                con = open_read_only(live, "copy it for the build")
            except BaseException:
                beside.discard()
                raise
            try:
                shutil.copyfile(live, beside.path)
                wal = live.with_name(live.name + ".wal")
                if wal.exists():  # a writer outside this wrapper crashed: keep its log
                    shutil.copyfile(wal, beside.path.with_name(beside.path.name + ".wal"))
            finally:
                con.close()
        return beside

    def publish(self) -> None:
        """Checkpoint the build copy (compact it if it grew) and rename it over the live file."""
        import duckdb

        con = duckdb.connect(str(self.path))
        try:
            con.execute("checkpoint")
            used = con.execute(
                "select used_blocks, total_blocks from pragma_database_size()"
            ).fetchone()
        finally:
            con.close()
        if used and used[0] and used[1] > COMPACT_RATIO * used[0]:
            self._compact()
        wal = self.path.with_name(self.path.name + ".wal")
        if wal.exists():  # pragma: no cover - a checkpointed, closed file has none
            raise RuntimeError(f"{wal} remains after a checkpoint; not publishing")
        _fsync(self.path)
        if self.live.exists():  # a writer that opened the live file meanwhile keeps it
            open_read_only(self.live, "replace it with the new build").close()
        live_wal = self.live.with_name(self.live.name + ".wal")
        if live_wal.exists():  # it belongs to the old file, already in the copy
            live_wal.unlink()
        os.replace(self.path, self.live)  # the one atomic step
        _fsync(self.live.parent, directory=True)

    def _compact(self) -> None:
        """Rewrite the copy into a fresh file (drops the space of replaced tables)."""
        import duckdb

        fresh_dir = self.directory / "compact"
        fresh_dir.mkdir(exist_ok=True)
        fresh = fresh_dir / self.live.name
        con = duckdb.connect(str(fresh))
        try:
            con.execute(f"attach '{_sql(self.path)}' as build_src (read_only)")
            con.execute(f"copy from database build_src to {_ident(fresh.stem)}")
            con.execute("detach build_src")
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(fresh, self.path)

    def discard(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def _sql(path: Path) -> str:
    return str(path).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextlib.contextmanager
def beside(db: Path, what: str = "build") -> Iterator[Beside]:
    """Writer lock + a fresh build copy; the copy is removed unless published."""
    with writer_lock(db, what=what):
        remove_stale_builds(db)
        copy = Beside.create(db)
        try:
            yield copy
        finally:
            copy.discard()


# --------------------------------------------------------------------------- the build


SELECT_FLAGS = {"-s", "--select", "--models", "-m"}
NARROWING_FLAGS = SELECT_FLAGS | {"--exclude", "--selector", "--resource-type",
                                  "--resource-types", "--exclude-resource-type",
                                  "--exclude-resource-types"}
PUBLISHING_COMMANDS = {"build", "run", "seed", "snapshot"}


def is_selection(extra: list[str]) -> bool:
    """Does a dbt argument list narrow the build (then the gate must be added)?

    The daily skips of build_plan.daily_args do not: excluding the unit tests, or
    the config-only data tests it excludes when code and seeds are the last
    build's (the gate's seeds and validation model still build)."""
    from .build_plan import DAILY_EXCLUDES

    skips = {"--exclude-resource-type": {"unit_test"}, "--exclude-resource-types": {"unit_test"},
             "--exclude": set(DAILY_EXCLUDES)}
    flag, values = None, []

    def narrows() -> bool:
        return flag is not None and not (values and set(values) <= skips.get(flag, set()))

    for arg in extra:
        if arg.startswith("-"):
            if narrows():
                return True
            name, _, value = arg.partition("=")
            flag = name if name in NARROWING_FLAGS else None
            values = [value] if flag and value else []
        elif flag is not None:
            values.append(arg)
    return narrows()


def gate_args(extra: list[str]) -> list[str]:
    """The gate's dbt call: GATE_COMMAND plus the caller's other flags (project and
    profiles dir, vars, target, threads...), without its narrowing flags and their
    values (the gate must see the same project and settings as the main call)."""
    kept, skipping = [], False
    for arg in extra:
        if arg.startswith("-"):
            skipping = arg.split("=", 1)[0] in NARROWING_FLAGS
            if skipping:
                continue
        elif skipping:
            continue
        kept.append(arg)
    return [*GATE_COMMAND, *kept]


def plan_gate(command: list[str], extra: list[str]) -> tuple[list[str], bool]:
    """How the config gate runs: (args of the main dbt call, separate gate call first?).

    The gate is the config seeds loaded from their CSV files plus the validation
    model (it raises on any invalid row) and its tests. A full ``build`` contains
    it; any narrowing (``--select``, ``--exclude`` of more than tests,
    ``--selector``, ``run``, ``seed``…) gets a separate gate call first, so a
    selection never publishes past a failed validation, and the main call's node
    count still tells whether the selection matched anything.
    """
    cmd = command[0] if command else "build"
    args = list(command) + list(extra)
    if cmd not in PUBLISHING_COMMANDS:
        return args, False
    if cmd == "build" and not is_selection(extra):
        return args, False
    return args, True


def build(
    db: Path,
    run_dbt: Callable[[list[str], str, Path], object],
    *,
    command: list[str] | None = None,
    extra: list[str] | None = None,
    log: Callable[[str], None] | None = None,
):
    """Run ``dbt <command> <extra>`` beside the live file; publish it when all passed.

    ``run_dbt(args, step, db_path)`` runs one dbt invocation and returns an
    ``Outcome`` (see dbt_runner). Returns the Outcome of the last invocation;
    messages name the live file, not the private copy. Commands other than
    build/run/seed/snapshot run on a copy too (dbt-duckdb opens the file for
    writing) and never publish.
    """
    from .dbt_runner import EXIT_LOCKED as LOCKED
    from .dbt_runner import Outcome

    say = log or (lambda _m: None)
    command = list(command or ["build"])
    main_args, separate_gate = plan_gate(command, list(extra or []))
    db = Path(db).resolve()
    try:
        with beside(db) as copy:
            outcome = None
            gate_counts: dict[str, int] = {}
            if separate_gate:
                gate = gate_args(list(extra or []))
                say(f"config gate first: dbt {' '.join(gate)}")
                outcome = run_dbt(gate, "build (config gate)", copy.path)
                gate_counts = dict(outcome.counts)
            if outcome is None or outcome.ok:
                outcome = run_dbt(main_args, command[0], copy.path)
                if outcome.ok and separate_gate and not any(outcome.counts.values()):
                    # the selection matched nothing: publish nothing, report no node
                    # (the caller turns empty counts into a usage error)
                    return outcome
                for status, n in gate_counts.items():
                    outcome.counts[status] = outcome.counts.get(status, 0) + n
            if outcome.ok and command[0] in PUBLISHING_COMMANDS:
                copy.publish()
                say(f"published {db} (atomic rename of the complete build)")
            elif not outcome.ok:
                outcome.message = outcome.message.replace(str(copy.path), str(db))
                if db.exists():
                    outcome.message += (
                        f" Nothing was published: readers keep the last complete "
                        f"warehouse {db}."
                    )
            return outcome
    except WarehouseLocked as exc:
        return Outcome(LOCKED, f"Step {command[0]} failed: {exc}")


def wait_for(predicate: Callable[[], bool], timeout: float, every: float = 0.05) -> bool:
    """Small polling helper (tests, scripts)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
    return predicate()
