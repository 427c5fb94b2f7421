"""Copy the raw tables of a DuckDB file into local Spark (dbt-spark session mode).

    python -m healthwh.load_raw_spark --duckdb data/ci/health.duckdb

(from ``scripts/``) reads every table of the given schemas (default ``raw`` and
``raw_audit``) from the DuckDB file, read-only, and replaces the same tables
in the Spark warehouse and Hive metastore that the ``spark`` output of
``profiles.yml`` uses (``HEALTH_SPARK_DIR``). The Spark session is built from
that output's ``server_side_parameters``, rendered with the same environment
variables, so the loader and dbt always open the same metastore.

Values travel as parquet written by pyarrow and are stored as parquet tables.
Column types are kept: text -> string, date, timestamp (UTC, as Spark's
session-zone timestamp), decimal(p, s), integer, bigint, boolean, double.
A timestamp without zone is marked UTC on the way (SPEC §1: timestamps are
UTC), so Spark reads it as ``timestamp`` rather than ``timestamp_ntz``.

``load_spark(tables)`` takes the same ``(schema, table, columns, arrow table)``
tuples as ``scripts/load_raw.py``'s Postgres loader, so one CLI can offer both.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .engine_io import tables_to_copy

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCHEMAS = ("raw", "raw_audit")


def spark_dir() -> Path:
    """The folder of the metastore and warehouse (absolute: Spark and Derby
    resolve relative paths against the working directory)."""
    d = Path(os.environ.get("HEALTH_SPARK_DIR", str(ROOT / "data" / "spark")))
    return d if d.is_absolute() else (ROOT / d)


def spark_conf(profiles_dir: Path | None = None) -> dict[str, str]:
    """server_side_parameters of the profile's ``spark`` output, rendered."""
    import jinja2
    import yaml

    path = Path(profiles_dir or os.environ.get("DBT_PROFILES_DIR") or ROOT) / "profiles.yml"
    env = jinja2.Environment()

    def env_var(name: str, default: str | None = None) -> str:
        if name in os.environ:
            return os.environ[name]
        if default is None:
            raise SystemExit(f"load_raw_spark: environment variable {name} is not set")
        return default

    def render(value):
        if isinstance(value, str):
            return env.from_string(value).render(env_var=env_var)
        return value

    profile = yaml.safe_load(path.read_text())["customer_health"]["outputs"]["spark"]
    conf = {str(k): str(render(v)) for k, v in profile.get("server_side_parameters", {}).items()}
    # dbt-spark forces ANSI off in session mode; the loader matches it
    conf["spark.sql.ansi.enabled"] = "false"
    return conf


def spark_session(profiles_dir: Path | None = None):
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport().appName("health-load-raw")
    for key, value in spark_conf(profiles_dir).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _utc_timestamps(data: pa.Table) -> pa.Table:
    """Timestamps without zone -> UTC-marked microseconds (Spark `timestamp`)."""
    fields = []
    for f in data.schema:
        if pa.types.is_timestamp(f.type):
            fields.append(pa.field(f.name, pa.timestamp("us", tz="UTC"), f.nullable))
        else:
            fields.append(f)
    return data.cast(pa.schema(fields))


def load_spark(tables, spark=None) -> int:
    """Replace each table in Spark (schema created when missing); rows loaded."""
    own = spark is None
    spark = spark or spark_session()
    rows = 0
    tmp = Path(tempfile.mkdtemp(prefix="load-raw-", dir=spark_dir()))
    try:
        for schema, table, _cols, data in tables:
            path = tmp / f"{schema}.{table}.parquet"
            pq.write_table(_utc_timestamps(data), path)
            spark.sql(f"create database if not exists `{schema}`")
            spark.sql(f"drop table if exists `{schema}`.`{table}`")
            (
                spark.read.parquet(str(path))
                .write.format("parquet")
                .mode("overwrite")
                .saveAsTable(f"`{schema}`.`{table}`")
            )
            rows += data.num_rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if own:
            spark.stop()
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--duckdb",
        default=os.environ.get("HEALTH_DUCKDB_PATH", str(ROOT / "data" / "health.duckdb")),
        help="DuckDB file holding the raw tables (read-only)",
    )
    p.add_argument(
        "--schemas",
        default=",".join(DEFAULT_SCHEMAS),
        help="comma-separated schemas to copy (default raw,raw_audit)",
    )
    a = p.parse_args(argv)
    tables = tables_to_copy("load_raw_spark", a.duckdb, a.schemas)
    if tables is None:
        return 3
    spark_dir().mkdir(parents=True, exist_ok=True)
    rows = load_spark(tables)
    print(f"load_raw_spark: {len(tables)} tables, {rows:,} rows -> spark ({spark_dir()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
