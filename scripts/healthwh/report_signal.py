"""Signal in the open (issue 9): what the backtest says about the score's signal,
for the build summary and the HTML report.

- `build_summary_lines(db)`: after `health.py build`, the verdict of the
  backtest and every metric that is dead (constant or never observed) or
  saturated (> 90 % of its rows at one clamp), by name;
- `warning_html(con)`: a prominent banner when the score does not separate
  churners (AUC interval includes 0.5, or churn does not fall band by band);
  shown at the top of the report and above the at-risk queue;
- `section(con)`: the report section: the score beside the baselines (naive
  28-day core actions rank, with / without each cap) and the per-metric signal.

Every function degrades to nothing (or a note) when the backtest tables are
missing, so the report never fails because of this module.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

VERDICT_TEXT = {
    "separates": "the score separates churners from renewers",
    "no_significant_separation": "the score does NOT separate churners significantly: the 95 % "
    "interval of its churn AUC includes 0.5 (no better than chance)",
    "not_monotonic": "churn does NOT fall band by band: the bands do not order risk",
    "too_few_churned": "too few churned accounts (under 10) for any verdict: every figure is noise",
}


def _rows(con, sql: str) -> list[dict]:
    try:
        cur = con.execute(sql)
    except Exception:  # noqa: BLE001 - a missing table means "not built yet"
        return []
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=False)) for r in cur.fetchall()]


def _summary(con) -> dict | None:
    rows = _rows(con, "select * from backtest.backtest_summary")
    return rows[0] if rows else None


def _f(value, pattern: str = "{:.3f}") -> str:
    return "n/a" if value is None else pattern.format(value)


def verdict_line(summary: dict) -> str:
    verdict = summary.get("signal_verdict") or "unknown"
    return (f"backtest: {VERDICT_TEXT.get(verdict, verdict)} (AUC {_f(summary.get('auc_churn'))}, "
            f"95 % interval {_f(summary.get('auc_churn_ci_low'))} .. "
            f"{_f(summary.get('auc_churn_ci_high'))}, {summary.get('observations')} observations, "
            f"{summary.get('churned_accounts')} churned accounts, churn falls band by band: "
            f"{str(summary.get('is_churn_monotonic')).lower()})")


def build_summary_lines(db_path: str | Path) -> list[str]:
    """Lines to print after a build; empty when the backtest is not built."""
    import duckdb

    from .dbfile import alias_path

    try:
        con = duckdb.connect(str(alias_path(db_path)), read_only=True)  # raw/marts.duckdb
    except Exception:  # noqa: BLE001
        return []
    try:
        summary = _summary(con)
        metrics = _rows(con, "select metric, component, metric_weight, is_dead, is_saturated, "
                             "share_at_low_clamp, share_at_high_clamp, share_excluded, auc_churn "
                             "from backtest.backtest_metric_signal order by component, metric")
        baselines = _rows(con, "select signal, auc_churn from backtest.backtest_baselines "
                               "where sample = 'holdout'")
    finally:
        con.close()
    lines = []
    if summary:
        lines.append(verdict_line(summary))
        if not summary.get("has_signal"):
            lines.append("  WARNING: do not act on the bands or the at-risk queue as if they "
                         "ranked churn risk; see the report's signal section")
    held = {r["signal"]: r["auc_churn"] for r in baselines}
    if "health_score" in held and "naive_core_actions_28d" in held:
        lines.append(f"  held-out AUC: score {_f(held['health_score'])}, naive rank by 28-day "
                     f"core actions {_f(held['naive_core_actions_28d'])}")
    for row in metrics:
        if row["is_dead"]:
            lines.append(f"  metric {row['metric']} ({row['component']}): constant or null for "
                         "every observation: it carries no signal here")
        elif row["is_saturated"]:
            share = max(row["share_at_low_clamp"] or 0, row["share_at_high_clamp"] or 0)
            weight = "" if row["metric_weight"] else " (weight 0)"
            lines.append(f"  metric {row['metric']} ({row['component']}){weight}: {share:.0%} of "
                         "its rows at one clamp (saturated)")
    return lines


def print_build_summary(db_path: str | Path, emit: Callable[[str], None]) -> None:
    for line in build_summary_lines(db_path):
        emit(line)


def warning_html(con) -> str:
    """A prominent banner when the backtest finds no signal; '' otherwise."""
    summary = _summary(con)
    if not summary or summary.get("has_signal"):
        return ""
    verdict = summary.get("signal_verdict") or "unknown"
    return (
        '<div class="no-signal" role="alert" style="border:2px solid #b91c1c;background:#fef2f2;'
        'color:#7f1d1d;border-radius:8px;padding:12px 16px;margin:12px 0;font-weight:600">'
        "No proven signal: " + html.escape(VERDICT_TEXT.get(verdict, verdict)) + ". "
        f"Churn AUC {html.escape(_f(summary.get('auc_churn')))} (95 % interval "
        f"{html.escape(_f(summary.get('auc_churn_ci_low')))} .. "
        f"{html.escape(_f(summary.get('auc_churn_ci_high')))}). The bands and the at-risk queue "
        "are not evidence of churn risk until the backtest separates.</div>"
    )


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                   for r in rows)
    return f'<table class="signal"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def section(con) -> tuple[str, str, str, str]:
    """(anchor, title, intro, body) of the report's signal section."""
    anchor, title = "signal", "Signal: the score beside trivial rules"
    intro = ("Held-out AUC (later observation dates) of the score, the naive rank by 28-day core "
             "actions and the score with and without each cap, then each metric's own signal. "
             "A score that cannot beat the naive rank is not worth its complexity.")
    summary = _summary(con)
    baselines = _rows(con, "select * from backtest.backtest_baselines "
                           "order by signal_order, signal, sample")
    metrics = _rows(con, "select * from backtest.backtest_metric_signal order by component, metric")
    if not summary and not baselines:
        return anchor, title, intro, '<p class="note">The backtest is not built yet.</p>'
    parts = [warning_html(con)]
    if summary:
        parts.append(f"<p>{html.escape(verdict_line(summary))}</p>")
    by_signal: dict[str, dict[str, dict]] = {}
    for row in baselines:
        by_signal.setdefault(row["signal"], {})[row["sample"]] = row
    table_rows = []
    for signal, samples in by_signal.items():
        held, every = samples.get("holdout", {}), samples.get("all", {})
        table_rows.append([
            signal, _f(held.get("auc_churn")), _f(every.get("auc_churn")),
            _f(held.get("top_decile_lift"), "{:.2f}x"),
            _f(held.get("arr_weighted_lift"), "{:.2f}x"),
        ])
    parts.append(_table(["signal", "AUC held out", "AUC all dates", "top-decile lift (held out)",
                         "ARR-weighted lift (held out)"], table_rows))
    metric_rows = []
    for row in metrics:
        flag = "dead" if row["is_dead"] else ("saturated" if row["is_saturated"] else "")
        metric_rows.append([
            row["metric"], row["component"], _f(row["metric_weight"], "{:.2f}"),
            row["threshold_type"] or "", _f(row["share_excluded"], "{:.0%}"),
            _f(row["share_at_low_clamp"], "{:.0%}"), _f(row["share_at_high_clamp"], "{:.0%}"),
            _f(row["auc_churn"]), _f(row["worst_decile_lift"], "{:.2f}x"), flag,
        ])
    if metric_rows:
        parts.append(_table(["metric", "component", "weight", "thresholds", "excluded",
                             "at 0", "at 1", "AUC", "worst-decile lift", "flag"], metric_rows))
    return anchor, title, intro, "".join(parts)
