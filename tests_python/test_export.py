"""export: parquet + read-only DuckDB copy, published by an atomic symlink swap.

The key property: a reader that resolves ``current`` sees either the old complete
table set or the new complete one, never a mix and never a partial file.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from healthwh import export  # noqa: E402

TABLES = ("marts.fct_account_health_daily", "marts.rpt_at_risk_queue",
          "backtest.backtest_summary")


def make_source(db: Path, build_id: int) -> Path:
    """A warehouse whose every table carries build_id and build_id-dependent row counts."""
    con = duckdb.connect(str(db))
    for schema in ("marts", "backtest", "staging"):
        con.execute(f"create schema if not exists {schema}")
    for i, table in enumerate(TABLES):
        n = 2000 * build_id + 100 * i
        con.execute(f"create or replace table {table} as select {build_id} as build_id, "
                    f"range as row_id, 'payload ' || range as txt from range({n})")
    con.execute("create or replace table staging.not_exported as select 1 as x")
    con.close()
    return db


def expected_rows(build_id: int, table: str) -> int:
    return 2000 * build_id + 100 * TABLES.index(table)


def read_version(version_dir: Path) -> dict[str, tuple[set, int]]:
    """Read every parquet of one version: {table: (build ids, rows)}."""
    manifest = json.loads((version_dir / "manifest.json").read_text())
    con = duckdb.connect()
    out = {}
    for t in manifest["tables"]:
        path = version_dir / t["parquet"]
        ids, n = con.execute(
            f"select list(distinct build_id), count(*) from read_parquet('{path}')"
        ).fetchone()
        out[f"{t['schema']}.{t['table']}"] = (set(ids), n)
        assert n == t["rows"], "parquet row count differs from the manifest"
    con.close()
    return out


@pytest.fixture()
def sources(tmp_path):
    return make_source(tmp_path / "a.duckdb", 1), make_source(tmp_path / "b.duckdb", 2)


def test_export_layout_and_manifest(sources, tmp_path):
    out = tmp_path / "bi"
    res = export.export(sources[0], out)
    current = out / "current"
    assert current.is_symlink() and not os.path.isabs(os.readlink(current))
    assert current.resolve() == res.version_dir.resolve()
    got = read_version(current.resolve())
    assert set(got) == set(TABLES)  # staging is not published
    for table, (ids, n) in got.items():
        assert ids == {1} and n == expected_rows(1, table)
    # the DuckDB copy has the same tables and is read-only on disk
    copy = current / export.DUCKDB_NAME
    assert not os.access(copy, os.W_OK) or os.geteuid() == 0
    assert not (copy.stat().st_mode & 0o222)
    con = duckdb.connect(str(copy), read_only=True)
    for table in TABLES:
        assert con.execute(f"select count(*) from {table}").fetchone()[0] == expected_rows(1, table)
    con.close()
    assert not list((out / "versions").glob(".tmp-*"))


def test_parquet_only_and_duckdb_only(sources, tmp_path):
    res = export.export(sources[0], tmp_path / "p", formats=("parquet",))
    assert not (res.version_dir / export.DUCKDB_NAME).exists()
    assert (res.version_dir / "marts" / "rpt_at_risk_queue.parquet").exists()
    res = export.export(sources[0], tmp_path / "d", formats=("duckdb",))
    assert (res.version_dir / export.DUCKDB_NAME).exists()
    assert not (res.version_dir / "marts").exists()


def test_prune_keeps_newest_versions(sources, tmp_path):
    out = tmp_path / "bi"
    made = [export.export(sources[i % 2], out, keep=2).version for i in range(4)]
    left = sorted(p.name for p in (out / "versions").iterdir())
    assert left == made[-2:]
    assert (out / "current").resolve().name == made[-1]


def test_failed_export_leaves_current_untouched(sources, tmp_path, monkeypatch):
    out = tmp_path / "bi"
    first = export.export(sources[0], out)

    def boom(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export, "_write_duckdb_copy", boom)
    with pytest.raises(OSError):
        export.export(sources[1], out)
    assert (out / "current").resolve() == first.version_dir.resolve()
    assert not list((out / "versions").glob(".tmp-*"))
    assert read_version((out / "current").resolve())["marts.rpt_at_risk_queue"][0] == {1}


def test_views_file_follows_each_export_without_reconnecting(sources, tmp_path):
    out = tmp_path / "bi"
    export.export(sources[0], out)
    con = duckdb.connect(str(out / export.VIEWS_NAME), read_only=True)  # a long-lived BI pool
    try:
        q = "select distinct build_id from marts.rpt_at_risk_queue"
        assert con.execute(q).fetchall() == [(1,)]
        export.export(sources[1], out)
        assert con.execute(q).fetchall() == [(2,)]
    finally:
        con.close()


def test_nothing_to_export(tmp_path):
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    with pytest.raises(export.NothingToExport):
        export.export(db, tmp_path / "bi")
    assert not (tmp_path / "bi" / "current").exists()


def test_reader_during_exports_never_sees_a_partial_or_mixed_set(sources, tmp_path):
    out = tmp_path / "bi"
    export.export(sources[0], out)
    stop = threading.Event()
    errors: list[str] = []
    seen: set[int] = set()
    reads = {"sets": 0, "files": 0}

    def reader():
        con = duckdb.connect()
        views = duckdb.connect(str(out / export.VIEWS_NAME), read_only=True)
        while not stop.is_set():
            try:
                # (1) a careful reader: resolve `current` once, read the whole set
                version = export.resolve_current(out)
                got = read_version(version)
                ids = set().union(*(i for i, _ in got.values()))
                if len(ids) != 1:
                    errors.append(f"mixed build ids {ids} in {version.name}")
                build = ids.pop()
                for table, (_, n) in got.items():
                    if n != expected_rows(build, table):
                        errors.append(f"{table}: {n} rows, expected {expected_rows(build, table)}")
                if set(got) != set(TABLES):
                    errors.append(f"incomplete table set {sorted(got)}")
                seen.add(build)
                reads["sets"] += 1
                # (3) the read-only DuckDB copy of the version resolved once
                copy = duckdb.connect(str(version / export.DUCKDB_NAME), read_only=True)
                try:
                    ids = {r[0] for t in TABLES for r in copy.execute(
                        f"select distinct build_id from {t}").fetchall()}
                finally:
                    copy.close()
                if len(ids) != 1:
                    errors.append(f"mixed DuckDB copy {ids}")
                reads["files"] += 1
            except Exception as exc:  # noqa: BLE001 - any failure in the reader is a finding
                errors.append(f"{type(exc).__name__}: {exc}")
        con.close()
        views.close()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(8):
            export.export(sources[(i + 1) % 2], out, keep=3)
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not errors, errors[:5]
    assert reads["sets"] >= 5 and seen == {1, 2}, (reads, seen)
    # Through the `current` link (a naive reader and the stable views file):
    # once the swaps are done they see the newest complete set. A query racing
    # a swap through the link can open files of two versions (DuckDB opens a
    # parquet file more than once per scan), so concurrent readers must
    # resolve `current` once -- see docs/bi.md.
    last_build = 1 + (8 % 2)
    path = out / "current" / "marts" / "rpt_at_risk_queue.parquet"
    con = duckdb.connect()
    ids, n = con.execute(
        f"select list(distinct build_id), count(*) from read_parquet('{path}')").fetchone()
    con.close()
    assert ids == [last_build] and n == expected_rows(last_build, "marts.rpt_at_risk_queue")
    views = duckdb.connect(str(out / export.VIEWS_NAME), read_only=True)
    ids, n = views.execute(
        "select list(distinct build_id), count(*) from marts.rpt_at_risk_queue").fetchone()
    views.close()
    assert ids == [last_build] and n == expected_rows(last_build, "marts.rpt_at_risk_queue")
