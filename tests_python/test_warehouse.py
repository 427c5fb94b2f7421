"""Builds that nothing can break, and a history that is never rewritten (issue 13).

One warehouse (the tiny 40-account sample, in a copy of the project so seeds can
be edited) is built once for the module; every later build is a *selection* just
below the config gate (``stg_config__health_playbooks+`` or
``stg_config__health_weights+``; the CLI adds the gate: seeds + validation),
tests excluded where the property does not need them. Such a build reloads the
seeds and rebuilds every mart and backtest table, so the marts change
config_version from one build to the next -- exactly what a reader must never
see mixed -- at a fraction of a full build's cost (``health_playbooks+`` would
rebuild everything: every config model depends on the validation). CI budget (~6
min): one full tiny build (models only) plus ~20 small selection builds; measured
5 min 8 s for this file on the 2-core machine at load ~3 (readers 148 s, kills
54 s, the full build 47 s, gate 36 s, seed edit 18 s) before every build ran in
one build directory (dbt's partial parse now survives from build to build).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import environ, make_raw_db
from healthwh import cli, export, warehouse

REPO = Path(__file__).resolve().parents[1]


HEALTH_PY = REPO / "scripts" / "health.py"
NO_TESTS = ["--exclude", "resource_type:test", "resource_type:unit_test"]
PROJECT_PARTS = ("models", "macros", "seeds", "tests", "analyses", "dbt_project.yml",
                 "profiles.yml")


# --------------------------------------------------------------------------- fixtures


class Warehouse:
    def __init__(self, root: Path):
        self.root = root
        self.project = root / "project"
        self.db = root / "data" / "health.duckdb"
        self.env = {"DBT_TARGET_PATH": str(root / "target"), "DBT_LOG_PATH": str(root / "logs"),
                    "DBT_PROFILES_DIR": str(self.project)}

    def seed(self, name: str) -> Path:
        return self.project / "seeds" / f"{name}.csv"

    @contextlib.contextmanager
    def edited_seed(self, name: str, edit):
        path = self.seed(name)
        original = path.read_text()
        path.write_text(edit(original))
        try:
            yield path
        finally:
            path.write_text(original)

    def build(self, *extra: str) -> tuple[int, str]:
        """`health.py build` in-process; (exit code, stdout + stderr)."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli.main(["build", "--project-dir", str(self.project), "--db", str(self.db),
                           "--quiet", *extra])
        return rc, out.getvalue() + err.getvalue()

    def cli_argv(self, *extra: str) -> list[str]:
        return [sys.executable, str(HEALTH_PY), "build", "--project-dir", str(self.project),
                "--db", str(self.db), *extra]


def set_playbook(wh: Warehouse, variant: int) -> None:
    """Two valid variants of health_playbooks.csv: a different config_version each."""
    path = wh.seed("health_playbooks")
    lines = path.read_text().splitlines()
    cells = lines[1].split(",")
    cells[1] = cells[1].split(" [variant")[0] + (f" [variant {variant}]" if variant else "")
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def snapshot(db: Path) -> dict:
    """config_version / as_of of the marts (raises if mixed) and the file's identity."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{db}' as w (read_only)")
        tables = export.list_tables(con, catalog="w")
        meta = export.check_consistency(con, "w", tables)
        published = con.execute(
            "select count(*) from w.marts.fct_account_health_published").fetchone()[0]
    finally:
        con.close()
    st = db.stat()
    return {**meta, "tables": len(tables), "published": published, "inode": st.st_ino,
            "mtime": st.st_mtime_ns}


def published_rows(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select account_id, date_day, health_score, band, primary_driver, config_version, "
            "published_at from marts.fct_account_health_published order by 1, 2").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def wh(tmp_path_factory) -> Warehouse:
    w = Warehouse(tmp_path_factory.mktemp("warehouse"))
    w.project.mkdir()
    for part in PROJECT_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, w.project / part)
        elif src.exists():
            shutil.copy2(src, w.project / part)
    w.db.parent.mkdir()
    make_raw_db(w.db)
    with environ(w.env):
        # the one full build: seeds and every model (the config gate runs its
        # validation tests; the data and unit tests run in check.sh's dbt build,
        # and no test here needs them)
        rc, out = w.build(*NO_TESTS)
        assert rc == 0, out[-4000:]
        w.base_config = snapshot(w.db)["config_version"]
        yield w


# --------------------------------------------------------------------------- lock waits


HOLD_LOCK = """
import sys, time
from pathlib import Path
from healthwh import warehouse
with warehouse.writer_lock(Path(sys.argv[1]), what="build"):
    print("ready", flush=True)
    sys.stdin.read()
"""

HOLD_DUCKDB = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
"""


@contextlib.contextmanager
def holder(script: str, *args: str):
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}  # healthwh without an install
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield proc
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()


def test_second_writer_refuses_at_once_and_names_the_first(wh):
    before = snapshot(wh.db)
    with holder(HOLD_LOCK, str(wh.db)) as proc:
        rc, out = wh.build()
        assert rc == 4, out
        assert f"PID {proc.pid}" in out and "being written by a build" in out, out
        assert "... ok" not in out and "nodes:" not in out  # refused before dbt ran
        gen = subprocess.run([sys.executable, str(HEALTH_PY), "generate", "--db", str(wh.db)],
                             capture_output=True, text=True, timeout=120)
        assert gen.returncode == 4 and f"PID {proc.pid}" in gen.stderr, gen.stderr
    # a process holding the live file for writing (a notebook without read_only)
    with holder(HOLD_DUCKDB, str(wh.db)) as proc:
        rc, out = wh.build("--select", "health_bands")
        assert rc == 4, out
        assert f"PID {proc.pid}" in out and "open for writing" in out, out
    assert snapshot(wh.db) == before
    assert not warehouse.build_dirs(wh.db)


# --------------------------------------------------------------------------- the gate


def _load_dbt_beside():
    spec = importlib.util.spec_from_file_location("dbt_beside", REPO / "scripts" / "dbt_beside.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shift_weights(text: str, delta_of, first_only: bool = False) -> str:
    """health_weights text with `delta_of(cells)` added to the weight of each row it
    returns a number for (only the first such row when `first_only`)."""
    lines = text.splitlines()
    w = lines[0].split(",").index("weight")
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        delta = delta_of(cells)
        if delta is None:
            continue
        cells[w] = str(round(float(cells[w]) + delta, 4))
        lines[i] = ",".join(cells)
        if first_only:
            break
    return "\n".join(lines) + "\n"


def _break_weights(text: str) -> str:
    """An invalid edit: the first default row gains 0.10 (default sums to 1.1)."""
    return _shift_weights(text, lambda cells: 0.1 if cells[0] == "default" else None,
                          first_only=True)


def test_a_selection_below_the_gate_publishes_nothing_after_a_failed_validation(wh):
    before = snapshot(wh.db)
    rows_before = published_rows(wh.db)
    with wh.edited_seed("health_weights", _break_weights):
        rc, out = wh.build("--select", "+stg_config__validation")
        assert rc == 1 and "health_weights" in out, out
        attempts = {
            "select below the gate": ["--select", "stg_config__health_weights+"],
            "select, gate excluded": ["--select", "stg_config__health_weights+",
                                      "--exclude", "stg_config__validation"],
        }
        for label, args in attempts.items():
            rc, out = wh.build(*args)
            assert rc == 1, (label, out[-3000:])
            assert "stg_config__validation" in out and "default" in out, (label, out[-3000:])
            assert "Nothing was published" in out, (label, out[-3000:])
            assert snapshot(wh.db) == before, label
        # plain dbt users: scripts/dbt_beside.py gives the same gate
        dbt_beside = _load_dbt_beside()
        rc = dbt_beside.main(["--db", str(wh.db), "build", "--select",
                              "stg_config__health_weights+", "--project-dir", str(wh.project),
                              "--profiles-dir", str(wh.project), *NO_TESTS])
        assert rc == 1
        assert snapshot(wh.db) == before
    assert published_rows(wh.db) == rows_before
    assert not warehouse.build_dirs(wh.db)


# --------------------------------------------------------------------------- history


def _reweight(text: str) -> str:
    """A valid edit: every profile but renewal moves 0.10 from usage to value."""
    return _shift_weights(text, lambda cells: (
        {"usage": -0.1, "value": 0.1}.get(cells[1]) if cells[0] != "renewal" else None))


def test_seed_edit_and_full_refresh_never_rewrite_published_rows(wh):
    before = snapshot(wh.db)
    con = duckdb.connect(str(wh.db))  # nothing else runs: this test is the only writer
    as_of = str(con.execute("select max(date_day) from marts.fct_account_health_daily")
                .fetchone()[0])
    # the last day as if it had not been published yet: the rebuild must append it
    con.execute("delete from marts.fct_account_health_published where date_day = ?", [as_of])
    con.close()
    earlier = published_rows(wh.db)
    assert earlier and {r[5] for r in earlier} == {before["config_version"]}
    with wh.edited_seed("health_weights", _reweight):
        rc, out = wh.build("--full-refresh", "--select", "stg_config__health_weights+",
                           *NO_TESTS)
        assert rc == 0, out[-3000:]
    after = snapshot(wh.db)
    assert after["config_version"] != before["config_version"]
    rows = published_rows(wh.db)
    old = [r for r in rows if str(r[1]) != as_of]
    new = [r for r in rows if str(r[1]) == as_of]
    assert old == earlier, "a published row was rewritten by a seed edit / full refresh"
    assert new and {r[5] for r in new} == {after["config_version"]}
    assert len({r[6] for r in new}) == 1 and new[0][6] > earlier[0][6]
    con = duckdb.connect(str(wh.db), read_only=True)
    try:
        # the daily mart recomputed history with the new weights: the frozen record differs
        changed, churned_changed = con.execute(
            """
            with last_day as (
                select account_id, max(date_day) as last_day
                from marts.fct_account_health_daily group by account_id
            )
            select
                count(*),
                count(distinct case when l.last_day < ? then d.account_id end)
            from marts.fct_account_health_daily as d
            inner join marts.fct_account_health_published as p
                on d.account_id = p.account_id and d.date_day = p.date_day
            inner join last_day as l on d.account_id = l.account_id
            where d.health_score <> p.health_score and p.date_day < ?
            """, [as_of, as_of]).fetchone()
    finally:
        con.close()
    assert changed > 0 and churned_changed > 0, (changed, churned_changed)
    # restore the original weights for the other tests (published rows stay as they are)
    rc, out = wh.build("--select", "stg_config__health_weights+", *NO_TESTS)
    assert rc == 0, out[-3000:]
    assert snapshot(wh.db)["config_version"] == before["config_version"]
    assert published_rows(wh.db) == rows


# --------------------------------------------------------------------------- readers


READER = r"""
import json, subprocess, sys, time
from pathlib import Path
import duckdb
db, stop, health, out_dir = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
def versions_in_one_connection():
    # notebook-style: one read-only connection, every mart and backtest table
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('marts', 'backtest') "
            "and table_name <> 'fct_account_health_published'").fetchall()
        cfg, as_of = set(), set()
        for schema, table in tables:
            cols = {r[0] for r in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ?", [schema, table]).fetchall()}
            if "config_version" in cols:
                cfg |= {r[0] for r in con.execute(
                    f"select distinct config_version from {schema}.{table}").fetchall()}
            if "as_of_date" in cols:
                as_of |= {str(r[0])[:10] for r in con.execute(
                    f"select distinct as_of_date from {schema}.{table}").fetchall()}
        # a view of the warehouse, joined to a mart (what a BI query does)
        n = con.execute("select count(*) from staging.base_crm__accounts as a "
                        "inner join marts.account_health_current as c "
                        "on a.account_id = c.account_id").fetchone()[0]
        return sorted(cfg), sorted(as_of), len(tables), n
    finally:
        con.close()
i = 0
while not stop.exists():
    t0 = time.time()
    rec = {"i": i}
    try:
        rec["cfg"], rec["as_of"], rec["tables"], rec["joined"] = versions_in_one_connection()
        if i % 6 == 1:  # the report, as a user runs it
            p = subprocess.run([sys.executable, health, "report", "--db", str(db), "--out",
                                str(out_dir / "report.html"), "--histories", "2", "-q"],
                               capture_output=True, text=True)
            rec["report"] = p.returncode
            rec["report_err"] = p.stderr[-500:]
        if i % 6 == 4:  # BI: export (refuses a mixed warehouse), then its views
            p = subprocess.run([sys.executable, health, "export", "--db", str(db), "--out",
                                str(out_dir / "bi"), "--format", "parquet", "--keep", "2",
                                "-q"], capture_output=True, text=True)
            rec["export"] = p.returncode
            rec["export_err"] = p.stderr[-500:]
            if p.returncode == 0:
                v = duckdb.connect(str(out_dir / "bi" / "health_bi.duckdb"), read_only=True)
                rec["views_cfg"] = sorted({r[0] for r in v.execute(
                    "select config_version from marts.rpt_at_risk_queue union "
                    "select config_version from marts.fct_account_health_daily").fetchall()})
                v.close()
    except Exception as exc:
        rec["error"] = f"{type(exc).__name__}: {exc}"
    rec["t0"], rec["t1"] = t0, time.time()
    print(json.dumps(rec), flush=True)
    i += 1
    time.sleep(0.3)
"""


def test_readers_never_break_a_build_and_always_read_one_version(wh, tmp_path):
    """10 builds alternating two configs while a reader loops: report, notebook, BI.

    Planted bug checked: building in place (``run_dbt`` on the live path) makes
    builds fail on the reader's lock and readers see two config versions.
    """
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(wh.db), str(stop), str(HEALTH_PY), str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    built, sizes = [], []
    try:
        for i in range(10):
            set_playbook(wh, 1 + i % 2)
            rc, out = wh.build("--select", "stg_config__health_playbooks+", *NO_TESTS)
            assert rc == 0, f"build {i} failed while the reader read: {out[-3000:]}"
            built.append(snapshot(wh.db)["config_version"])
            sizes.append(wh.db.stat().st_size)
        time.sleep(1.0)
    finally:
        stop.touch()
        stdout, stderr = reader.communicate(timeout=300)
        set_playbook(wh, 0)
    assert len(set(built)) == 2, built
    records = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    assert len(records) >= 10, (len(records), stderr[-2000:])
    errors = [r for r in records if "error" in r]
    assert not errors, errors[:3]
    for r in records:
        assert len(r["cfg"]) == 1 and len(r["as_of"]) == 1, f"mixed version read: {r}"
        assert r["tables"] >= 10 and r["joined"] > 0, r
        assert r.get("report", 0) == 0, r
        assert r.get("export", 0) == 0, r
        assert len(r.get("views_cfg", ["x"])) == 1, r
    seen = {r["cfg"][0] for r in records}
    assert len(seen) >= 2, f"the reader saw only {seen}: builds too fast for the test"
    assert any("report" in r for r in records) and any("export" in r for r in records)
    # the file does not grow with every rebuild (compaction keeps it under 2x its content)
    con = duckdb.connect(str(wh.db), read_only=True)
    used, total = con.execute(
        "select used_blocks, total_blocks from pragma_database_size()").fetchone()
    con.close()
    assert total <= warehouse.COMPACT_RATIO * used + 1, (used, total)
    assert max(sizes) <= 2.2 * min(sizes), sizes


# --------------------------------------------------------------------------- kills


KILL_POINTS = (
    "==> build",          # lock taken, copying the live file
    "seed config.",       # the config gate is loading seeds
    "model marts.",       # in the middle of the marts
    "model backtest.backtest_summary",  # the last models, just before publishing
)


def test_a_killed_build_leaves_the_last_good_warehouse(wh):
    before = snapshot(wh.db)
    for n, point in enumerate(KILL_POINTS):
        set_playbook(wh, 1 + n % 2)
        proc = subprocess.Popen(wh.cli_argv("--select", "stg_config__health_playbooks+",
                                            *NO_TESTS),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env={**os.environ, "HEALTH_THREADS": "1"})
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if point in line:
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait(timeout=120)
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL, (point, "".join(seen)[-2000:])
        now = snapshot(wh.db)  # readable, one config_version and one as-of (else it raises)
        assert now["tables"] == before["tables"] and now["as_of_date"] == before["as_of_date"]
        assert now["published"] == before["published"]
        if now["inode"] != before["inode"]:  # only a build that had finished publishing
            assert "published" in "".join(seen) or point == KILL_POINTS[-1], point
    # the next build (plain dbt users' route) cleans up and succeeds
    set_playbook(wh, 0)
    dbt_beside = _load_dbt_beside()
    rc = dbt_beside.main(["--db", str(wh.db), "build", "--select",
                          "stg_config__health_playbooks+",
                          "--project-dir", str(wh.project), "--profiles-dir", str(wh.project),
                          *NO_TESTS])
    assert rc == 0
    after = snapshot(wh.db)
    assert after["config_version"] == wh.base_config  # the seeds are the original ones
    assert not warehouse.build_dirs(wh.db)


# --------------------------------------------------------------------------- report helper


def test_published_history_marks_config_changes(tmp_path):
    from healthwh import published

    con = duckdb.connect()
    assert published.published_history(con, "a1") == []  # no table yet
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_account_health_published as select * from (values "
        "('a1', date '2026-01-01', 50.0, 'watch', 'usage', 'v1', timestamp '2026-01-01'),"
        "('a1', date '2026-01-02', 51.0, 'watch', 'usage', 'v1', timestamp '2026-01-02'),"
        "('a1', date '2026-01-03', 72.0, 'healthy', null, 'v2', timestamp '2026-01-03'),"
        "('a2', date '2026-01-03', 10.0, 'at_risk', 'billing', 'v3', timestamp '2026-01-03')"
        ") as t(account_id, date_day, health_score, band, primary_driver, config_version, "
        "published_at)")
    history = published.published_history(con, "a1")
    con.close()
    assert [h["health_score"] for h in history] == [50.0, 51.0, 72.0]
    changes = published.config_changes(history)
    assert [(str(c["date_day"]), c["from_version"], c["to_version"]) for c in changes] == [
        ("2026-01-03", "v1", "v2")]
