"""The DuckDB file under a catalog name that cannot clash with a schema name.

DuckDB names a file's catalog after the first dot-separated part of the file name,
so a database called ``raw.duckdb`` or ``marts.duckdb`` has a catalog ``raw`` /
``marts`` that clashes with the schema of the same name ("Ambiguous reference to
catalog or schema"). For such names dbt and the readers open the file through a
hard link ``<folder>/.health-alias/health_<name>.duckdb`` (catalog
``health_<name>``); every other file is opened as is. The link is the same file
(same inode), so there is still one database and one lock; it is re-made when
the file was replaced. DuckDB's write-ahead log sits next to the link while a
build runs and is folded into the file when the connection closes (after a
crash, the next build through the CLI replays it).
"""

from __future__ import annotations

import os
from pathlib import Path

# Schemas of this project (and DuckDB's reserved catalog names): a file whose
# catalog name is one of them is opened through an alias.
CLASHING = frozenset({
    "main", "raw", "raw_audit", "staging", "intermediate", "marts", "backtest", "config",
    "snapshots", "information_schema", "pg_catalog", "system", "temp", "memory",
})
ALIAS_DIR = ".health-alias"


def catalog_name(path: Path) -> str:
    """The catalog DuckDB (and dbt-duckdb) derive from a file name."""
    return Path(path).name.lstrip(".").split(".")[0]


def needs_alias(path: Path, extra_schemas: tuple[str, ...] = ()) -> bool:
    name = catalog_name(path).lower()
    return name in CLASHING or name in {s.lower() for s in extra_schemas}


def alias_path(path: Path, extra_schemas: tuple[str, ...] = ()) -> Path:
    """The path dbt and the readers should open (the file itself when no clash).

    A hard link (DuckDB resolves symbolic links, and would name the catalog after the
    target again), re-made whenever the file was replaced (e.g. regenerated)."""
    path = Path(path).resolve()
    if not needs_alias(path, extra_schemas):
        return path
    link = path.parent / ALIAS_DIR / f"health_{catalog_name(path)}.duckdb"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        import duckdb

        duckdb.connect(str(path)).close()  # create it, so the link has a file to share
    link.parent.mkdir(exist_ok=True)
    if not (link.exists() and os.path.samefile(link, path)):
        tmp = link.with_name(link.name + ".tmp")
        if tmp.exists() or tmp.is_symlink():
            tmp.unlink()
        os.link(path, tmp)
        os.replace(tmp, link)
    return link


def connect(path: Path, read_only: bool = True):
    """duckdb.connect() through alias_path(): `marts.x` works for any file name."""
    import duckdb

    return duckdb.connect(str(alias_path(path)), read_only=read_only)
