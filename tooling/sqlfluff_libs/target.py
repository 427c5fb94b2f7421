"""Lint-time stand-in for dbt's `target`: the embedded DuckDB default."""

type = "duckdb"  # noqa: A001 - dbt's attribute name
name = "dev"
schema = "main"
database = "health"
threads = 1
