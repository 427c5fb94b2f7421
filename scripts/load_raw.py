"""Copy the raw tables of a DuckDB file into another engine (docs/engines.md).

    python scripts/load_raw.py --duckdb data/health.duckdb --target postgres

Reads every table of the given schemas (default ``raw`` and ``raw_audit``)
from the DuckDB file, read-only, and replaces the same tables in Postgres
(connection from the HEALTH_PG_* variables, as profiles.yml reads them),
keeping the column types: text, date, timestamp, numeric(p, s), integer,
bigint, boolean, double precision. Values travel as CSV through COPY, with
nulls unquoted and every other value quoted, so an empty string stays an empty
string and a null stays null. One transaction per run: readers never see
half a load. No DuckDB extension is needed.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys

import pyarrow as pa
import pyarrow.csv as pacsv
from healthwh.engine_io import pg_connect, tables_to_copy

# DuckDB type -> Postgres type (anything else is an error, never a silent text column)
_SIMPLE = {
    "VARCHAR": "text",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "SMALLINT": "smallint",
    "BOOLEAN": "boolean",
    "DOUBLE": "double precision",
    "FLOAT": "real",
}


def pg_type(duck_type: str) -> str:
    t = duck_type.upper()
    if t in _SIMPLE:
        return _SIMPLE[t]
    m = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", t)
    if m:
        return f"numeric({m.group(1)}, {m.group(2)})"
    raise SystemExit(f"load_raw: no Postgres type for DuckDB type {duck_type}")


def to_csv(data: pa.Table) -> bytes:
    buf = io.BytesIO()
    pacsv.write_csv(
        data, buf,
        write_options=pacsv.WriteOptions(include_header=False, quoting_style="all_valid"),
    )
    return buf.getvalue()


def load_postgres(tables) -> int:
    conn = pg_connect()
    rows = 0
    try:
        with conn, conn.cursor() as cur:
            for schema, table, cols, data in tables:
                cur.execute(f'create schema if not exists "{schema}"')
                cur.execute(f'drop table if exists "{schema}"."{table}" cascade')
                ddl = ", ".join(f'"{c}" {pg_type(t)}' for c, t in cols)
                cur.execute(f'create table "{schema}"."{table}" ({ddl})')
                names = ", ".join(f'"{c}"' for c, _ in cols)
                cur.copy_expert(
                    f'copy "{schema}"."{table}" ({names}) from stdin with (format csv)',
                    io.BytesIO(to_csv(data)),
                )
                rows += data.num_rows
            cur.execute("analyze")
    finally:
        conn.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--duckdb", default=os.environ.get("HEALTH_DUCKDB_PATH", "data/health.duckdb"),
                   help="DuckDB file holding the raw tables (read-only)")
    p.add_argument("--target", default="postgres", choices=["postgres"],
                   help="engine to load into")
    p.add_argument("--schemas", default="raw,raw_audit",
                   help="comma-separated schemas to copy (default raw,raw_audit)")
    a = p.parse_args(argv)
    tables = tables_to_copy("load_raw", a.duckdb, a.schemas)
    if tables is None:
        return 3
    rows = load_postgres(tables)
    print(f"load_raw: {len(tables)} tables, {rows:,} rows -> {a.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
