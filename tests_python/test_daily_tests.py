"""The day filter of data tests on a daily run (macros/incremental/health_incremental_tests.sql).

On an incremental run the tests of the relations in health_day_filtered_models()
check only the recomputed days. That is sound for a relation whose day d depends
only on inputs that move the recompute window when they change: the incremental
account-day models, int_account_days, the build plan and the config. A view
flagged `meta: {health_day_filtered: true}` must read nothing else (e.g. not the
backtest, whose labels look forward, nor staging, which is rebuilt in full).
Static check of the SQL files, no dbt run.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
# relations whose changes move recompute_from, or that are the config
STABLE = {"int_account_days", "int_build_plan", "int_config_version"}


def _model_files() -> dict[str, Path]:
    return {p.stem: p for p in MODELS.rglob("*.sql")}


def _flagged() -> set[str]:
    names = set()
    for path in MODELS.rglob("*.yml"):
        doc = yaml.safe_load(path.read_text()) or {}
        for model in doc.get("models") or []:
            meta = (model.get("config") or {}).get("meta") or {}
            if meta.get("health_day_filtered"):
                names.add(model["name"])
    return names


def _refs(sql: str) -> set[str]:
    refs = set(re.findall(r"ref\(\s*'([a-z0-9_]+)'\s*\)", sql))
    # health_imports({'alias': 'model', ...})
    for block in re.findall(r"health_imports\(\{(.*?)\}", sql, flags=re.S):
        refs |= set(re.findall(r"'[a-z0-9_]+'\s*:\s*'([a-z0-9_]+)'", block))
    return refs


def test_flagged_views_read_only_day_stable_relations():
    files = _model_files()
    incremental = {n for n, p in files.items() if "health_incremental_config()" in p.read_text()}
    flagged = _flagged()
    assert {"int_metric_subscores_wide", "int_health_scores_capped"} <= flagged
    assert len(incremental) >= 10
    seeds = {p.stem for p in (ROOT / "seeds").rglob("*.csv")}
    allowed = incremental | flagged | STABLE | seeds
    for name in sorted(flagged):
        assert name in files, f"{name} is flagged health_day_filtered but has no model"
        outside = {
            r for r in _refs(files[name].read_text())
            if r not in allowed and not r.startswith("stg_config__")
        }
        assert not outside, (
            f"{name} is flagged health_day_filtered but reads {sorted(outside)}: its tests "
            "would skip days that a change there can break"
        )


def test_the_filter_is_derived_not_listed():
    macro = (ROOT / "macros" / "incremental" / "health_incremental_tests.sql").read_text()
    assert "health_incremental_delete" in macro and "health_day_filtered" in macro
    assert "health_incremental_models" not in macro
