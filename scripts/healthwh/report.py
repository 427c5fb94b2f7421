"""The HTML report: one self-contained file (inline CSS + SVG, a few lines of inline JS).

It reads the published marts read-only and draws:

* band separation (churn rate per band in the backtest, overall and per segment),
* the score distribution per segment,
* the at-risk queue with the points each component loses (top 15),
* the score history of an account with its band thresholds (top at-risk accounts
  embedded, switchable with a <select>),
* the driver summary (which components drive red accounts, by segment and month).

Every section degrades to a short note when its table is missing or empty, so the
report can be drawn from a partial build. Column names follow SPEC §5 and
docs/contracts.md; for tables whose columns the contract leaves open the report
looks for the usual names (listed in the ``_pick`` calls below).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from pathlib import Path

from . import quality, svg

COMPONENTS = ("usage", "value", "billing", "support", "sentiment")
COMPONENT_COLORS = {
    "usage": "#4c6ef5",
    "value": "#15aabf",
    "billing": "#f59f00",
    "support": "#e64980",
    "sentiment": "#7950f2",
}
DEFAULT_BANDS = (
    ("at_risk", 0.0, 40.0, "#d64545"),
    ("watch", 40.0, 70.0, "#e0a030"),
    ("healthy", 70.0, 100.0, "#3a9a5b"),
)
SEGMENT_COLORS = ("#475569", "#4c6ef5", "#15aabf", "#7950f2", "#e64980", "#94a3b8")
ALL_WORDS = {"overall", "all", "total", "(all)", "*", "any"}

TABLES = {
    "current": ("marts", "account_health_current"),
    "daily": ("marts", "fct_account_health_daily"),
    "components": ("marts", "fct_account_health_components"),
    "queue": ("marts", "rpt_at_risk_queue"),
    "drivers": ("marts", "rpt_driver_summary"),
    "separation": ("backtest", "backtest_band_separation"),
    "summary": ("backtest", "backtest_summary"),
    "bands": ("config", "health_bands"),
}


def _e(text) -> str:
    return escape("" if text is None else str(text), quote=True)


def _pick(columns: Sequence[str], *candidates: str) -> str | None:
    lower = {c.lower(): c for c in columns}
    for cand in candidates:
        if cand in lower:
            return lower[cand]
    return None


def _num(value) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class Warehouse:
    """Read-only access to the built DuckDB file (never holds a write lock)."""

    def __init__(self, db_path: Path):
        from .dbfile import connect  # a file named marts.duckdb / raw.duckdb works too

        self.con = connect(db_path, read_only=True)
        rows = self.con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "order by table_schema, table_name, ordinal_position"
        ).fetchall()
        self.columns: dict[tuple[str, str], list[str]] = defaultdict(list)
        for schema, table, column in rows:
            self.columns[(schema.lower(), table.lower())].append(column)

    def close(self) -> None:
        self.con.close()

    def cols(self, key: str) -> list[str]:
        return self.columns.get(TABLES[key], [])

    def has(self, key: str) -> bool:
        return TABLES[key] in self.columns

    def rel(self, key: str) -> str:
        schema, table = TABLES[key]
        return f'"{schema}"."{table}"'

    def rows(self, sql: str, params: Sequence = ()) -> list[dict]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=False)) for r in cur.fetchall()]


# --------------------------------------------------------------------------- sections


@dataclass
class Section:
    anchor: str
    title: str
    intro: str
    body: str


def _note(text: str) -> str:
    return f'<p class="note">{_e(text)}</p>'


def _missing(wh: Warehouse, key: str) -> str | None:
    if wh.has(key):
        return None
    schema, table = TABLES[key]
    return _note(
        f"{schema}.{table} is not in this database yet: build it with `health.py build` "
        "and rerun `health.py report`."
    )


def load_bands(wh: Warehouse) -> list[tuple[str, float, float, str]]:
    if not wh.has("bands"):
        return list(DEFAULT_BANDS)
    cols = wh.cols("bands")
    order = _pick(cols, "rank", "band_rank") or _pick(cols, "min_score")
    color = _pick(cols, "color")
    rows = wh.rows(f"select * from {wh.rel('bands')} order by {order}")
    out = []
    for r in rows:
        c = r.get(color) if color else None
        default = {b[0]: b[3] for b in DEFAULT_BANDS}.get(r["band"], "#64748b")
        out.append((str(r["band"]), float(r["min_score"]), float(r["max_score"]), c or default))
    return out or list(DEFAULT_BANDS)


def _band_color(bands, name) -> str:
    for b, _lo, _hi, color in bands:
        if b == name:
            return color
    return "#64748b"


def _band_of(bands, score: float) -> tuple[str, str]:
    for i, (name, lo, hi, color) in enumerate(bands):
        if lo <= score < hi or (i == len(bands) - 1 and score >= lo):
            return name, color
    return "", "#64748b"


def section_overview(wh: Warehouse, bands) -> tuple[str, dict]:
    """KPI tiles: accounts, ARR, band mix, as-of date."""
    meta: dict = {}
    if not wh.has("current"):
        return _missing(wh, "current") or "", meta
    cols = wh.cols("current")
    arr = _pick(cols, "arr")
    band = _pick(cols, "band")
    as_of = _pick(cols, "as_of_date", "date_day")
    cfg = _pick(cols, "config_version")
    rows = wh.rows(
        f"select {band or 'null'} as band, count(*) as n, "
        f"sum({arr or 'null'}) as arr from {wh.rel('current')} group by 1"
    )
    meta_row = wh.rows(
        f"select max({as_of or 'null'}) as as_of, max({cfg or 'null'}) as cfg "
        f"from {wh.rel('current')}"
    )[0]
    meta["as_of"] = _as_date(meta_row["as_of"])
    meta["config_version"] = meta_row["cfg"]
    total_n = sum(r["n"] for r in rows)
    total_arr = sum(_num(r["arr"]) or 0 for r in rows)
    tiles = [
        ("Customers scored", svg.fmt_num(total_n), ""),
        ("ARR", svg.fmt_num(total_arr), ""),
    ]
    by_band = {r["band"]: r for r in rows}
    for name, _lo, _hi, color in bands:
        r = by_band.get(name)
        n = r["n"] if r else 0
        a = (_num(r["arr"]) or 0) if r else 0
        share = f"{svg.fmt_pct(a / total_arr, 0)} of ARR" if total_arr else ""
        tiles.append((name.replace("_", " "), svg.fmt_num(n), share, color))
    html = ['<div class="tiles">']
    for t in tiles:
        label, value, sub = t[0], t[1], t[2]
        color = t[3] if len(t) > 3 else "#1f2937"
        html.append(
            f'<div class="tile" style="border-top-color:{_e(color)}"><div class="tl">{_e(label)}'
            f'</div><div class="tv">{_e(value)}</div><div class="ts">{_e(sub)}</div></div>'
        )
    html.append("</div>")
    return "".join(html), meta


def _overall_rows(rows: list[dict], cols: list[str]) -> tuple[list[dict], dict[str, list[dict]]]:
    """Split a sliced backtest table into overall rows and per-segment rows."""
    kind = _pick(cols, "slice", "slice_type", "grouping", "dimension", "breakdown", "cut",
                 "group_type", "level", "slice_name")
    value = _pick(cols, "slice_value", "group_value", "dimension_value", "value")
    seg = _pick(cols, "segment")
    quarter = _pick(cols, "quarter", "observation_quarter")

    def is_all(v) -> bool:
        return v is None or str(v).strip().lower() in ALL_WORDS

    overall: list[dict] = []
    segments: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if kind:
            k = str(r.get(kind) or "").lower()
            if is_all(r.get(kind)):
                overall.append(r)
            elif k == "segment":
                segments[str(r.get(value) if value else r.get(seg))].append(r)
            continue
        if quarter and not is_all(r.get(quarter)):
            continue
        if seg and not is_all(r.get(seg)):
            segments[str(r[seg])].append(r)
        else:
            overall.append(r)
    return overall, dict(sorted(segments.items()))


def section_separation(wh: Warehouse, bands) -> str:
    miss = _missing(wh, "separation")
    parts = []
    summary_html, base_rate = _summary_tiles(wh)
    if miss:
        return summary_html + miss
    cols = wh.cols("separation")
    band = _pick(cols, "band")
    churn = _pick(cols, "churn_rate", "churn_rate_pct", "churned_rate")
    nobs = _pick(cols, "observations", "n_observations", "observation_count", "n_obs", "n")
    lift = _pick(cols, "lift", "churn_lift", "lift_vs_base", "churn_lift_vs_base")
    if not band or not churn:
        return summary_html + _note(
            "backtest_band_separation has no band/churn_rate columns: cannot draw it."
        )
    rows = wh.rows(f"select * from {wh.rel('separation')}")
    if not rows:
        return summary_html + _note("The backtest has no labelled observations yet.")
    overall, segments = _overall_rows(rows, cols)
    order = [b[0] for b in bands]
    present = {str(r[band]) for r in rows}
    groups = [b for b in order if b in present] + sorted(present - set(order))

    def by_band(rs):
        m = {str(r[band]): r for r in rs}
        return [m.get(g) for g in groups]

    series = []
    notes = []
    if overall:
        ov = by_band(overall)
        series.append(("all accounts", [_band_color(bands, g) for g in groups],
                       [_num(r[churn]) if r else None for r in ov]))
        notes.append([f"n={svg.fmt_num(_num(r[nobs]))}" if (r and nobs) else "" for r in ov])
        if base_rate is None and nobs:
            tot = sum(_num(r[nobs]) or 0 for r in overall)
            if tot:
                base_rate = sum((_num(r[nobs]) or 0) * (_num(r[churn]) or 0) for r in overall) / tot
    for i, (name, rs) in enumerate(segments.items()):
        seg_rows = by_band(rs)
        series.append((name, SEGMENT_COLORS[(i + 1) % len(SEGMENT_COLORS)],
                       [_num(r[churn]) if r else None for r in seg_rows]))
        notes.append([f"n={svg.fmt_num(_num(r[nobs]))}" if (r and nobs) else "" for r in seg_rows])
    chart = svg.grouped_bars(
        [g.replace("_", " ") for g in groups],
        series,
        label="Churn rate per band in the backtest",
        ref_line=(base_rate, f"base rate {svg.fmt_pct(base_rate)}") if base_rate else None,
        width=max(560, 140 * len(groups) * max(1, len(series)) // 2),
        height=280,
        annotations=notes,
    )
    legend = ""
    if len(series) > 1:
        def swatch(c) -> str:
            if isinstance(c, str):
                return c
            return "linear-gradient(90deg," + ",".join(dict.fromkeys(c)) + ")"

        legend = '<div class="legend">' + "".join(
            f'<span><i style="background:{_e(swatch(c))}"></i>{_e(n)}</span>'
            for n, c, _ in series
        ) + "</div>"
    parts.append(summary_html)
    parts.append(f'<div class="chart">{chart}</div>{legend}')
    if lift and overall:
        ov = by_band(overall)
        cells = "".join(
            f"<td>{_e(g.replace('_', ' '))}: lift {_e(svg.fmt_num(_num(r[lift]), 2))}</td>"
            for g, r in zip(groups, ov, strict=False)
            if r
        )
        parts.append(f'<table class="mini"><tr>{cells}</tr></table>')
    return "".join(parts)


SUMMARY_LABELS = {
    "auc": "AUC (score vs churn)",
    "churn_auc": "AUC (score vs churn)",
    "auc_churn": "AUC (score vs churn)",
    "ks": "KS statistic",
    "ks_churn": "KS statistic",
    "churn_rate_ratio_lowest_vs_highest": "churn ratio lowest / highest band",
    "csm_agreement_rate": "agreement with CSM pulse",
    "ks_statistic": "KS statistic",
    "churn_rate_ratio": "churn ratio lowest / highest band",
    "churn_ratio_lowest_vs_highest": "churn ratio lowest / highest band",
    "lowest_to_highest_churn_ratio": "churn ratio lowest / highest band",
    "is_monotonic": "churn falls band by band",
    "churn_monotonic": "churn falls band by band",
    "is_churn_monotonic": "churn falls band by band",
    "observations": "observations",
    "n_observations": "observations",
    "churned": "churned",
    "base_churn_rate": "base churn rate",
    "base_rate": "base churn rate",
}


def _summary_tiles(wh: Warehouse) -> tuple[str, float | None]:
    if not wh.has("summary"):
        return _note("backtest.backtest_summary is not built yet (AUC, KS …)."), None
    cols = wh.cols("summary")
    rows = wh.rows(f"select * from {wh.rel('summary')}")
    if not rows:
        return _note("backtest_summary is empty."), None
    overall, _ = _overall_rows(rows, cols)
    row = overall[0] if overall else rows[0]
    base = None
    base_col = _pick(cols, "base_churn_rate", "base_rate", "overall_churn_rate", "churn_rate")
    if base_col:
        base = _num(row.get(base_col))
    tiles = []
    for col, value in row.items():
        label = SUMMARY_LABELS.get(col.lower())
        if label is None:
            continue
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif col.lower().endswith("rate"):
            text = svg.fmt_pct(_num(value))
        elif isinstance(value, int):
            text = svg.fmt_num(value)
        else:
            text = svg.fmt_num(_num(value), 2)
        tiles.append(
            f'<div class="tile small"><div class="tl">{_e(label)}</div>'
            f'<div class="tv">{_e(text)}</div></div>'
        )
    if not tiles:  # unknown column names: show every scalar
        for col, value in list(row.items())[:8]:
            tiles.append(
                f'<div class="tile small"><div class="tl">{_e(col)}</div>'
                f'<div class="tv">{_e(value)}</div></div>'
            )
    return '<div class="tiles">' + "".join(tiles) + "</div>", base


def section_distribution(wh: Warehouse, bands) -> str:
    miss = _missing(wh, "current")
    if miss:
        return miss
    cols = wh.cols("current")
    score = _pick(cols, "health_score")
    seg = _pick(cols, "segment")
    if not score:
        return _note("account_health_current has no health_score column.")
    rows = wh.rows(
        f"select {seg or repr('all')} as segment, {score} as score from {wh.rel('current')} "
        f"where {score} is not null"
    )
    if not rows:
        return _note("No current customers scored yet.")
    edges = [float(x) for x in range(0, 101, 10)]
    colors = [_band_of(bands, (edges[i] + edges[i + 1]) / 2)[1] for i in range(10)]

    def hist(scores):
        counts = [0] * 10
        for s in scores:
            counts[min(int(s // 10), 9) if s >= 0 else 0] += 1
        return counts

    groups: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        groups[str(r["segment"])].append(float(r["score"]))
    panels = [("all customers", [float(r["score"]) for r in rows])]
    if len(groups) > 1:
        panels += sorted(groups.items())
    html = ['<div class="grid">']
    for name, scores in panels:
        scores_sorted = sorted(scores)
        median = scores_sorted[len(scores_sorted) // 2]
        chart = svg.histogram(
            hist(scores), edges, colors,
            label=f"Score distribution: {name}",
            title=f"{name} · n={len(scores)} · median {median:.0f}",
        )
        html.append(f'<div class="chart">{chart}</div>')
    html.append("</div>")
    return "".join(html)


def _queue_rows(wh: Warehouse, limit: int = 15) -> tuple[list[dict], dict]:
    cols = wh.cols("queue")
    names = {
        "rank": _pick(cols, "queue_rank", "rank", "priority_rank", "risk_rank", "priority"),
        "account": _pick(cols, "account_id"),
        "name": _pick(cols, "account_name"),
        "segment": _pick(cols, "segment"),
        "score": _pick(cols, "health_score"),
        "band": _pick(cols, "band"),
        "arr": _pick(cols, "arr"),
        "driver": _pick(cols, "primary_driver", "driver"),
        "owner": _pick(cols, "csm_owner", "owner", "owner_role"),
        "action": _pick(cols, "next_action", "playbook", "action"),
        "change": _pick(cols, "score_change_28d", "score_change_7d", "trend"),
        "date": _pick(cols, "as_of_date", "date_day"),
        "cap": _pick(cols, "cap_rule"),
    }
    if names["rank"]:
        order = f'"{names["rank"]}"'
    elif names["score"] and names["arr"]:
        order = f'(100 - "{names["score"]}") * coalesce("{names["arr"]}", 0) desc'
    else:
        order = "1"
    rows = wh.rows(f"select * from {wh.rel('queue')} order by {order}, 1 limit {int(limit)}")
    return rows, names


def _points_lost(wh: Warehouse, rows: list[dict], names: dict, as_of: date | None) -> dict:
    """points lost per (account, component) at the queue's date."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    cols = wh.cols("queue")
    direct = {c: _pick(cols, f"{c}_points_lost") for c in COMPONENTS}
    if all(direct.values()):
        for r in rows:
            for c, col in direct.items():
                out[str(r[names["account"]])][c] = _num(r[col]) or 0.0
        return out
    if not wh.has("components") or not names["account"]:
        return out
    ccols = wh.cols("components")
    lost = _pick(ccols, "points_lost")
    comp = _pick(ccols, "component")
    day = _pick(ccols, "date_day")
    if not (lost and comp and day):
        return out
    ids = [str(r[names["account"]]) for r in rows]
    if not ids:
        return out
    if as_of is None:
        as_of = _as_date(wh.rows(f"select max({day}) as d from {wh.rel('components')}")[0]["d"])
    marks = ", ".join("?" for _ in ids)
    for r in wh.rows(
        f"select account_id, {comp} as component, {lost} as lost from {wh.rel('components')} "
        f"where {day} = ? and account_id in ({marks})",
        [as_of, *ids],
    ):
        out[str(r["account_id"])][str(r["component"])] = _num(r["lost"]) or 0.0
    return out


def section_queue(wh: Warehouse, bands, as_of: date | None) -> tuple[str, list[str]]:
    miss = _missing(wh, "queue")
    if miss:
        return miss, []
    rows, n = _queue_rows(wh)
    if not rows:
        return _note("The at-risk queue is empty: no customer is below the watch threshold."), []
    if n["date"]:
        as_of = _as_date(rows[0].get(n["date"])) or as_of
    lost = _points_lost(wh, rows, n, as_of)
    bars = []
    for i, r in enumerate(rows, start=1):
        acct = str(r.get(n["account"], "")) if n["account"] else ""
        name = str(r.get(n["name"]) or acct) if n["name"] else acct
        name = name if len(name) <= 28 else name[:27] + "…"
        score = _num(r.get(n["score"])) if n["score"] else None
        left = f"{i}. {name}" + (f"  ({score:.0f})" if score is not None else "")
        right_bits = []
        if n["arr"]:
            right_bits.append(f"ARR {svg.fmt_num(_num(r.get(n['arr'])))}")
        if n["cap"] and r.get(n["cap"]):
            right_bits.append(f"capped: {r.get(n['cap'])}")
        elif n["driver"] and r.get(n["driver"]):
            right_bits.append(f"driver: {r.get(n['driver'])}")
        if n["owner"] and r.get(n["owner"]):
            owner = str(r.get(n["owner"]))
            right_bits.append(owner if len(owner) <= 16 else owner[:15] + "…")
        vals = [lost.get(acct, {}).get(c, 0.0) for c in COMPONENTS]
        bars.append((left, " · ".join(right_bits), vals))
    chart = svg.stacked_hbars(
        bars, [(c, COMPONENT_COLORS[c]) for c in COMPONENTS],
        label="At-risk queue: points lost by component", xmax=100,
    )
    note = "" if any(any(v for v in b[2]) for b in bars) else _note(
        "No component points found (fct_account_health_components missing): bars are empty."
    )
    head = ["#", "account", "segment", "score", "band", "ARR", "28d change", "driver", "owner",
            "next action"]
    keys = ["name", "segment", "score", "band", "arr", "change", "driver", "owner", "action"]
    body = []
    for i, r in enumerate(rows, start=1):
        cells = [str(i)]
        for k in keys:
            col = n[k] if k != "name" else (n["name"] or n["account"])
            v = r.get(col) if col else None
            if k in {"arr"}:
                v = svg.fmt_num(_num(v))
            elif k in {"score", "change"} and _num(v) is not None:
                v = f"{_num(v):+.0f}" if k == "change" else f"{_num(v):.0f}"
            cells.append(v)
        band_color = _band_color(bands, r.get(n["band"])) if n["band"] else "#64748b"
        html_cells = []
        for j, c in enumerate(cells):
            text = "" if c is None else str(c)
            if j == 4 and text:
                html_cells.append(
                    f'<td><span class="pill" style="background:{_e(band_color)}">'
                    f"{_e(text)}</span></td>"
                )
            elif j == len(cells) - 1 and len(text) > 90:  # long playbooks: full text on hover
                html_cells.append(f'<td title="{_e(text)}">{_e(text[:88].rstrip())}…</td>')
            else:
                html_cells.append(f"<td>{_e(text)}</td>")
        body.append("<tr>" + "".join(html_cells) + "</tr>")
    table = (
        '<table class="data"><thead><tr>' + "".join(f"<th>{_e(h)}</th>" for h in head)
        + "</tr></thead><tbody>" + "".join(body) + "</tbody></table>"
    )
    ids = [str(r.get(n["account"])) for r in rows] if n["account"] else []
    return f'<div class="chart">{chart}</div>{note}{table}', ids


def section_history(
    wh: Warehouse, bands, account: str | None, queue_ids: list[str], top_n: int
) -> str:
    miss = _missing(wh, "daily")
    if miss:
        return miss
    cols = wh.cols("daily")
    score = _pick(cols, "health_score")
    if not score:
        return _note("fct_account_health_daily has no health_score column.")
    ids: list[str] = []
    missing_note = ""
    if account:
        found = wh.rows(
            f"select count(*) as n from {wh.rel('daily')} where account_id = ?", [account]
        )[0]["n"]
        if found:
            ids.append(account)
        else:
            missing_note = _note(f"Account {account} has no scores: showing the queue instead.")
    for a in queue_ids:
        if a not in ids:
            ids.append(a)
    if len(ids) < top_n:
        # fill with the lowest current scores (deterministic tie-break on account_id)
        extra = wh.rows(
            f"select account_id from {wh.rel('daily')} where date_day = "
            f"(select max(date_day) from {wh.rel('daily')}) order by {score}, account_id "
            f"limit {int(top_n) * 2}"
        )
        for r in extra:
            if str(r["account_id"]) not in ids:
                ids.append(str(r["account_id"]))
    ids = ids[: max(top_n, 1)]
    if not ids:
        return _note("No scored accounts yet.")
    name_col = None
    if wh.has("current"):
        name_col = _pick(wh.cols("current"), "account_name")
    names = {}
    if name_col:
        marks = ", ".join("?" for _ in ids)
        names = {
            str(r["account_id"]): r["n"]
            for r in wh.rows(
                f"select account_id, {name_col} as n from {wh.rel('current')} "
                f"where account_id in ({marks})", ids,
            )
        }
    extra_cols = [c for c in ("band", "primary_driver", "cap_rule", "segment") if c in cols]
    marks = ", ".join("?" for _ in ids)
    sel = ", ".join(["account_id", "date_day", f"{score} as score", *extra_cols])
    data = wh.rows(
        f"select {sel} from {wh.rel('daily')} where account_id in ({marks}) "
        "order by account_id, date_day",
        ids,
    )
    series: dict[str, list[dict]] = defaultdict(list)
    for r in data:
        series[str(r["account_id"])].append(r)
    options, panels = [], []
    for i, acct in enumerate(ids):
        pts = [(_as_date(r["date_day"]), _num(r["score"])) for r in series.get(acct, [])]
        last = series.get(acct, [{}])[-1] if series.get(acct) else {}
        label = names.get(acct) or acct
        score_now = _num(last.get("score"))
        caption_bits = [f"<b>{_e(label)}</b> ({_e(acct)})"]
        if last.get("segment"):
            caption_bits.append(_e(last["segment"]))
        if score_now is not None:
            caption_bits.append(f"score {score_now:.0f}")
        if last.get("band"):
            caption_bits.append(_e(str(last["band"]).replace("_", " ")))
        if last.get("primary_driver"):
            caption_bits.append(f"driver: {_e(last['primary_driver'])}")
        if last.get("cap_rule"):
            caption_bits.append(f"capped by {_e(last['cap_rule'])}")
        chart = svg.line_chart(pts, bands, label=f"Score history of {label}")
        hidden = "" if i == 0 else " hidden"
        panels.append(
            f'<div class="hist{hidden}" data-account="{_e(acct)}">'
            f'<p class="caption">{" · ".join(caption_bits)}</p>'
            f'<div class="chart">{chart}</div></div>'
        )
        opt = f"{label} ({acct})" + (f" — {score_now:.0f}" if score_now is not None else "")
        options.append(f'<option value="{_e(acct)}">{_e(opt)}</option>')
    select = (
        '<label class="pick">Account: <select id="acct" onchange="showAccount(this.value)">'
        + "".join(options) + "</select></label>"
    ) if len(ids) > 1 else ""
    return missing_note + select + "".join(panels)


def section_drivers(wh: Warehouse) -> str:
    miss = _missing(wh, "drivers")
    if miss:
        return miss
    cols = wh.cols("drivers")
    comp = _pick(cols, "primary_driver", "component", "driver")
    seg = _pick(cols, "segment")
    month = _pick(cols, "month", "month_start", "date_month", "report_month", "month_start_date")
    # accounts whose primary driver was the component (not the segment-month total)
    count = _pick(cols, "driver_accounts", "red_accounts", "accounts", "account_count",
                  "n_accounts", "driver_account_days", "account_days", "n")
    if not comp:
        return _note("rpt_driver_summary has no driver/component column: cannot draw it.")
    rows = wh.rows(f"select * from {wh.rel('drivers')}")
    if not rows:
        return _note("No red accounts in any month: the driver summary is empty.")

    def weight(r) -> float:
        return (_num(r.get(count)) or 0.0) if count else 1.0

    comps = [c for c in COMPONENTS if any(str(r[comp]) == c for r in rows)]
    comps += sorted({str(r[comp]) for r in rows} - set(comps))
    parts = []
    months = sorted({_as_date(r[month]) for r in rows if _as_date(r.get(month))}) if month else []
    latest = months[-1] if months else None

    def heat(title: str, row_keys: list[str], get_key) -> str:
        grid: dict[tuple[str, str], float] = defaultdict(float)
        for r in rows:
            k = get_key(r)
            if k is None:
                continue
            grid[(k, str(r[comp]))] += weight(r)
        vmax = max(grid.values()) if grid else 0
        head = "".join(f"<th>{_e(c)}</th>" for c in comps)
        body = []
        for k in row_keys:
            tot = sum(grid.get((k, c), 0) for c in comps)
            cells = []
            for c in comps:
                v = grid.get((k, c), 0)
                share = f" <small>{svg.fmt_pct(v / tot, 0)}</small>" if tot else ""
                cells.append(
                    f'<td style="background:{svg.heat_color(v, vmax)}">'
                    f"{_e(svg.fmt_num(v))}{share}</td>"
                )
            body.append(f"<tr><th>{_e(k)}</th>{''.join(cells)}</tr>")
        return (
            f'<h3>{_e(title)}</h3><table class="heat"><thead><tr><th></th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>"
        )

    what = f"{count.replace('_', ' ')}" if count else "rows"
    if seg:
        segs = sorted({str(r[seg]) for r in rows if r.get(seg) is not None})
        if latest is not None:
            parts.append(heat(
                f"Primary driver of red accounts by segment, {latest:%Y-%m} ({what})", segs,
                lambda r: str(r[seg]) if _as_date(r.get(month)) == latest else None,
            ))
        else:
            parts.append(heat(f"Primary driver by segment ({what})", segs, lambda r: str(r[seg])))
    if months:
        recent = months[-12:]
        keys = [f"{m:%Y-%m}" for m in recent]
        parts.append(heat(
            f"Primary driver of red accounts by month, all segments ({what})", keys,
            lambda r: (f"{_as_date(r.get(month)):%Y-%m}" if _as_date(r.get(month)) in recent
                       else None),
        ))
    return "".join(parts) or _note("rpt_driver_summary has no segment or month column.")


# --------------------------------------------------------------------------- page

CSS = """
*{box-sizing:border-box}body{margin:0;background:#f8fafc;color:#1f2937;
font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
header{background:#0f172a;color:#f8fafc;padding:22px 32px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#cbd5e1}main{max-width:1120px;margin:0 auto;padding:8px 32px 40px}
nav{margin:10px 0 0}nav a{color:#93c5fd;margin-right:14px;text-decoration:none;font-size:13px}
section{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:18px 22px;margin:18px 0}
section h2{margin:0 0 4px;font-size:17px}section .intro{margin:0 0 12px;color:#6b7280}
h3{font-size:14px;margin:14px 0 6px}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 12px}
.tile{flex:1 1 130px;border:1px solid #e5e7eb;border-top:4px solid #1f2937;border-radius:8px;
padding:8px 12px;background:#fff}.tile.small{border-top-width:1px;flex:1 1 150px}
.tl{font-size:12px;color:#6b7280;text-transform:capitalize}.tv{font-size:22px;font-weight:650}
.tile.small .tv{font-size:18px}.ts{font-size:12px;color:#6b7280}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(310px,1fr));gap:10px}
.chart{overflow-x:auto}.note{background:#fff7ed;border:1px solid #fed7aa;border-radius:6px;
padding:8px 12px;color:#9a3412}
table{border-collapse:collapse;font-size:12.5px}table.data{width:100%;margin-top:10px}
table.data th,table.data td{text-align:left;padding:4px 8px;border-bottom:1px solid #f1f5f9}
table.data th{color:#6b7280;font-weight:600}table.data td:last-child{font-size:12px;
color:#4b5563;max-width:330px}table.mini td{padding:2px 12px 2px 0;color:#6b7280}
table.heat th,table.heat td{padding:5px 10px;border:1px solid #f1f5f9;text-align:right}
table.heat thead th{color:#6b7280}table.heat tbody th{text-align:left}
.pill{color:#fff;border-radius:10px;padding:1px 8px;font-size:11.5px}
.legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;
height:10px;margin-right:5px;border-radius:2px}
.hidden{display:none}.pick select{font:inherit;padding:3px 6px;margin-left:4px}
.caption{margin:8px 0 2px}footer{color:#94a3b8;font-size:12px;text-align:center;padding:10px}
"""

JS = """
function showAccount(id){var found=false;document.querySelectorAll('.hist').forEach(function(d){
var me=d.getAttribute('data-account')===id;found=found||me;});if(!found)return;
document.querySelectorAll('.hist').forEach(function(d){
d.classList.toggle('hidden',d.getAttribute('data-account')!==id);});
var s=document.getElementById('acct');if(s)s.value=id;}
if(location.hash.length>1)showAccount(decodeURIComponent(location.hash.slice(1)));
"""


def render(
    db_path: Path,
    *,
    account: str | None = None,
    histories: int = 12,
    title: str = "Customer health report",
) -> str:
    """The whole report as one HTML string."""
    wh = Warehouse(db_path)
    try:
        bands = load_bands(wh)
        sections: list[Section] = []

        def safe(fn, *args):
            try:
                return fn(*args)
            except Exception as exc:  # noqa: BLE001 - a section must never sink the report
                return _note(f"This chart could not be drawn: {type(exc).__name__}: {exc}")

        overview = safe(section_overview, wh, bands)
        overview_html, meta = overview if isinstance(overview, tuple) else (overview, {})
        as_of = meta.get("as_of")
        if as_of is None and wh.has("daily"):
            as_of = _as_date(wh.rows(f"select max(date_day) as d from {wh.rel('daily')}")[0]["d"])
        sections.append(Section(
            "separation", "Does the score separate? (backtest)",
            "Churn rate within the backtest horizon for accounts in each band on each "
            "observation date. A useful score shows churn falling band by band.",
            safe(section_separation, wh, bands),
        ))
        sections.append(Section(
            "distribution", "Score distribution per segment",
            "Current health scores of every customer, colored by band.",
            safe(section_distribution, wh, bands),
        ))
        queue = safe(section_queue, wh, bands, as_of)
        queue_html, queue_ids = queue if isinstance(queue, tuple) else (queue, [])
        sections.append(Section(
            "queue", "At-risk queue: where the points are lost (top 15)",
            "Accounts below the watch threshold ranked by revenue at risk. Each bar stacks "
            "the points every component loses; the longest segment is the primary driver. "
            "A capped score (a hard stop such as an invoice 30 days past due) sits below "
            "what the components explain.",
            queue_html,
        ))
        sections.append(Section(
            "history", "Score history",
            "Daily score with the band thresholds. Pick another account from the list "
            "(or open report.html#<account_id>).",
            safe(section_history, wh, bands, account, queue_ids, histories),
        ))
        sections.append(Section(
            "drivers", "Driver summary",
            "Which component is the primary driver of red (at-risk) accounts.",
            safe(section_drivers, wh),
        ))
        sections += [Section(*q) for q in [quality.report_section(wh.con)] if q]
    finally:
        wh.close()
    sub = []
    if as_of:
        sub.append(f"as of {as_of:%Y-%m-%d}")
    if meta.get("config_version"):
        sub.append(f"config {str(meta['config_version'])[:12]}")
    sub.append(Path(db_path).name)
    nav = "".join(f'<a href="#{s.anchor}">{_e(s.title.split(":")[0])}</a>' for s in sections)
    body = "".join(
        f'<section id="{s.anchor}"><h2>{_e(s.title)}</h2><p class="intro">{_e(s.intro)}</p>'
        f"{s.body}</section>"
        for s in sections
    )
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p>{_e(' · '.join(sub))}</p><nav>{nav}</nav></header>"
        f"<main><section id=\"overview\"><h2>Today</h2>{overview_html}</section>{body}</main>"
        "<footer>Generated by <code>scripts/health.py report</code> from the marts; "
        "scores, bands and weights are defined in seeds/.</footer>"
        f"<script>{JS}</script></body></html>"
    )


def write_report(db_path: Path, out: Path, **kwargs) -> Path:
    """Render and write atomically (a half-written report is never left behind)."""
    html = render(db_path, **kwargs)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)
    return out


def find_chromium() -> str | None:
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                 "chrome", "headless_shell"):
        path = shutil.which(name)
        if path:
            return path
    return None


def screenshot(html_path: Path, png_path: Path, width: int = 1280, height: int = 2000,
               timeout: int = 120) -> Path:
    """Render the report in headless Chromium (no network) and save a PNG."""
    import subprocess
    import tempfile

    browser = find_chromium()
    if not browser:
        raise FileNotFoundError(
            "no Chromium found: install it (e.g. `apt-get install -y chromium`) to take screenshots"
        )
    png_path = Path(png_path).resolve()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            "--hide-scrollbars", f"--user-data-dir={profile}",
            f"--screenshot={png_path}", f"--window-size={width},{height}",
            Path(html_path).resolve().as_uri(),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    return png_path
