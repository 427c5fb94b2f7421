"""`--target`: build on another engine and read its marts (docs/engines.md).

DuckDB is the default and is handled by the rest of the CLI. For another
target (postgres, spark) `build` runs dbt there (the engine's own
transactions; no build-beside-and-rename), and `report` / `export` first copy
the engine's marts, backtest and config tables into a local DuckDB snapshot
(``data/<target>.snapshot.duckdb``, replaced atomically) and then run
unchanged on that file, so the report and the BI export read the chosen
target's numbers.
"""

from __future__ import annotations

import os
from pathlib import Path

from .engine_io import pg_connect

TARGETS = ("duckdb", "postgres", "spark")
SNAPSHOT_SCHEMAS = ("config", "marts", "backtest")
COMMANDS = ("build", "report", "export")

# information_schema type -> DuckDB type of the snapshot
_PG_TYPES = {
    "double precision": "DOUBLE", "real": "DOUBLE", "numeric": "DOUBLE",
    "integer": "INTEGER", "bigint": "BIGINT", "smallint": "INTEGER",
    "text": "VARCHAR", "character varying": "VARCHAR", "character": "VARCHAR",
    "date": "DATE", "timestamp without time zone": "TIMESTAMP",
    "timestamp with time zone": "TIMESTAMPTZ", "boolean": "BOOLEAN",
}


def snapshot_path(project_dir: Path, target: str) -> Path:
    return Path(project_dir) / "data" / f"{target}.snapshot.duckdb"


def _postgres_tables(schemas) -> list[tuple[str, str, list[tuple[str, str]], list[tuple]]]:
    con = pg_connect()
    try:
        with con.cursor() as cur:
            cur.execute(
                "select table_schema, table_name, column_name, data_type "
                "from information_schema.columns where table_schema = any(%s) "
                "order by table_schema, table_name, ordinal_position", (list(schemas),))
            layout: dict[tuple[str, str], list[tuple[str, str]]] = {}
            for schema, table, column, data_type in cur.fetchall():
                layout.setdefault((schema, table), []).append((column, data_type))
            out = []
            for (schema, table), cols in layout.items():
                cur.execute(f'select * from "{schema}"."{table}"')
                out.append((schema, table, cols, cur.fetchall()))
            return out
    finally:
        con.close()


# DuckDB type of a parquet column -> the information_schema name _PG_TYPES reads
_DUCK_AS_PG = {
    "DOUBLE": "double precision", "FLOAT": "real", "BIGINT": "bigint", "INTEGER": "integer",
    "SMALLINT": "smallint", "TINYINT": "smallint", "VARCHAR": "text", "DATE": "date",
    "TIMESTAMP": "timestamp without time zone", "TIMESTAMP WITH TIME ZONE":
    "timestamp with time zone", "BOOLEAN": "boolean",
}


def _spark_tables(schemas) -> list[tuple[str, str, list[tuple[str, str]], list[tuple]]]:
    """Spark in session mode (profiles.yml): its managed tables are parquet
    files in HEALTH_SPARK_DIR/warehouse/<schema>.db/<table>, read without a
    JVM. (A cluster's tables are not on this machine: read them there.)"""
    import duckdb

    root = Path(os.environ.get("HEALTH_SPARK_DIR", Path(__file__).resolve().parents[2]
                               / "data" / "spark")) / "warehouse"
    con = duckdb.connect()
    try:
        out = []
        for schema in schemas:
            base = root / f"{schema}.db"
            if not base.is_dir():
                continue
            for folder in sorted(p for p in base.iterdir() if p.is_dir()):
                if not any(folder.rglob("*.parquet")):
                    continue
                types = con.execute(
                    f"select column_name, column_type from (describe select * from "
                    f"read_parquet('{folder}/**/*.parquet'))").fetchall()
                cols = [(c, "numeric" if t.startswith("DECIMAL") else _DUCK_AS_PG.get(t, "text"))
                        for c, t in types]
                rows = con.execute(
                    f"select * from read_parquet('{folder}/**/*.parquet')").fetchall()
                out.append((schema, folder.name, cols, rows))
        return out
    finally:
        con.close()


FETCHERS = {"postgres": _postgres_tables, "spark": _spark_tables}


def _arrow_rows(cols: list[tuple[str, str]], rows: list[tuple]):
    """The rows as an Arrow table with the snapshot's column types (numbers
    that Postgres returns as Decimal become doubles, as _PG_TYPES says)."""
    import pyarrow as pa

    arrow_types = {
        "DOUBLE": pa.float64(), "INTEGER": pa.int32(), "BIGINT": pa.int64(),
        "VARCHAR": pa.string(), "DATE": pa.date32(), "TIMESTAMP": pa.timestamp("us"),
        "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"), "BOOLEAN": pa.bool_(),
    }
    arrays = []
    for i, (_, data_type) in enumerate(cols):
        duck = _PG_TYPES.get(data_type, "VARCHAR")
        values = [r[i] for r in rows]
        if duck == "DOUBLE":
            values = [None if v is None else float(v) for v in values]
        elif duck == "VARCHAR":
            values = [None if v is None else str(v) for v in values]
        arrays.append(pa.array(values, type=arrow_types[duck]))
    return pa.table(arrays, names=[f"c{i}" for i in range(len(cols))])


def snapshot(target: str, dest: Path) -> Path:
    """Copy the target's config / marts / backtest tables into the DuckDB file dest."""
    import duckdb

    if target not in FETCHERS:
        raise RuntimeError(f"reading the marts from {target} is not supported yet")
    tables = FETCHERS[target](SNAPSHOT_SCHEMAS)
    if not any(schema == "marts" for schema, *_ in tables):
        raise FileNotFoundError(
            f"{target} has no marts yet: run `health.py build --target {target}`")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for schema, table, cols, rows in tables:
            con.execute(f'create schema if not exists "{schema}"')
            ddl = ", ".join(f'"{c}" {_PG_TYPES.get(t, "VARCHAR")}' for c, t in cols)
            con.execute(f'create table "{schema}"."{table}" ({ddl})')
            if rows:
                # one columnar insert (row-by-row executemany took minutes per mart)
                con.register("snapshot_rows", _arrow_rows(cols, rows))
                con.execute(f'insert into "{schema}"."{table}" select * from snapshot_rows')
                con.unregister("snapshot_rows")
    finally:
        con.close()
    os.replace(tmp, dest)
    return dest


def run_on_target(args, console, commands: dict) -> int:
    """Run build / report / export against args.target (not duckdb)."""
    from .dbt_runner import EXIT_MISSING_DATA, EXIT_OK, EXIT_USAGE, invoke

    if args.command not in COMMANDS:
        console.error(f"`{args.command}` works on DuckDB only; with --target {args.target} use "
                      f"{', '.join(COMMANDS)} (docs/engines.md)")
        return EXIT_USAGE
    os.environ["HEALTH_TARGET"] = args.target
    snap = snapshot_path(args.project_dir, args.target)
    if args.command == "build":
        extra: list[str] = []
        for flag, name in (("--select", "select"), ("--exclude", "exclude")):
            if getattr(args, name, None):
                extra += [flag, *getattr(args, name)]
        for flag, name in (("--full-refresh", "full_refresh"), ("--fail-fast", "fail_fast")):
            if getattr(args, name, False):
                extra.append(flag)
        console.always(f"==> build: dbt build on target {args.target}")
        outcome = invoke(["build"], step="build", project_dir=args.project_dir, db_path=args.db,
                         vars_yaml=args.vars_yaml, threads=args.threads, extra=extra,
                         quiet=args.quiet, stream=console.stream)
        if not outcome.ok:
            console.error(outcome.message)
            return outcome.exit_code
        return EXIT_OK
    try:
        args.db = snapshot(args.target, snap)
    except FileNotFoundError as exc:
        console.error(f"Step {args.command} failed: {exc}")
        return EXIT_MISSING_DATA
    console.info(f"    read {args.target} into {args.db}")
    return int(commands[args.command](args, console) or 0)
