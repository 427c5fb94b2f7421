"""Publish the marts for BI readers, atomically.

Layout of ``--out DIR`` (default ``output/bi``)::

    DIR/
      current -> versions/v20261123T101500Z-0001      (relative symlink, swapped atomically)
      health_bi.duckdb                                 views over current/**.parquet (stable)
      versions/
        v20261123T101500Z-0001/
          marts/<table>.parquet                          one file per mart table
          backtest/<table>.parquet
          health_marts.duckdb                            read-only DuckDB copy (same schemas)
          manifest.json                                  tables, row counts, columns, as_of

A new version is written in full under ``versions/.tmp-…`` (beside the published
ones, same file system), renamed into place, and only then is ``current`` re-pointed
with ``os.replace`` of a symlink - a single atomic rename. A reader that resolves
``current`` once sees either the old complete set or the new complete set, never a
mix; older versions are kept (``--keep``) so a reader in the middle of the old set
can finish, then pruned.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .dbfile import alias_path

EXPORT_SCHEMAS = ("marts", "backtest")
DUCKDB_NAME = "health_marts.duckdb"
VIEWS_NAME = "health_bi.duckdb"
VERSION_RE = re.compile(r"^v\d{8}T\d{6}Z-\d{4}$")


class NothingToExport(RuntimeError):
    """The database has no mart tables (build first)."""


@dataclass
class ExportResult:
    version: str
    version_dir: Path
    current: Path
    tables: dict[str, int] = field(default_factory=dict)
    pruned: list[str] = field(default_factory=list)
    elapsed: float = 0.0


def _q(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def list_tables(con, schemas=EXPORT_SCHEMAS) -> list[tuple[str, str]]:
    marks = ", ".join("?" for _ in schemas)
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where lower(table_schema) in ({marks}) order by 1, 2",
        [s.lower() for s in schemas],
    ).fetchall()
    return [(s, t) for s, t in rows]


def _new_version_name(versions: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    existing = [p.name for p in versions.iterdir()] if versions.exists() else []
    n = 1 + max(
        (int(name.rsplit("-", 1)[1]) for name in existing if VERSION_RE.match(name)), default=0
    )
    return f"v{stamp}-{n:04d}"


def export(
    db_path: Path,
    out_dir: Path,
    *,
    formats: tuple[str, ...] = ("parquet", "duckdb"),
    keep: int = 3,
    schemas: tuple[str, ...] = EXPORT_SCHEMAS,
    log=None,
) -> ExportResult:
    """Write every table of ``schemas`` to a new version and swap ``current`` to it."""
    import duckdb

    started = time.monotonic()
    out_dir = Path(out_dir).resolve()
    versions = out_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    version = _new_version_name(versions)
    staging = versions / f".tmp-{version}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    say = log or (lambda _msg: None)
    counts: dict[str, int] = {}
    manifest_tables = []
    try:
        src = duckdb.connect(str(alias_path(db_path)), read_only=True)  # raw/marts.duckdb
        try:
            tables = list_tables(src, schemas)
            if not tables:
                raise NothingToExport(
                    f"no tables in schemas {', '.join(schemas)} of {db_path}: build first"
                )
            for schema, table in tables:
                rel = f"{_q(schema)}.{_q(table)}"
                n = src.execute(f"select count(*) from {rel}").fetchone()[0]
                cols = src.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
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
                    src.execute(
                        f"copy (select * from {rel}) to {_sql_str(str(target))} "
                        "(format parquet, compression zstd)"
                    )
                    entry["parquet"] = f"{schema}/{table}.parquet"
                counts[f"{schema}.{table}"] = int(n)
                manifest_tables.append(entry)
                say(f"{schema}.{table}: {n} rows")
            meta = _metadata(src)
        finally:
            src.close()
        if "duckdb" in formats:
            _write_duckdb_copy(db_path, staging / DUCKDB_NAME, tables)
        manifest = {
            "version": version,
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "source": str(Path(db_path).resolve()),
            "formats": list(formats),
            "duckdb": DUCKDB_NAME if "duckdb" in formats else None,
            **meta,
            "tables": manifest_tables,
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
        _fsync_tree(staging)
        final = versions / version
        os.replace(staging, final)  # the complete version appears at once
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    current = out_dir / "current"
    swap_symlink(current, Path("versions") / version)
    if "parquet" in formats:
        write_views_file(out_dir, manifest_tables)
    pruned = prune(out_dir, keep=keep)
    return ExportResult(
        version, final, current, counts, pruned, time.monotonic() - started
    )


def write_views_file(out_dir: Path, tables: list[dict]) -> Path:
    """``DIR/health_bi.duckdb``: a stable file of views over ``DIR/current/**.parquet``.

    For BI tools that keep connections open for hours (Metabase, Superset): every
    query re-resolves ``current``, so they follow each export without reconnecting.
    Replaced atomically (``os.replace``) only after ``current`` points at the new set.
    """
    import duckdb

    out_dir = Path(out_dir).resolve()
    target = out_dir / VIEWS_NAME
    tmp = out_dir / f".{VIEWS_NAME}.tmp-{os.getpid()}"
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        if leftover.exists():
            leftover.unlink()
    con = duckdb.connect(str(tmp))
    try:
        for schema in sorted({t["schema"] for t in tables}):
            con.execute(f"create schema if not exists {_q(schema)}")
        for t in tables:
            path = out_dir / "current" / t["parquet"]
            con.execute(
                f"create view {_q(t['schema'])}.{_q(t['table'])} as "
                f"select * from read_parquet({_sql_str(str(path))})"
            )
        con.execute("checkpoint")
    finally:
        con.close()
    tmp.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    os.replace(tmp, target)
    return target


def _metadata(con) -> dict:
    """as_of_date / config_version of the published scores, when available."""
    out: dict = {}
    try:
        row = con.execute(
            "select max(date_day), max(config_version) from marts.fct_account_health_daily"
        ).fetchone()
        out["as_of_date"] = str(row[0]) if row[0] is not None else None
        out["config_version"] = row[1]
    except Exception:  # noqa: BLE001 - metadata is optional
        pass
    return out


def _write_duckdb_copy(db_path: Path, target: Path, tables: list[tuple[str, str]]) -> None:
    import duckdb

    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach {_sql_str(str(Path(db_path).resolve()))} as src (read_only)")
        for schema in sorted({s for s, _ in tables}):
            con.execute(f"create schema if not exists {_q(schema)}")
        for schema, table in tables:
            con.execute(
                f"create table {_q(schema)}.{_q(table)} as "
                f"select * from src.{_q(schema)}.{_q(table)}"
            )
        con.execute("detach src")
        con.execute("checkpoint")
    finally:
        con.close()
    wal = target.with_name(target.name + ".wal")
    if wal.exists():  # pragma: no cover - checkpoint leaves none
        wal.unlink()
    # Read-only on disk too: BI tools must open it with read_only / access_mode=read_only.
    target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def _fsync_tree(root: Path) -> None:
    """Flush the new files to disk before they are published (crash safety)."""
    for path in sorted(root.rglob("*"), reverse=True):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


def swap_symlink(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` atomically (create a temp link, rename it over)."""
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp, target_is_directory=True)
    if link.exists() and not link.is_symlink():
        tmp.unlink()
        raise RuntimeError(f"{link} exists and is not a symlink: move it away first")
    os.replace(tmp, link)


def prune(out_dir: Path, keep: int = 3) -> list[str]:
    """Delete all but the ``keep`` newest versions (never the current one) and stale temps."""
    versions = Path(out_dir) / "versions"
    current = (Path(out_dir) / "current").resolve()
    names = sorted(p.name for p in versions.iterdir() if VERSION_RE.match(p.name))
    removed = []
    for name in names[: max(0, len(names) - max(keep, 1))]:
        path = versions / name
        if path.resolve() == current:
            continue
        _rmtree_readonly(path)
        removed.append(name)
    for tmp in versions.glob(".tmp-*"):
        if time.time() - tmp.stat().st_mtime > 3600:  # an export that crashed long ago
            _rmtree_readonly(tmp)
    return removed


def _rmtree_readonly(path: Path) -> None:
    """Remove a version directory (its read-only DuckDB copy included)."""
    for sub in path.rglob("*"):
        if sub.is_file() and not sub.is_symlink():
            sub.chmod(stat.S_IRUSR | stat.S_IWUSR)
    shutil.rmtree(path)


def resolve_current(out_dir: Path) -> Path:
    """The version directory ``current`` points to right now (resolve once per read)."""
    return (Path(out_dir) / "current").resolve(strict=True)
