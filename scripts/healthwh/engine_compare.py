"""Compare the tables one engine built with DuckDB's (issue 15: same numbers everywhere).

A table matches when it has the same columns and the same rows: every column
that is not floating point (keys, dates, bands, drivers, ``config_version``,
counts, flags) equal, every floating-point column equal to ``rel_tol``
relative (``|a - b| <= rel_tol * max(|a|, |b|)``, or both null / both NaN).
Rows are matched after sorting both sides by every non-float column, then by
the float columns rounded to 6 significant digits, so neither engine's row
order matters.

The tables are read as Arrow tables; where they come from is the caller's
business (``read_duckdb`` for a DuckDB file, ``read_spark_warehouse`` for the
parquet files of a local Spark warehouse, which needs no JVM).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

# Columns that record when or where a build ran, not what it computed.
VOLATILE_COLUMNS = frozenset({"published_at", "built_at", "run_started_at", "invocation_id"})


def read_duckdb(db_path: str | Path, schemas: Iterable[str]) -> dict[str, pa.Table]:
    """{"schema.table": arrow table} for every table of `schemas` (read-only)."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        names = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in (select unnest(?)) order by 1, 2",
            [list(schemas)],
        ).fetchall()
        return {
            f"{s}.{t}": con.sql(f'select * from "{s}"."{t}"').to_arrow_table() for s, t in names
        }
    finally:
        con.close()


def read_spark_warehouse(warehouse: str | Path, schemas: Iterable[str]) -> dict[str, pa.Table]:
    """{"schema.table": arrow table} from a local Spark warehouse
    (<warehouse>/<schema>.db/<table>/*.parquet, as Spark stores managed tables)."""
    import duckdb

    out = {}
    con = duckdb.connect()
    try:
        for schema in schemas:
            base = Path(warehouse) / f"{schema}.db"
            if not base.is_dir():
                continue
            for table_dir in sorted(p for p in base.iterdir() if p.is_dir()):
                files = [f for f in table_dir.rglob("*.parquet")]
                if not files:
                    continue
                glob = str(table_dir / "**" / "*.parquet")
                out[f"{schema}.{table_dir.name}"] = con.sql(
                    f"select * from read_parquet('{glob}')"
                ).to_arrow_table()
    finally:
        con.close()
    return out


def _is_float(t: pa.DataType) -> bool:
    return pa.types.is_floating(t)


def _sortable(col: pa.ChunkedArray) -> list:
    out = []
    for v in col.to_pylist():
        if isinstance(v, float):
            v = None if math.isnan(v) else float(f"{v:.6g}")
        out.append((v is None, v))
    return out


def _normalise(table: pa.Table, columns: list[str], floats: set[str]) -> list[tuple]:
    """Rows as tuples in a canonical order (non-float columns first)."""
    order = [c for c in columns if c not in floats] + [c for c in columns if c in floats]
    cols = [table.column(c) for c in order]
    keys = [_sortable(c) for c in cols]
    values = [c.to_pylist() for c in cols]
    idx = sorted(range(table.num_rows), key=lambda i: tuple(k[i] for k in keys))
    return order, [tuple(v[i] for v in values) for i in idx]


def _same_float(a, b, rel_tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= rel_tol * max(abs(a), abs(b))


def _comparable(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Decimals as doubles, timestamps without zone, so engines' physical
    types do not matter (Spark writes decimal(38, x) and int32 where DuckDB
    has bigint; the values are what is compared)."""
    t = col.type
    if pa.types.is_decimal(t):
        return pc.cast(col, pa.float64())
    if pa.types.is_timestamp(t):
        return pc.cast(col, pa.timestamp("us"))
    if pa.types.is_integer(t):
        return pc.cast(col, pa.int64())
    if pa.types.is_large_string(t):
        return pc.cast(col, pa.string())
    return col


def compare_tables(
    expected: pa.Table, actual: pa.Table, rel_tol: float = 1e-9, name: str = "", limit: int = 5
) -> list[str]:
    """Problems that keep `actual` from equalling `expected` (empty = equal)."""
    label = f"{name}: " if name else ""
    exp_cols = [c for c in expected.column_names if c.lower() not in VOLATILE_COLUMNS]
    act_cols = {c.lower(): c for c in actual.column_names}
    missing = [c for c in exp_cols if c.lower() not in act_cols]
    extra = sorted(
        set(act_cols) - {c.lower() for c in expected.column_names} - VOLATILE_COLUMNS
    )
    if missing or extra:
        return [f"{label}columns differ: missing {missing}, extra {extra}"]
    if expected.num_rows != actual.num_rows:
        return [f"{label}{actual.num_rows} rows, expected {expected.num_rows}"]
    exp = pa.table({c: _comparable(expected.column(c)) for c in exp_cols})
    act = pa.table({c: _comparable(actual.column(act_cols[c.lower()])) for c in exp_cols})
    floats = {c for c in exp_cols if _is_float(exp.column(c).type) or _is_float(act.column(c).type)}
    order, exp_rows = _normalise(exp, exp_cols, floats)
    _, act_rows = _normalise(act, exp_cols, floats)
    problems = []
    for i, (e, a) in enumerate(zip(exp_rows, act_rows, strict=True)):
        for col, ev, av in zip(order, e, a, strict=True):
            if col in floats:
                ok = _same_float(
                    None if ev is None else float(ev), None if av is None else float(av), rel_tol
                )
            else:
                ok = ev == av
            if not ok:
                key = {c: v for c, v in zip(order, e, strict=True) if c not in floats}
                problems.append(f"{label}row {i} {key}: {col} = {av!r}, expected {ev!r}")
                break
        if len(problems) >= limit:
            problems.append(f"{label}(first {limit} differences shown)")
            break
    return problems


def compare_engines(
    reference: dict[str, pa.Table], other: dict[str, pa.Table], rel_tol: float = 1e-9
) -> list[str]:
    """Problems over every table of `reference` (a missing table is one)."""
    problems = []
    for name, table in sorted(reference.items()):
        if name not in other:
            problems.append(f"{name}: missing")
            continue
        problems += compare_tables(table, other[name], rel_tol=rel_tol, name=name)
    return problems
