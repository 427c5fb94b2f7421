"""export: parquet + read-only DuckDB copy, published by an atomic symlink swap.

The key property: a reader that resolves ``current`` sees either the old complete
table set or the new complete one, never a mix and never a partial file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from healthwh import export

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
    made = [export.export(sources[i % 2], out, keep=2, grace=0).version for i in range(4)]
    left = sorted(p.name for p in (out / "versions").iterdir())
    assert left == made[-2:]
    assert (out / "current").resolve().name == made[-1]


def test_prune_waits_for_the_grace_period(sources, tmp_path):
    out = tmp_path / "bi"
    made = [export.export(sources[i % 2], out, keep=1, grace=3600).version for i in range(3)]
    left = sorted(p.name for p in (out / "versions").iterdir())
    assert left == made  # superseded seconds ago: a reader may still be on them
    assert export.prune(out, keep=1, grace=0) == made[:2]
    assert export.views_version(out) == made[-1]


def test_failed_export_leaves_current_untouched(sources, tmp_path, monkeypatch):
    out = tmp_path / "bi"
    first = export.export(sources[0], out)

    def boom(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export, "_finish_duckdb_copy", boom)
    with pytest.raises(OSError):
        export.export(sources[1], out)
    assert (out / "current").resolve() == first.version_dir.resolve()
    assert not list((out / "versions").glob(".tmp-*"))
    assert read_version((out / "current").resolve())["marts.rpt_at_risk_queue"][0] == {1}


def test_views_file_pins_a_connection_to_one_version_and_new_ones_follow(sources, tmp_path):
    out = tmp_path / "bi"
    export.export(sources[0], out)
    con = duckdb.connect(str(out / export.VIEWS_NAME), read_only=True)  # a long-lived BI pool
    q = "select distinct build_id from marts.rpt_at_risk_queue"
    try:
        assert con.execute(q).fetchall() == [(1,)]
        export.export(sources[1], out)
        # the open connection stays on its version (consistent, kept for the grace period)
        assert con.execute(q).fetchall() == [(1,)]
    finally:
        con.close()
    con = duckdb.connect(str(out / export.VIEWS_NAME), read_only=True)
    try:
        assert con.execute(q).fetchall() == [(2,)]
    finally:
        con.close()


def test_nothing_to_export(tmp_path):
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    with pytest.raises(export.NothingToExport):
        export.export(db, tmp_path / "bi")
    assert not (tmp_path / "bi" / "current").exists()


# A reader process (BI tools and notebooks are other processes). Each pass runs
# one query spanning all three tables -- so one query reads several parquet
# files -- through every stable path, and prints one JSON line per pass:
#   views_new   a new connection to DIR/health_bi.duckdb per pass
#   views_kept  one connection to DIR/health_bi.duckdb held across all exports
#   copy_link   a new connection to DIR/current/health_marts.duckdb per pass
#   copy_kept   one connection to DIR/current/health_marts.duckdb held throughout
#   resolved    DIR/current resolved once per pass, parquet files read from there
# The query is slowed by a cross join so that some passes span a swap. Held and
# new connections run in two processes: DuckDB hands a new connection to a file
# the same process holds open the instance already open (the old version).
READER = r"""
import json, sys, time
from pathlib import Path
import duckdb
out, stop, kinds = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
tables = ("marts.fct_account_health_daily", "marts.rpt_at_risk_queue",
          "backtest.backtest_summary")
def query(ref):
    parts = " union all ".join(
        f"select '{t}' as t, build_id from {ref(t)}" for t in tables)
    return (f"with u as ({parts}), slow as (select count(*) as n from u, range(40)) "
            "select t, list(distinct build_id), count(*), max(slow.n) from u, slow group by t")
if "views_kept" in kinds:
    kept_views = duckdb.connect(str(out / "health_bi.duckdb"), read_only=True)
    kept_copy = duckdb.connect(str(out / "current" / "health_marts.duckdb"), read_only=True)
def once(kind):
    if kind == "views_kept":
        return kept_views.execute(query(lambda t: t)).fetchall()
    if kind == "copy_kept":
        return kept_copy.execute(query(lambda t: t)).fetchall()
    if kind == "views_new":
        con = duckdb.connect(str(out / "health_bi.duckdb"), read_only=True)
    elif kind == "copy_link":
        con = duckdb.connect(str(out / "current" / "health_marts.duckdb"), read_only=True)
    else:
        con = duckdb.connect()
    try:
        if kind == "resolved":
            version = (out / "current").resolve()
            ref = lambda t: "read_parquet('%s')" % (version / (t.replace('.', '/') + '.parquet'))
            return con.execute(query(ref)).fetchall()
        return con.execute(query(lambda t: t)).fetchall()
    finally:
        con.close()
while not stop.exists():
    for kind in kinds:
        t0 = time.time()
        try:
            rows = once(kind)
            rec = {"kind": kind, "rows": [[t, ids, n] for t, ids, n, _ in rows]}
        except Exception as exc:
            rec = {"kind": kind, "error": f"{type(exc).__name__}: {exc}"}
        rec.update(t0=t0, t1=time.time())
        print(json.dumps(rec), flush=True)
"""


def test_readers_through_the_stable_paths_never_see_two_exports(sources, tmp_path):
    """10 exports alternating two builds while readers query every stable path.

    Planted bug checked: views written over ``current/...`` instead of the version
    directory give errors / mixed rows here; so does a non-atomic swap.
    """
    out = tmp_path / "bi"
    export.export(sources[0], out)
    stop = tmp_path / "stop"
    procs = [subprocess.Popen([sys.executable, "-c", READER, str(out), str(stop), kinds],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for kinds in ("views_new,copy_link,resolved", "views_kept,copy_kept")]
    swaps = []
    try:
        time.sleep(1.0)  # the reader is connected and reading version 1
        for i in range(10):
            res = export.export(sources[(i + 1) % 2], out, keep=2, grace=60)
            swaps.append(time.time())
            assert res.version_dir == export.resolve_current(out)
            time.sleep(0.15)
        time.sleep(0.5)
    finally:
        stop.touch()
        outputs = [proc.communicate(timeout=120) for proc in procs]
    records = [json.loads(line) for stdout, _ in outputs for line in stdout.splitlines()
               if line.strip()]
    assert records, [err for _, err in outputs]
    errors = [r for r in records if "error" in r]
    assert not errors, errors[:3]
    seen: dict[str, set] = {}
    for r in records:
        rows = {t: (ids, n) for t, ids, n in r["rows"]}
        assert set(rows) == set(TABLES), r
        builds = {b for ids, _ in rows.values() for b in ids}
        assert len(builds) == 1, f"{r['kind']}: one query read two exports {rows}"
        build = builds.pop()
        for table, (_, n) in rows.items():
            assert n == expected_rows(build, table), f"{r['kind']}: partial {table} {rows}"
        seen.setdefault(r["kind"], set()).add(build)
    spanning = [r for r in records if any(r["t0"] < s < r["t1"] for s in swaps)]
    assert len(spanning) >= 3, f"only {len(spanning)} queries spanned a swap: test too weak"
    # readers that (re)connect follow the exports; held connections stay on theirs
    for kind in ("views_new", "copy_link", "resolved"):
        assert seen.get(kind) == {1, 2}, (kind, seen)
    assert seen.get("views_kept") == {1} and seen.get("copy_kept") == {1}, seen
    # the held connection's version was kept for the grace period, others pruned
    left = sorted(p.name for p in (out / "versions").iterdir())
    assert len(left) == 11 and export.views_version(out) == left[-1]
    assert len(export.prune(out, keep=2, grace=0)) == 9


EXPORT_CMD = [sys.executable, str(Path(__file__).resolve().parents[1] / "scripts" / "health.py"),
              "export", "--format", "both"]


def test_two_exports_started_together_end_well_or_one_refuses(sources, tmp_path):
    out = tmp_path / "bi"
    for trial in range(3):
        procs = [subprocess.Popen([*EXPORT_CMD, "--db", str(sources[k]), "--out", str(out)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for k in (0, 1)]
        results = [(p.wait(timeout=120), p.stdout.read()) for p in procs]
        for p in procs:
            p.stdout.close()
        codes = sorted(rc for rc, _ in results)
        assert codes in ([0, 0], [0, 4]), results
        for rc, text in results:
            if rc == 4:
                # the refusal of the lock; it names the holder's PID only while the
                # holder is still alive when the message is written (a holder that
                # has just finished is gone: test_lock_refuses_a_second_export_and_names_it
                # pins the PID deterministically)
                assert "another export" in text and "did nothing" in text, text
        version = export.resolve_current(out)
        got = read_version(version)  # complete: every file of the manifest, right row counts
        assert set(got) == set(TABLES)
        builds = {b for ids, _ in got.values() for b in ids}
        assert len(builds) == 1, (trial, got)
        assert export.views_version(out) == version.name
        assert not list((out / "versions").glob(".tmp-*"))


def test_lock_refuses_a_second_export_and_names_it(sources, tmp_path):
    out = tmp_path / "bi"
    out.mkdir()
    with export.export_lock(out), pytest.raises(export.ExportLocked,
                                                match=f"PID {os.getpid()}"):
        export.export(sources[0], out)
    assert not (out / "current").exists()
    export.export(sources[0], out)  # released


def test_refuses_a_warehouse_whose_marts_come_from_two_builds(sources, tmp_path):
    db = tmp_path / "mixed.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute("create table marts.fct_account_health_daily as select 'cfg_new' as "
                "config_version, date '2026-09-30' as date_day")
    con.execute("create table marts.account_health_current as select 'cfg_old' as "
                "config_version, date '2026-08-31' as as_of_date")
    # several config versions on purpose: never a reason to refuse
    con.execute("create table marts.fct_account_health_published as select * from (values "
                "('cfg_old'), ('cfg_new')) as t(config_version)")
    con.close()
    out = tmp_path / "bi"
    with pytest.raises(export.InconsistentWarehouse) as exc:
        export.export(db, out)
    text = str(exc.value)
    assert "2 config versions" in text and "cfg_old" in text and "2 as-of dates" in text
    assert not (out / "current").exists() and not list((out / "versions").iterdir())
    con = duckdb.connect(str(db))
    con.execute("update marts.account_health_current set config_version = 'cfg_new', "
                "as_of_date = date '2026-09-30'")
    con.close()
    res = export.export(db, out)
    assert (res.config_version, res.as_of_date) == ("cfg_new", "2026-09-30")
    manifest = json.loads((res.version_dir / "manifest.json").read_text())
    assert manifest["config_version"] == "cfg_new" and manifest["as_of_date"] == "2026-09-30"
