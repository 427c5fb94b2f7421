"""Publish the marts for BI readers, atomically.

Layout of ``--out DIR`` (default ``output/bi``)::

    DIR/
      current -> versions/v20261123T101500Z-0001      (relative symlink, swapped atomically)
      health_bi.duckdb                                 views over versions/<current>/**.parquet
      .export.lock                                     one export at a time (flock + holder pid)
      versions/
        v20261123T101500Z-0001/
          marts/<table>.parquet                          one file per mart table
          backtest/<table>.parquet
          health_marts.duckdb                            read-only DuckDB copy (same schemas)
          manifest.json                                  tables, row counts, columns, as_of

One export at a time: a second export started meanwhile refuses at once and names
the first (:class:`ExportLocked`). Everything is read from the warehouse through
one read-only connection (one snapshot), after checking that its marts share one
config_version and one as-of date (:class:`InconsistentWarehouse` otherwise). The
new version is written in full under ``versions/.tmp-<version>-<pid>-<hex>`` (beside
the published ones, same file system) and renamed into place; then
``health_bi.duckdb`` is rewritten (under a temporary name, then ``os.replace``)
with views that name that version's directory, not ``current``, so a query on
the views can never read two versions; then ``current`` is re-pointed with
``os.replace`` of a symlink - a single atomic rename. A reader that resolves
``current`` once, or opens ``current/health_marts.duckdb``, sees one complete
version. Versions are pruned only when more than ``keep`` exist and they were
superseded more than ``grace`` seconds ago, so a reader (or a BI connection to
``health_bi.duckdb`` opened before the swap) can finish on the version it opened.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import stat
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .warehouse import _fsync

EXPORT_SCHEMAS = ("marts", "backtest")
DUCKDB_NAME = "health_marts.duckdb"
VIEWS_NAME = "health_bi.duckdb"
LOCK_NAME = ".export.lock"
VERSION_RE = re.compile(r"^v\d{8}T\d{6}Z-\d{4}$")
DEFAULT_GRACE_SECONDS = 3600
# Tables that keep rows of earlier builds on purpose (several config versions).
HISTORY_TABLES = {"fct_account_health_published"}


class NothingToExport(RuntimeError):
    """The database has no mart tables (build first)."""


class ExportLocked(RuntimeError):
    """Another export into the same directory is running."""


class InconsistentWarehouse(RuntimeError):
    """The marts do not share one config_version / as-of date (a mixed build)."""


@dataclass
class ExportResult:
    version: str
    version_dir: Path
    current: Path
    tables: dict[str, int] = field(default_factory=dict)
    pruned: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    config_version: str | None = None
    as_of_date: str | None = None


def _q(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def list_tables(con, schemas=EXPORT_SCHEMAS, catalog: str | None = None) -> list[tuple[str, str]]:
    marks = ", ".join("?" for _ in schemas)
    params: list = [s.lower() for s in schemas]
    where_catalog = ""
    if catalog:
        where_catalog = " and table_catalog = ?"
        params.append(catalog)
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where lower(table_schema) in ({marks}){where_catalog} order by 1, 2",
        params,
    ).fetchall()
    return [(s, t) for s, t in rows]


def _new_version_name(versions: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    existing = [p.name for p in versions.iterdir()] if versions.exists() else []
    n = 1 + max(
        (int(name.rsplit("-", 1)[1]) for name in existing if VERSION_RE.match(name)), default=0
    )
    return f"v{stamp}-{n:04d}"


# --------------------------------------------------------------------------- lock


@contextlib.contextmanager
def export_lock(out_dir: Path):
    """One export per directory: an flock on DIR/.export.lock, refused at once if held."""
    from .warehouse import holder_lock

    path = Path(out_dir) / LOCK_NAME
    info = {"pid": os.getpid(), "started_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    with holder_lock(path, info, lambda: ExportLocked(_locked_message(path))):
        yield path


def _locked_message(path: Path) -> str:
    from .warehouse import _cmdline, pid_alive

    who = "another export"
    try:
        info = json.loads(path.read_text() or "null") or {}
    except (OSError, ValueError):
        info = {}
    pid = int(info.get("pid") or 0)
    if pid and pid_alive(pid):
        who = f"another export (PID {pid}, started {info.get('started_at', '?')}: " \
              f"{_cmdline(pid) or '?'})"
    return (
        f"{who} is publishing into {path.parent} right now; this export did nothing. "
        "Fix: wait for it to finish and rerun (its result is the newest version)"
    )


# --------------------------------------------------------------------------- consistency


def check_consistency(con, catalog: str, tables: list[tuple[str, str]]) -> dict:
    """One config_version and one as-of date across the exported tables, or raise.

    Every table with a ``config_version`` column (except the history tables,
    which keep earlier versions on purpose) must carry exactly one, the same; every
    ``as_of_date`` column and the last ``date_day`` of the daily marts must agree.
    Returns ``{"config_version": ..., "as_of_date": ...}``.
    """
    versions: dict[str, set] = {}
    as_of: dict[str, set] = {}
    for schema, table in tables:
        if table in HISTORY_TABLES:
            continue
        cols = {
            r[0].lower()
            for r in con.execute(
                "select column_name from information_schema.columns "
                "where table_catalog = ? and table_schema = ? and table_name = ?",
                [catalog, schema, table],
            ).fetchall()
        }
        rel = f"{_q(catalog)}.{_q(schema)}.{_q(table)}"
        name = f"{schema}.{table}"
        if "config_version" in cols:
            versions[name] = {
                r[0] for r in con.execute(f"select distinct config_version from {rel}").fetchall()
            }
        if "as_of_date" in cols:
            as_of[name] = {
                str(r[0])[:10]
                for r in con.execute(
                    f"select distinct as_of_date from {rel} where as_of_date is not null"
                ).fetchall()
            }
        elif "date_day" in cols and "config_version" in cols and schema == "marts":
            last = con.execute(f"select max(date_day) from {rel}").fetchone()[0]
            as_of[name] = {str(last)[:10]} if last is not None else set()
    problems = []
    all_versions = set().union(*versions.values()) if versions else set()
    if len(all_versions) > 1:
        by = "; ".join(f"{t}: {', '.join(sorted(map(str, v)))}"
                       for t, v in sorted(versions.items()) if v)
        problems.append(f"{len(all_versions)} config versions ({by})")
    all_as_of = set().union(*as_of.values()) if as_of else set()
    if len(all_as_of) > 1:
        by = "; ".join(f"{t}: {', '.join(sorted(v))}" for t, v in sorted(as_of.items()) if v)
        problems.append(f"{len(all_as_of)} as-of dates ({by})")
    if problems:
        raise InconsistentWarehouse(
            "the marts do not come from one build: " + " and ".join(problems)
            + ". Nothing was published. Fix: rebuild the whole warehouse (`health build`) "
            "and export again"
        )
    return {
        "config_version": next(iter(all_versions)) if all_versions else None,
        "as_of_date": next(iter(all_as_of)) if all_as_of else None,
    }


# --------------------------------------------------------------------------- export


def export(
    db_path: Path,
    out_dir: Path,
    *,
    formats: tuple[str, ...] = ("parquet", "duckdb"),
    keep: int = 3,
    grace: float = DEFAULT_GRACE_SECONDS,
    schemas: tuple[str, ...] = EXPORT_SCHEMAS,
    log=None,
) -> ExportResult:
    """Write every table of ``schemas`` to a new version and swap ``current`` to it."""
    started = time.monotonic()
    out_dir = Path(out_dir).resolve()
    versions = out_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    with export_lock(out_dir):
        for tmp in versions.glob(".tmp-*"):  # under the lock every temp dir is a leftover
            _rmtree_readonly(tmp)
        version = _new_version_name(versions)
        staging = versions / f".tmp-{version}-{os.getpid()}-{secrets.token_hex(4)}"
        staging.mkdir()
        try:
            manifest_tables, counts, meta = _write_version(
                Path(db_path), staging, version, formats, schemas, log or (lambda _m: None)
            )
            _fsync_tree(staging)
            final = versions / version
            os.replace(staging, final)  # the complete version appears at once
        except BaseException:
            _rmtree_readonly(staging)
            raise
        current = out_dir / "current"
        if "parquet" in formats:
            write_views_file(out_dir, manifest_tables, version_dir=final)
        swap_symlink(current, Path("versions") / version)
        pruned = prune(out_dir, keep=keep, grace=grace)
    return ExportResult(
        version, final, current, counts, pruned, time.monotonic() - started,
        meta.get("config_version"), meta.get("as_of_date"),
    )


def _write_version(db_path, staging, version, formats, schemas, say):
    """Everything from one read-only attachment of the warehouse: one snapshot."""
    import duckdb

    con = duckdb.connect()
    counts: dict[str, int] = {}
    manifest_tables = []
    try:
        con.execute(f"attach {_sql_str(str(db_path.resolve()))} as health_src (read_only)")
        tables = list_tables(con, schemas, catalog="health_src")
        if not tables:
            raise NothingToExport(
                f"no tables in schemas {', '.join(schemas)} of {db_path}: build first"
            )
        meta = check_consistency(con, "health_src", tables)
        if "duckdb" in formats:
            copy = staging / DUCKDB_NAME
            con.execute(f"attach {_sql_str(str(copy))} as health_copy")
            for schema in sorted({s for s, _ in tables}):
                con.execute(f"create schema health_copy.{_q(schema)}")
        for schema, table in tables:
            rel = f"health_src.{_q(schema)}.{_q(table)}"
            n = con.execute(f"select count(*) from {rel}").fetchone()[0]
            cols = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'health_src' and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [schema, table],
            ).fetchall()
            entry = {
                "schema": schema,
                "table": table,
                "rows": int(n),
                "columns": [{"name": c, "type": t} for c, t in cols],
            }
            if "parquet" in formats:
                target = staging / schema / f"{table}.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                con.execute(
                    f"copy (select * from {rel}) to {_sql_str(str(target))} "
                    "(format parquet, compression zstd)"
                )
                entry["parquet"] = f"{schema}/{table}.parquet"
            if "duckdb" in formats:
                con.execute(
                    f"create table health_copy.{_q(schema)}.{_q(table)} as select * from {rel}"
                )
            counts[f"{schema}.{table}"] = int(n)
            manifest_tables.append(entry)
            say(f"{schema}.{table}: {n} rows")
        if "duckdb" in formats:
            con.execute("checkpoint health_copy")
            con.execute("detach health_copy")
        con.execute("detach health_src")
    finally:
        con.close()
    if "duckdb" in formats:
        _finish_duckdb_copy(staging / DUCKDB_NAME)
    manifest = {
        "version": version,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": str(db_path.resolve()),
        "formats": list(formats),
        "duckdb": DUCKDB_NAME if "duckdb" in formats else None,
        **meta,
        "tables": manifest_tables,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
    return manifest_tables, counts, meta


def write_views_file(out_dir: Path, tables: list[dict], version_dir: Path | None = None) -> Path:
    """``DIR/health_bi.duckdb``: a stable file of views over one version's parquet files.

    The views name the version directory itself (``versions/<id>/…``), not the
    ``current`` link: DuckDB opens a parquet file several times per query, and
    through a link swapped in between it would read two versions. A connection
    keeps the views of the file it opened (one version, consistent); connections
    opened after an export see the new one. Written under a unique temporary
    name and swapped in with ``os.replace``.
    """
    import duckdb

    out_dir = Path(out_dir).resolve()
    version_dir = Path(version_dir) if version_dir else (out_dir / "current").resolve()
    target = out_dir / VIEWS_NAME
    tmp = out_dir / f".{VIEWS_NAME}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    con = duckdb.connect(str(tmp))
    try:
        for schema in sorted({t["schema"] for t in tables}):
            con.execute(f"create schema if not exists {_q(schema)}")
        for t in tables:
            path = version_dir / t["parquet"]
            con.execute(
                f"create view {_q(t['schema'])}.{_q(t['table'])} as "
                f"select * from read_parquet({_sql_str(str(path))})"
            )
        con.execute("checkpoint")
    finally:
        con.close()
    tmp.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    _fsync(tmp)
    os.replace(tmp, target)
    return target


def views_version(out_dir: Path) -> str | None:
    """The version directory the views of ``health_bi.duckdb`` read (None if absent)."""
    import duckdb

    path = Path(out_dir) / VIEWS_NAME
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute(
            "select sql from duckdb_views() where not internal limit 1"
        ).fetchone()
    finally:
        con.close()
    m = re.search(r"versions/(v\d{8}T\d{6}Z-\d{4})/", row[0] if row else "")
    return m.group(1) if m else None


def _finish_duckdb_copy(target: Path) -> None:
    wal = target.with_name(target.name + ".wal")
    if wal.exists():  # pragma: no cover - checkpoint leaves none
        wal.unlink()
    # Read-only on disk too: BI tools must open it with read_only / access_mode=read_only.
    target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def _fsync_tree(root: Path) -> None:
    """Flush the new files to disk before they are published (crash safety)."""
    for path in sorted(root.rglob("*"), reverse=True):
        _fsync(path)
    _fsync(root)


def swap_symlink(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` atomically (create a temp link, rename it over)."""
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
    os.symlink(target, tmp, target_is_directory=True)
    if link.exists() and not link.is_symlink():
        tmp.unlink()
        raise RuntimeError(f"{link} exists and is not a symlink: move it away first")
    os.replace(tmp, link)


def _published_at(version_dir: Path) -> float:
    try:
        created = json.loads((version_dir / "manifest.json").read_text())["created_at"]
        return datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    except (OSError, ValueError, KeyError):
        return version_dir.stat().st_mtime


def prune(out_dir: Path, keep: int = 3, grace: float = DEFAULT_GRACE_SECONDS) -> list[str]:
    """Delete old versions: beyond the ``keep`` newest and superseded ``grace`` seconds ago.

    Never the version ``current`` or ``health_bi.duckdb`` points at. A version is
    superseded when the next one was published (its manifest's created_at).
    """
    out_dir = Path(out_dir)
    versions = out_dir / "versions"
    protected = {(out_dir / "current").resolve().name, views_version(out_dir)}
    names = sorted(p.name for p in versions.iterdir() if VERSION_RE.match(p.name))
    now = time.time()
    removed = []
    for i, name in enumerate(names[: max(0, len(names) - max(keep, 1))]):
        if name in protected:
            continue
        superseded_at = _published_at(versions / names[i + 1])
        if now - superseded_at < grace:
            continue
        _rmtree_readonly(versions / name)
        removed.append(name)
    return removed


def _rmtree_readonly(path: Path) -> None:
    """Remove a version directory (its read-only DuckDB copy included)."""
    if not path.exists():
        return
    for sub in path.rglob("*"):
        if sub.is_file() and not sub.is_symlink():
            sub.chmod(stat.S_IRUSR | stat.S_IWUSR)
    shutil.rmtree(path, ignore_errors=True)


def resolve_current(out_dir: Path) -> Path:
    """The version directory ``current`` points to right now (resolve once per read)."""
    return (Path(out_dir) / "current").resolve(strict=True)
