"""The same numbers on every engine (issue 15, docs/engines.md).

scripts/check.sh builds the small messy sample on DuckDB, loads its raw tables
into every other reachable engine and builds there (scripts/engines.sh); it
then sets HEALTH_COMPARE_DUCKDB (the DuckDB file) and HEALTH_ENGINES_BUILT.
These tests compare every table of the marts and backtest schemas of each
engine with DuckDB's: the same tables, columns and rows (keys, bands,
drivers, config_version, every text, date and flag equal), numbers equal to
1e-9 relative. An engine that was not built is skipped with the reason,
unless HEALTH_REQUIRE_ENGINES names it (CI), which makes it a failure.

To add an engine: a fetcher in FETCHERS (relation -> column names and rows as
Python values) and its name in ENGINES; scripts/engines.sh builds it.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from decimal import Decimal
from pathlib import Path

import pytest
from healthwh.engine_io import pg_connect

ENGINES = ["postgres", "spark"]
SCHEMAS = ["marts", "backtest"]
# columns that record when a build ran, not what it computed
RUN_TIME_COLUMNS = {"published_at", "built_at", "generated_at"}
REL_TOL = 1e-9
ABS_TOL = 1e-12


def duckdb_tables(path: str) -> dict[str, tuple[list[str], list[tuple]]]:
    import duckdb

    con = duckdb.connect(path, read_only=True)
    try:
        names = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in (select unnest(?)) order by 1, 2", [SCHEMAS]
        ).fetchall()
        out = {}
        for schema, table in names:
            cur = con.execute(f'select * from "{schema}"."{table}"')
            out[f"{schema}.{table}"] = ([d[0] for d in cur.description], cur.fetchall())
        return out
    finally:
        con.close()


def postgres_tables(relations: list[str]) -> dict[str, tuple[list[str], list[tuple]]]:
    con = pg_connect()
    try:
        out = {}
        with con.cursor() as cur:
            cur.execute(
                "select table_schema || '.' || table_name from information_schema.tables "
                "where table_schema = any(%s) and table_type = 'BASE TABLE'", (SCHEMAS,)
            )
            present = {r[0] for r in cur.fetchall()}
            for rel in relations:
                if rel not in present:
                    continue
                schema, table = rel.split(".")
                cur.execute(f'select * from "{schema}"."{table}"')
                out[rel] = ([d[0] for d in cur.description], cur.fetchall())
        return out
    finally:
        con.close()


def spark_tables(relations: list[str]) -> dict[str, tuple[list[str], list[tuple]]]:
    """Spark's tables from the parquet files of its local warehouse
    (HEALTH_SPARK_DIR/warehouse/<schema>.db/<table>, where session mode keeps
    managed tables): no second JVM, and exactly the values Spark wrote."""
    import duckdb

    default = Path(__file__).resolve().parents[1] / "data" / "spark"
    root = Path(os.environ.get("HEALTH_SPARK_DIR", default)) / "warehouse"
    con = duckdb.connect()
    try:
        out = {}
        for rel in relations:
            schema, table = rel.split(".")
            folder = root / f"{schema}.db" / table
            if not any(folder.rglob("*.parquet")):
                continue
            cur = con.execute(f"select * from read_parquet('{folder}/**/*.parquet')")
            out[rel] = ([d[0] for d in cur.description], cur.fetchall())
        return out
    finally:
        con.close()


FETCHERS = {"postgres": postgres_tables, "spark": spark_tables}


def normalise(value):
    """One Python value per meaning, whatever driver returned it."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def sort_key(row: tuple) -> tuple:
    # floats rounded for ordering only, so a last-bit difference cannot reorder rows
    return tuple(
        (0, "") if v is None else
        (1, round(v, 6)) if isinstance(v, float) else
        (2, str(v)) for v in row
    )


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)
    return a == b


def differences(relation: str, ref: tuple[list[str], list[tuple]],
                got: tuple[list[str], list[tuple]], limit: int = 5) -> list[str]:
    ref_cols, ref_rows = ref
    got_cols, got_rows = got
    lower = [c.lower() for c in got_cols]
    if sorted(lower) == sorted(c.lower() for c in ref_cols) and len(set(lower)) == len(lower):
        # the same columns in another order (Spark puts a table's partition
        # columns last): compare them by name
        at = [lower.index(c.lower()) for c in ref_cols]
        got_cols = [got_cols[i] for i in at]
        got_rows = [tuple(r[i] for i in at) for r in got_rows]
    if [c.lower() for c in ref_cols] != [c.lower() for c in got_cols]:
        return [f"{relation}: columns differ: duckdb {ref_cols} vs {got_cols}"]
    keep = [i for i, c in enumerate(ref_cols) if c.lower() not in RUN_TIME_COLUMNS]
    cols = [ref_cols[i] for i in keep]

    def prepared(rows):
        return sorted((tuple(normalise(r[i]) for i in keep) for r in rows), key=sort_key)

    a, b = prepared(ref_rows), prepared(got_rows)
    if len(a) != len(b):
        return [f"{relation}: {len(a)} rows on duckdb, {len(b)} on the engine"]
    out = []
    for ra, rb in zip(a, b, strict=True):
        bad = [f"{c}: {x!r} vs {y!r}"
               for c, x, y in zip(cols, ra, rb, strict=True) if not same(x, y)]
        if bad:
            out.append(f"{relation} row {dict(zip(cols, ra, strict=True))}: " + "; ".join(bad))
            if len(out) >= limit:
                break
    return out


def test_differences_catch_a_changed_number_and_a_changed_key():
    """The comparison itself can fail: a number off by more than 1e-9 relative,
    a different band, a missing row."""
    ref = (["account_id", "band", "score"], [("a", "red", 40.0), ("b", "green", 80.0)])
    assert differences("t", ref, (["account_id", "band", "score"],
                                  [("b", "green", 80.0), ("a", "red", Decimal("40.0"))])) == []
    assert differences("t", ref, (ref[0], [("a", "red", 40.0), ("b", "green", 80.0 + 1e-6)]))
    assert differences("t", ref, (ref[0], [("a", "watch", 40.0), ("b", "green", 80.0)]))
    assert differences("t", ref, (ref[0], [("a", "red", 40.0)]))
    assert differences("t", ref, (["account_id", "band", "points"], ref[1]))
    assert differences("t", ref, (["band", "account_id", "score"],
                                  [("red", "a", 40.0), ("green", "b", 80.0)])) == []
    assert differences("t", ref, (["band", "account_id", "score"],
                                  [("a", "red", 40.0), ("b", "green", 80.0)]))


@pytest.fixture(scope="session")
def duckdb_reference():
    path = os.environ.get("HEALTH_COMPARE_DUCKDB")
    if not path or not Path(path).exists():
        return None
    return duckdb_tables(path)


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_matches_duckdb(engine, duckdb_reference):
    built = os.environ.get("HEALTH_ENGINES_BUILT", "").split()
    required = os.environ.get("HEALTH_REQUIRE_ENGINES", "").replace(",", " ").split()
    if engine not in built or duckdb_reference is None:
        reason = (f"{engine} was not built from the small sample in this run "
                  "(scripts/check.sh builds every reachable engine, docs/engines.md)")
        if engine in required:
            pytest.fail(f"{engine} is required (HEALTH_REQUIRE_ENGINES) but {reason}")
        pytest.skip(reason)
    if engine not in FETCHERS:
        pytest.fail(f"no fetcher for {engine} in tests_python/test_engines.py")
    assert duckdb_reference, "DuckDB has no marts / backtest tables to compare"
    tables = FETCHERS[engine](sorted(duckdb_reference))
    missing = sorted(set(duckdb_reference) - set(tables))
    assert not missing, f"{engine} lacks {missing}"
    problems = []
    for relation in sorted(duckdb_reference):
        problems += differences(relation, duckdb_reference[relation], tables[relation])
    assert not problems, f"{engine} differs from duckdb:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("engine", ["postgres"])
def test_report_reads_the_chosen_target(engine, duckdb_reference, tmp_path):
    """`health.py report --target <engine>` reads that engine's marts: the
    snapshot it takes holds the engine's tables, and the report renders from it."""
    from healthwh import engines, report

    built = os.environ.get("HEALTH_ENGINES_BUILT", "").split()
    if engine not in built or duckdb_reference is None:
        reason = f"{engine} was not built from the small sample in this run"
        required = os.environ.get("HEALTH_REQUIRE_ENGINES", "").replace(",", " ").split()
        if engine in required:
            pytest.fail(f"{engine} is required (HEALTH_REQUIRE_ENGINES) but {reason}")
        pytest.skip(reason)
    snap = engines.snapshot(engine, tmp_path / f"{engine}.snapshot.duckdb")
    got = duckdb_tables(str(snap))
    assert {rel: len(rows) for rel, (_, rows) in got.items()} == {
        rel: len(rows) for rel, (_, rows) in duckdb_reference.items()}
    out = report.write_report(snap, tmp_path / "report.html")
    assert Path(out).stat().st_size > 10_000


def test_cli_target_is_checked(capsys):
    """--target takes duckdb, postgres or spark; commands that only work on a
    DuckDB file say so (usage error 2) instead of running on the wrong engine."""
    from healthwh import cli

    with pytest.raises(SystemExit) as exc:
        cli.main(["report", "--target", "oracle"])
    assert exc.value.code == 2
    assert cli.main(["calibrate", "--target", "postgres"]) == 2
    assert "works on DuckDB only" in capsys.readouterr().err
