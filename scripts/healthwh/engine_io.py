"""What the engine scripts share: the Postgres connection from the HEALTH_PG_*
variables (as profiles.yml reads them) and reading a DuckDB file's tables
for copying into another engine (scripts/load_raw.py, healthwh/load_raw_spark.py)."""

from __future__ import annotations

import os
import sys

import duckdb
import pyarrow as pa


def pg_connect():
    """A psycopg2 connection to the Postgres of the `postgres` target."""
    import psycopg2

    return psycopg2.connect(
        host=os.environ.get("HEALTH_PG_HOST", "127.0.0.1"),
        port=int(os.environ.get("HEALTH_PG_PORT", "5432")),
        user=os.environ.get("HEALTH_PG_USER", "health"),
        password=os.environ.get("HEALTH_PG_PASSWORD", "") or None,
        dbname=os.environ.get("HEALTH_PG_DATABASE", "health"),
        connect_timeout=10,
    )


def read_tables(duckdb_path: str, schemas) -> list[tuple[str, str, list, pa.Table]]:
    """(schema, table, [(column, duckdb type)], arrow table) for every table."""
    con = duckdb.connect(duckdb_path, read_only=True)
    try:
        out = []
        names = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in (select unnest(?)) order by 1, 2",
            [list(schemas)],
        ).fetchall()
        for schema, table in names:
            cols = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            data = con.sql(f'select * from "{schema}"."{table}"').to_arrow_table()
            out.append((schema, table, cols, data))
        return out
    finally:
        con.close()


def tables_to_copy(prog: str, duckdb_path: str, schemas_csv: str):
    """read_tables for a comma-separated schema list, or None after telling
    stderr why there is nothing to copy (no file, no tables)."""
    if not os.path.exists(duckdb_path):
        print(f"{prog}: no DuckDB file at {duckdb_path}", file=sys.stderr)
        return None
    tables = read_tables(duckdb_path, [s.strip() for s in schemas_csv.split(",") if s.strip()])
    if not tables:
        print(f"{prog}: no tables in schemas {schemas_csv} of {duckdb_path}", file=sys.stderr)
        return None
    return tables
