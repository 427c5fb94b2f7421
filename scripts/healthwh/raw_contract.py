"""The raw-input contract, read from its one home: ``vars: raw_inputs`` in dbt_project.yml.

dbt reads the same block (macros/staging/raw_inputs.sql builds every base_* model
from it); Python takes its table lists from here instead of keeping copies.
Per table: the dbt ``source``, the ``enabled_by`` var (None = a required table),
``key``, ``null_key``, ``required``, ``time_column`` and the ordered ``columns``
(name -> {type, lower, values}).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def _project_file() -> Path:
    """dbt_project.yml of the checkout this module lives in (searched upwards)."""
    here = Path(__file__).resolve()
    for folder in here.parents:
        candidate = folder / "dbt_project.yml"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no dbt_project.yml above {here}")


@lru_cache(maxsize=4)
def raw_inputs(project_file: str | None = None) -> dict[str, dict]:
    """The contract: table name -> entry, in contract order, columns normalised to dicts."""
    import yaml

    path = Path(project_file) if project_file else _project_file()
    block = (yaml.safe_load(path.read_text()) or {}).get("vars", {}).get("raw_inputs")
    if not isinstance(block, dict) or not block:
        raise ValueError(f"{path} has no vars: raw_inputs block (the raw-input contract)")
    contract = {}
    for table, entry in block.items():
        columns = {}
        for name, spec in entry["columns"].items():
            spec = spec if isinstance(spec, dict) else {"type": spec}
            columns[name] = {"type": spec["type"], "lower": bool(spec.get("lower")),
                             "values": list(spec.get("values") or [])}
        contract[table] = {**entry, "required": list(entry.get("required") or []),
                           "columns": columns}
    return contract


def table_names() -> tuple[str, ...]:
    """Every raw input, in contract order."""
    return tuple(raw_inputs())


def required_tables() -> tuple[str, ...]:
    """The inputs that cannot be switched off."""
    return tuple(t for t, e in raw_inputs().items() if not e.get("enabled_by"))


def optional_table_vars() -> dict[str, str]:
    """Optional input -> the enable_* var that switches it off."""
    return {t: e["enabled_by"] for t, e in raw_inputs().items() if e.get("enabled_by")}
