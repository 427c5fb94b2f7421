"""Checks made before dbt runs: vars, the database path, an empty selection.

Every problem found here is the user's input, so it is reported as a usage error
(exit 2) or as missing input (exit 3) with a message naming the fix, never as a
traceback or a silent success. The known vars and their types come from the
``vars:`` block of ``dbt_project.yml`` (each var is declared once, there).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path

from . import raw_contract

EXIT_USAGE = 2
EXIT_MISSING_DATA = 3

# Vars holding a calendar day (null = the default rule).
DATE_VARS = ("as_of_date", "why_date_a", "why_date_b")
# Integer vars that count days and must be positive.
POSITIVE_DAY_VARS = ("backtest_interval_days", "backtest_horizon_days")
RAW_TABLES = raw_contract.table_names()
TRUE_WORDS = {"true", "yes", "on", "1"}
FALSE_WORDS = {"false", "no", "off", "0"}


class PreflightError(ValueError):
    """A problem with the user's input; ``exit_code`` says which kind."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE):
        super().__init__(message)
        self.exit_code = exit_code


def vars_loader():
    """A YAML SafeLoader that keeps dates as text, so a bad one (2026-13-01) is reported
    by check_vars as a usage error instead of a traceback from the YAML parser."""
    import yaml

    class VarsLoader(yaml.SafeLoader):
        pass

    VarsLoader.add_constructor(
        "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
    )
    return VarsLoader


def project_vars(project_dir: Path) -> dict:
    """The ``vars:`` block of dbt_project.yml (name -> default)."""
    import yaml

    path = Path(project_dir) / "dbt_project.yml"
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return {}
    block = data.get("vars") or {}
    return dict(block) if isinstance(block, dict) else {}


def _as_date(name: str, value):
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PreflightError(
        f"var {name} = {value!r} is not a date. Fix: write it as YYYY-MM-DD, "
        f"e.g. --vars '{{{name}: \"2026-06-30\"}}' (or null for the default)."
    )


def _as_bool(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
        return value.strip().lower() in TRUE_WORDS
    raise PreflightError(
        f"var {name} = {value!r} is not true or false. Fix: --vars '{{{name}: false}}'."
    )


def _as_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PreflightError(f"var {name} = {value!r} is not a whole number. Fix: e.g. "
                             f"--vars '{{{name}: 30}}'.")
    try:
        number = int(value)
    except ValueError:
        raise PreflightError(f"var {name} = {value!r} is not a whole number. Fix: e.g. "
                             f"--vars '{{{name}: 30}}'.") from None
    if name in POSITIVE_DAY_VARS and number < 1 or name.endswith("_days") and number < 0:
        raise PreflightError(f"var {name} = {number} must be at least "
                             f"{1 if name in POSITIVE_DAY_VARS else 0} (days).")
    return number


def _as_number(name: str, value) -> float | int:
    if isinstance(value, bool):
        raise PreflightError(f"var {name} = {value!r} is not a number.")
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        raise PreflightError(f"var {name} = {value!r} is not a number.") from None


def _check_raw_locations(value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PreflightError(
            "var raw_locations must map table names to file paths, e.g. "
            "--vars '{raw_locations: {product_events: \"/data/events/*.parquet\"}}'."
        )
    unknown = sorted(str(k) for k in value if str(k) not in RAW_TABLES)
    if unknown:
        raise PreflightError(
            f"var raw_locations names unknown table(s) {', '.join(unknown)}. "
            f"Known tables: {', '.join(RAW_TABLES)}."
        )
    return value


def check_vars(vars_dict: dict, project_dir: Path) -> tuple[dict, str | None]:
    """Validate --vars against dbt_project.yml; return (normalised dict, JSON for dbt).

    Unknown names (a typo such as ``enable_invoice``) and values of the wrong type
    (``as_of_date: 2026-13-01``) raise :class:`PreflightError` (exit 2)."""
    if not vars_dict:
        return {}, None
    known = project_vars(project_dir)
    if not known:  # no readable dbt_project.yml: nothing to check against
        return vars_dict, json.dumps(vars_dict, default=str, sort_keys=True)
    unknown = [str(k) for k in vars_dict if k not in known]
    if unknown:
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, list(known), n=1)
            hints.append(f"{name} (did you mean {close[0]}?)" if close else name)
        raise PreflightError(
            f"unknown var{'s' if len(unknown) > 1 else ''} {', '.join(hints)}. "
            f"Known vars (dbt_project.yml): {', '.join(sorted(known))}."
        )
    clean: dict = {}
    for name, value in vars_dict.items():
        default = known[name]
        if name in DATE_VARS:
            day = _as_date(name, value)
            clean[name] = day.isoformat() if day is not None else None
        elif name == "raw_locations":
            clean[name] = _check_raw_locations(value)
        elif value is None:
            clean[name] = None
        elif isinstance(default, bool):
            clean[name] = _as_bool(name, value)
        elif isinstance(default, int):
            clean[name] = _as_int(name, value)
        elif isinstance(default, float):
            clean[name] = _as_number(name, value)
        elif isinstance(default, str) and not isinstance(value, str):
            raise PreflightError(f"var {name} = {value!r} must be text.")
        else:
            clean[name] = value
    return clean, json.dumps(clean, default=str, sort_keys=True)


def check_build_db(db: Path, vars_dict: dict) -> PreflightError | None:
    """A build never creates the folder of --db (a typo would leave a folder and an
    empty database behind): the folder must exist. Only `generate` (and `run`, which
    generates sample data first) may create it."""
    db = Path(db)
    if not db.parent.is_dir():
        return PreflightError(
            f"the folder of --db {db} does not exist ({db.parent}). Fix: check the path, "
            f"or create the folder and run `health generate --db {db}` (sample data) or "
            "`health run` first.",
            EXIT_MISSING_DATA,
        )
    return None


def nothing_selected(counts: dict, selected: list[str] | None) -> PreflightError | None:
    """dbt succeeds when --select matches no node: that is a usage error here."""
    if sum(counts.values()) > 0:
        return None
    what = f"--select {' '.join(selected)}" if selected else "the selection"
    return PreflightError(
        f"{what} matched no node: nothing was built. Fix: check the model name "
        "(`dbt ls --select ...` lists what a selector matches) and the enable_* vars."
    )
