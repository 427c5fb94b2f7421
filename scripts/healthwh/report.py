"""The HTML report: one self-contained file (inline CSS + SVG, embedded JSON and a
little vanilla JS; no external asset), laid out for the weekly retention meeting.

The page is the ordered list ``SECTIONS`` (renderers ``fn(ctx) -> Section``):

* **This week** first: today's tiles, who entered / left each band in the last 7
  days, the biggest 7-day movers, the alerts of the week with the measured revert
  rate of band alerts, renewals due in 90 days with their renewal-profile score, and
  the at-risk queue (7-day change, the driver that binds the score, override reason
  and expiry, next action, the owner role and the CSM);
* where the queue loses its points (stacked components), expansion candidates,
  per-CSM and per-segment views, an account lookup over every current customer
  (score history embedded as compact JSON), band separation in the backtest, the
  score distribution and the driver summary.

Money has one format (``svg.fmt_money``); scores are shown rounded down to one
decimal (``svg.fmt_score``), the way the band is decided. Every part degrades to a
short note when its table is missing or empty, so the report can be drawn from a
partial build. At phone width (< 700 px) tables turn into cards and the wide charts
are swapped for narrow ones, so nothing scrolls sideways.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path

from . import published, quality, report_signal, svg
from .seeds import components

# component colours by position in the seed's component list (seeds.components())
COMPONENT_PALETTE = ("#4c6ef5", "#15aabf", "#f59f00", "#e64980", "#7950f2", "#2f9e44",
                     "#862e9c", "#5c940d")
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
    "alerts": ("marts", "rpt_health_alerts"),
    "renewals": ("marts", "rpt_renewal_window"),
    "expansion": ("marts", "rpt_expansion_candidates"),
}


def _e(text) -> str:
    return escape("" if text is None else str(text), quote=True)


def component_colors() -> dict[str, str]:
    """A colour per component of the health_weights seed, in its order."""
    names = components()
    return {c: COMPONENT_PALETTE[i % len(COMPONENT_PALETTE)] for i, c in enumerate(names)}


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


def ctx_section(anchor: str, title: str, intro: str, body, *args):
    """The renderer of a section whose body is `body(ctx, *args)` (drawn safely)."""
    return lambda ctx: Section(anchor, title, intro, _safe(body, ctx, *args))


def _note(text: str) -> str:
    return f'<p class="note">{_e(text)}</p>'


def _missing(wh: Warehouse, key: str) -> str | None:
    if wh.has(key):
        return None
    schema, table = TABLES[key]
    return _note(
        f"{schema}.{table} is not in this database yet: build it with `health build` "
        "and rerun `health report`."
    )


def load_bands(wh: Warehouse) -> list[tuple[str, float, float, str]]:
    if not wh.has("bands"):
        return list(DEFAULT_BANDS)
    rows = wh.rows(f"select * from {wh.rel('bands')} order by rank")
    out = []
    for r in rows:
        c = r["color"]
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
    rows = wh.rows(
        f"select band, count(*) as n, sum(arr) as arr from {wh.rel('current')} group by 1"
    )
    meta_row = wh.rows(
        f"select max(as_of_date) as as_of, max(config_version) as cfg from {wh.rel('current')}"
    )[0]
    meta["as_of"] = _as_date(meta_row["as_of"])
    meta["config_version"] = meta_row["cfg"]
    total_n = sum(r["n"] for r in rows)
    total_arr = sum(_num(r["arr"]) or 0 for r in rows)
    tiles = [
        ("Customers scored", svg.fmt_num(total_n), ""),
        ("ARR", svg.fmt_money(total_arr), ""),
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


def _overall_rows(rows: list[dict]) -> tuple[list[dict], dict[str, list[dict]]]:
    """Split backtest_band_separation (slice_type overall / segment / quarter) into the
    overall rows and the rows per segment; quarters are not drawn."""
    overall: list[dict] = []
    segments: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        kind = r["slice_type"]
        if kind is None or str(kind).strip().lower() in ALL_WORDS:
            overall.append(r)
        elif str(kind).lower() == "segment":
            segments[str(r["slice_value"])].append(r)
    return overall, dict(sorted(segments.items()))


def section_separation(wh: Warehouse, bands) -> str:
    miss = _missing(wh, "separation")
    parts = []
    summary_html, base_rate = _summary_tiles(wh)
    if miss:
        return summary_html + miss
    band, churn, nobs, lift = "band", "churn_rate", "observations", "churn_lift"
    rows = wh.rows(f"select * from {wh.rel('separation')}")
    if not rows:
        return summary_html + _note("The backtest has no labelled observations yet.")
    overall, segments = _overall_rows(rows)
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
        notes.append([f"n={svg.fmt_num(_num(r[nobs]))}" if r else "" for r in ov])
        if base_rate is None:
            tot = sum(_num(r[nobs]) or 0 for r in overall)
            if tot:
                base_rate = sum((_num(r[nobs]) or 0) * (_num(r[churn]) or 0) for r in overall) / tot
    for i, (name, rs) in enumerate(segments.items()):
        seg_rows = by_band(rs)
        series.append((name, SEGMENT_COLORS[(i + 1) % len(SEGMENT_COLORS)],
                       [_num(r[churn]) if r else None for r in seg_rows]))
        notes.append([f"n={svg.fmt_num(_num(r[nobs]))}" if r else "" for r in seg_rows])
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
    narrow = svg.grouped_bars(
        [g.replace("_", " ") for g in groups],
        series,
        label="Churn rate per band in the backtest",
        ref_line=(base_rate, f"base {svg.fmt_pct(base_rate)}") if base_rate else None,
        width=360,
        height=240,
    )
    parts.append(f'<div class="chart wide">{chart}</div><div class="chart narrow">{narrow}</div>'
                 f"{legend}")
    if overall:
        ov = by_band(overall)
        cells = "".join(
            f"<td>{_e(g.replace('_', ' '))}: lift {_e(svg.fmt_num(_num(r[lift]), 2))}</td>"
            for g, r in zip(groups, ov, strict=False)
            if r
        )
        parts.append(f'<table class="mini"><tr>{cells}</tr></table>')
    return "".join(parts)


# the backtest_summary columns shown as tiles (in the table's column order)
SUMMARY_LABELS = {
    "auc_churn": "AUC (score vs churn)",
    "ks_churn": "KS statistic",
    "churn_rate_ratio_lowest_vs_highest": "churn ratio lowest / highest band",
    "csm_agreement_rate": "agreement with CSM pulse",
    "is_churn_monotonic": "churn falls band by band",
    "observations": "observations",
    "churned": "churned",
    "base_churn_rate": "base churn rate",
}


def _summary_tiles(wh: Warehouse) -> tuple[str, float | None]:
    if not wh.has("summary"):
        return _note("backtest.backtest_summary is not built yet (AUC, KS …)."), None
    rows = wh.rows(f"select * from {wh.rel('summary')}")
    if not rows:
        return _note("backtest_summary is empty."), None
    row = rows[0]  # one row: the whole backtest
    base = _num(row["base_churn_rate"])
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
    return '<div class="tiles">' + "".join(tiles) + "</div>", base


def section_distribution(wh: Warehouse, bands) -> str:
    miss = _missing(wh, "current")
    if miss:
        return miss
    rows = wh.rows(
        f"select segment, health_score as score from {wh.rel('current')} "
        "where health_score is not null"
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
            title=f"{name} · n={len(scores)} · median {svg.fmt_score(median)}",
        )
        html.append(f'<div class="chart">{chart}</div>')
    html.append("</div>")
    return "".join(html)


def _queue_rows(wh: Warehouse, limit: int = 15) -> list[dict]:
    """The top of rpt_at_risk_queue, in its order."""
    return wh.rows(f"select * from {wh.rel('queue')} order by queue_rank, 1 limit {int(limit)}")


def _points_lost(wh: Warehouse, rows: list[dict], as_of: date | None) -> dict:
    """points lost per (account, component) at the queue's date."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    if not wh.has("components"):
        return out
    lost, comp, day = "points_lost", "component", "date_day"
    ids = [str(r["account_id"]) for r in rows]
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


def section_drivers(wh: Warehouse) -> str:
    miss = _missing(wh, "drivers")
    if miss:
        return miss
    comp, seg, month = "component", "segment", "month_start"
    # accounts whose primary driver was the component (not the segment-month total)
    count = "driver_accounts"
    rows = wh.rows(f"select * from {wh.rel('drivers')}")
    if not rows:
        return _note("No red accounts in any month: the driver summary is empty.")

    def weight(r) -> float:
        return _num(r.get(count)) or 0.0

    comps = [c for c in components() if any(str(r[comp]) == c for r in rows)]
    comps += sorted({str(r[comp]) for r in rows} - set(comps))
    parts = []
    months = sorted({_as_date(r[month]) for r in rows if _as_date(r.get(month))})
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
            f'<h3>{_e(title)}</h3><div class="tablewrap"><table class="heat"><thead><tr><th></th>'
            f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )

    what = count.replace("_", " ")
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
    return "".join(parts)


# --------------------------------------------------------------------------- context


@dataclass
class ReportContext:
    """What every section renderer gets: the open warehouse, the bands, the as-of
    date and the options of the run. Renderers may leave results for later ones in
    ``shared`` (e.g. the queue's account ids)."""

    wh: Warehouse
    bands: list
    as_of: date | None
    account: str | None = None
    histories: int = 12
    shared: dict = field(default_factory=dict)


def _week_start(ctx: ReportContext) -> date | None:
    return ctx.as_of - timedelta(days=7) if ctx.as_of else None


def _label(name) -> str:
    return str(name).replace("_", " ") if name is not None else ""


def _pill(bands, band) -> str:
    if not band:
        return ""
    return (f'<span class="pill" style="background:{_e(_band_color(bands, band))}">'
            f"{_e(_label(band))}</span>")


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "data cards",
           raw: bool = True, optional: Sequence[int] = ()) -> str:
    """A table whose cells are HTML (already escaped); ``cards`` turns each row into a
    card at phone width (the header text is repeated inside each cell); in a
    ``compact`` table the ``optional`` columns are hidden at phone width instead."""
    def opt(i: int) -> str:
        return ' class="opt"' if i in optional else ""

    th = "".join(f"<th{opt(i)}>{_e(h)}</th>" for i, h in enumerate(head))
    body = []
    for r in rows:
        tds = "".join(
            f'<td{opt(i)} data-label="{_e(h)}">{c if raw else _e(c)}</td>'
            for i, (h, c) in enumerate(zip(head, r, strict=False))
        )
        body.append(f"<tr>{tds}</tr>")
    return (f'<div class="tablewrap"><table class="{cls}"><thead><tr>{th}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def _name(r: dict) -> str:
    acct = r.get("account_id")
    name = r.get("account_name") or acct
    return (f'<a class="acct" href="#lookup" data-acct="{_e(acct)}">{_e(name)}</a>'
            if acct else _e(name))


# --------------------------------------------------------------------------- this week


def week_band_moves(ctx: ReportContext) -> str:
    """Entered / left each band: the band today against the band 7 days earlier."""
    wh, bands = ctx.wh, ctx.bands
    if not wh.has("daily"):
        return _missing(wh, "daily") or ""
    if ctx.as_of is None:
        return _note("No as-of date: nothing scored yet.")
    start = _week_start(ctx)
    name_sel = "c.account_name" if wh.has("current") else "null"
    join_current = (f"left join {wh.rel('current')} as c on c.account_id = coalesce(n.account_id, "
                    "p.account_id)" if wh.has("current") else "")
    rows = wh.rows(
        f"with n as (select account_id, band from {wh.rel('daily')} where date_day = ?), "
        f"p as (select account_id, band from {wh.rel('daily')} where date_day = ?) "
        f"select coalesce(n.account_id, p.account_id) as account_id, {name_sel} as account_name, "
        f"p.band as band_before, n.band as band_now from n full outer join p "
        f"on n.account_id = p.account_id {join_current} "
        "where coalesce(n.band, '') <> coalesce(p.band, '') "
        "order by coalesce(n.account_id, p.account_id)",
        [ctx.as_of, start],
    )
    counts = {r["band"]: r["n"] for r in wh.rows(
        f"select band, count(*) as n from {wh.rel('daily')} where date_day = ? group by band",
        [ctx.as_of])}
    rank = {b[0]: i for i, b in enumerate(bands)}
    head = ["band", "now", "entered", "left", "who entered", "who left"]
    body = []
    for name, _lo, _hi, _c in bands:
        entered = [r for r in rows if r["band_now"] == name]
        left = [r for r in rows if r["band_before"] == name]

        def who(rs, side, name=name):
            bits = []
            for r in rs[:8]:
                other = r["band_before"] if side == "in" else r["band_now"]
                where = ("new customer" if other is None and side == "in" else
                         "no longer a customer" if other is None else
                         ("from " if side == "in" else "to ") + _label(other))
                arrow = ""
                if other in rank:
                    up = (rank[name] > rank[other]) if side == "in" else (rank[other] > rank[name])
                    arrow = "▲ " if up else "▼ "
                bits.append(f"{_name(r)} <small>{_e(arrow + where)}</small>")
            more = f" <small>and {len(rs) - 8} more</small>" if len(rs) > 8 else ""
            return ", ".join(bits) + more if bits else "–"

        body.append([_pill(bands, name), _e(svg.fmt_num(counts.get(name, 0))),
                     _e(f"+{len(entered)}"), _e(f"−{len(left)}"), who(entered, "in"),
                     who(left, "out")])
    return (f"<h3>Entered and left each band since {start:%Y-%m-%d}</h3>"
            + _table(head, body))


def week_movers(ctx: ReportContext, n: int = 5) -> str:
    wh, bands = ctx.wh, ctx.bands
    if not wh.has("current"):
        return _missing(wh, "current") or ""
    sel = ("account_id, account_name, segment, health_score, score_change_7d, band, "
           "primary_driver, csm_owner, arr")
    base = f"select {sel} from {wh.rel('current')} where score_change_7d is not null"
    down = wh.rows(f"{base} and score_change_7d < 0 order by score_change_7d, account_id limit {n}")
    up = wh.rows(f"{base} and score_change_7d > 0 order by score_change_7d desc, account_id "
                 f"limit {n}")
    head = ["account", "7-day change", "score", "band", "driver", "CSM", "ARR"]

    def rows(rs):
        return [[_name(r), _e(svg.fmt_delta(r["score_change_7d"])), _e(svg.fmt_score(
            r["health_score"])), _pill(bands, r["band"]), _e(r["primary_driver"] or "–"),
            _e(r["csm_owner"] or "–"), _e(svg.fmt_money(r["arr"]))] for r in rs]

    def table(rs):
        return _table(head, rows(rs), cls="data compact", optional=(3, 4, 6))

    return ('<h3>Biggest 7-day movers</h3><div class="two">'
            f'<div><h4>Falling</h4>{table(down) if down else _note("Nobody fell.")}'
            f'</div><div><h4>Rising</h4>{table(up) if up else _note("Nobody rose.")}'
            "</div></div>")


def alert_revert_stats(con_or_wh, within_days: int = 7) -> dict | None:
    """How many band_drop alerts reverted: the account was back in the band it dropped
    from (or higher) on any scored day within ``within_days`` after the alert. Alerts
    whose follow-up window runs past the last scored day are not judged (censored).

    This is the figure a CS lead feels ("it dropped, and days later it was back"),
    measured on the daily band, not on the alert rule's own confirmed band.
    Returns None when the tables are missing."""
    con = con_or_wh.con if isinstance(con_or_wh, Warehouse) else con_or_wh
    tables = {(s.lower(), t.lower()) for s, t in con.execute(
        "select table_schema, table_name from information_schema.tables").fetchall()}
    if not {("marts", "rpt_health_alerts"), ("marts", "fct_account_health_daily")} <= tables:
        return None
    from_col = "a.from_band"
    rule = ", max(a.band_hold_days) as hold_days, max(a.band_margin_points) as margin_points"
    row = con.execute(
        f"""
        with bounds as (select max(date_day) as last_day from marts.fct_account_health_daily),
        ranks as (
            select band, min(band_rank) as band_rank
            from marts.fct_account_health_daily group by band
        ),
        drops as (
            select a.account_id, a.alert_date, r.band_rank as from_rank{rule}
            from marts.rpt_health_alerts as a
            left join ranks as r on r.band = {from_col}
            where a.alert_type = 'band_drop'
            group by a.account_id, a.alert_date, r.band_rank
        ),
        judged as (
            select d.account_id, d.alert_date, d.hold_days, d.margin_points,
                max(case when h.band_rank >= d.from_rank then 1 else 0 end) as reverted
            from drops as d
            cross join bounds as b
            left join marts.fct_account_health_daily as h
                on h.account_id = d.account_id
                and h.date_day > d.alert_date
                and h.date_day <= d.alert_date + {int(within_days)}
            where d.alert_date + {int(within_days)} <= b.last_day
            group by d.account_id, d.alert_date, d.hold_days, d.margin_points
        ),
        per_account as (
            select account_id, count(*) as n from marts.rpt_health_alerts
            where alert_type = 'band_drop' group by account_id
        )
        select
            (select count(*) from drops) as band_drops,
            count(*) as judged,
            coalesce(sum(reverted), 0) as reverted,
            (select max(n) from per_account) as max_per_account,
            max(hold_days) as hold_days,
            max(margin_points) as margin_points
        from judged
        """
    ).fetchone()
    drops, judged, reverted, max_per_account, hold, margin = row
    return {
        "band_drops": int(drops or 0),
        "judged": int(judged or 0),
        "reverted": int(reverted or 0),
        "revert_rate": (reverted / judged) if judged else None,
        "max_per_account": int(max_per_account or 0),
        "hold_days": hold,
        "margin_points": margin,
        "within_days": within_days,
    }


def revert_sentence(stats: dict | None) -> str:
    if not stats or not stats["judged"]:
        return "No band_drop alert can be judged yet (each needs 7 days of follow-up)."
    rule = ""
    if stats["hold_days"] is not None:
        rule = (f" Rule: the new band must hold {int(stats['hold_days'])} scored days, "
                f"{svg.fmt_num(stats['margin_points'], 1)} points past the threshold.")
    return (f"{svg.fmt_pct(stats['revert_rate'])} of band_drop alerts reverted within "
            f"{stats['within_days']} days ({stats['reverted']} of {stats['judged']} judged; "
            f"{stats['band_drops']} band drops in all, at most {stats['max_per_account']} for "
            f"one account).{rule}")


ALERT_ORDER = ("band_drop", "cap_triggered", "recovered", "fast_decline")


def week_alerts(ctx: ReportContext, limit: int = 15) -> str:
    wh = ctx.wh
    if not wh.has("alerts"):
        return "<h3>Alerts of the week</h3>" + (_missing(wh, "alerts") or "")
    start = _week_start(ctx)
    sel = ("alert_date, account_id, alert_type, alert_detail, account_name, csm_owner, band, "
           "health_score")
    # band changes and hard stops before fast declines, then the newest first
    priority = " ".join(f"when '{k}' then {i}" for i, k in enumerate(ALERT_ORDER))
    rows = wh.rows(f"select {sel} from {wh.rel('alerts')} where alert_date > ? "
                   f"order by case alert_type {priority} else 9 end, alert_date desc, "
                   "account_id", [start])
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[str(r["alert_type"])] += 1
    kinds = [k for k in ALERT_ORDER if k in counts] + sorted(set(counts) - set(ALERT_ORDER))
    tiles = "".join(
        f'<div class="tile small"><div class="tl">{_e(_label(k))}</div>'
        f'<div class="tv">{counts[k]}</div></div>' for k in kinds
    ) or '<div class="tile small"><div class="tl">alerts</div><div class="tv">0</div></div>'
    stats = alert_revert_stats(wh)
    ctx.shared["alert_stats"] = stats
    head = ["day", "account", "alert", "detail", "score", "CSM"]
    body = [[_e(f"{_as_date(r['alert_date']):%a %d %b}"), _name(r), _e(_label(r["alert_type"])),
             _e(r.get("alert_detail") or ""), _e(svg.fmt_score(r.get("health_score"))),
             _e(r.get("csm_owner") or "–")] for r in rows[:limit]]
    more = (f'<p class="intro">… and {len(rows) - limit} more in rpt_health_alerts.</p>'
            if len(rows) > limit else "")
    return (f"<h3>Alerts of the week (since {start:%Y-%m-%d})</h3>"
            f'<div class="tiles">{tiles}</div>'
            f'<p class="trust" id="alert-revert-rate">{_e(revert_sentence(stats))}</p>'
            + (_table(head, body) if body else _note("No alert this week.")) + more)


def week_renewals(ctx: ReportContext, days: int = 90, limit: int = 15) -> str:
    """Renewals due: accounts in the '90' and '30' stages of rpt_renewal_window, i.e.
    within 90 days of renewal on an annual term and within the same share of a
    shorter term (a monthly plan in its last 7 days), largest ARR first."""
    wh, bands = ctx.wh, ctx.bands
    if not wh.has("renewals"):
        return "<h3>Renewals due</h3>" + (_missing(wh, "renewals") or "")
    sel = ", ".join(["account_id", "account_name", "next_renewal_date", "days_to_renewal",
                     "renewal_stage", "renewal_score", "renewal_band",
                     "renewal_score_change_since_window_open", "health_score", "band", "arr",
                     "csm_owner", "renewal_primary_driver", "term_months"])
    title = (f"Renewals due within {days} days (annual terms; shorter terms in the same "
             "last share of their term)")
    rows = wh.rows(f"select {sel} from {wh.rel('renewals')} where renewal_stage in ('30', '90') "
                   "order by arr desc nulls last, days_to_renewal, account_id")
    total_arr = sum(_num(r["arr"]) or 0 for r in rows)
    head = ["renews", "account", "term", "stage", "renewal score", "since window opened",
            "health", "ARR", "renewal driver", "CSM"]
    terms = {1: "monthly", 3: "quarterly", 12: "annual"}
    body = [[
        _e(f"{_as_date(r['next_renewal_date']):%Y-%m-%d} ({r['days_to_renewal']} d)"
           if _as_date(r["next_renewal_date"]) else "–"),
        _name(r),
        _e(terms.get(r["term_months"], f"{r['term_months']} months")
           if r["term_months"] is not None else "–"),
        _e(r["renewal_stage"] or "–"),
        f"{_e(svg.fmt_score(r['renewal_score']))} {_pill(bands, r['renewal_band'])}",
        _e(svg.fmt_delta(r["renewal_score_change_since_window_open"])),
        f"{_e(svg.fmt_score(r['health_score']))} {_pill(bands, r['band'])}",
        _e(svg.fmt_money(r["arr"])),
        _e(r["renewal_primary_driver"] or "–"),
        _e(r["csm_owner"] or "–"),
    ] for r in rows[:limit]]
    more = (f'<p class="intro">… and {len(rows) - limit} more in rpt_renewal_window.</p>'
            if len(rows) > limit else "")
    return (f"<h3>{_e(title)}: {len(rows)} accounts, ARR {_e(svg.fmt_money(total_arr))}, "
            "largest first</h3>"
            + (_table(head, body) if body else _note("No renewal due in the next stages."))
            + more)


def week_queue(ctx: ReportContext, limit: int = 20) -> str:
    wh, bands = ctx.wh, ctx.bands
    miss = _missing(wh, "queue")
    if miss:
        return '<h3 id="queue">The at-risk queue</h3>' + miss
    rows = _queue_rows(wh, limit=limit)
    ctx.shared["queue_ids"] = [str(r.get("account_id")) for r in rows]
    total = wh.rows(f"select count(*) as n from {wh.rel('queue')}")[0]["n"]
    if not rows:
        return ('<h3 id="queue">The at-risk queue</h3>'
                + _note("The at-risk queue is empty: no customer is below the watch threshold."))
    head = ["#", "account", "score", "7-day change", "ARR", "driver", "override", "next action",
            "owner role", "CSM"]
    # did last week move the driver? the primary driver 7 days earlier
    before: dict[str, str] = {}
    start = _week_start(ctx)
    if start and wh.has("daily"):
        ids = [str(r.get("account_id")) for r in rows]
        marks = ", ".join("?" for _ in ids)
        before = {str(x["account_id"]): x["primary_driver"] for x in wh.rows(
            f"select account_id, primary_driver from {wh.rel('daily')} where date_day = ? "
            f"and account_id in ({marks})", [start, *ids])}
    body = []
    for r in rows:
        get = r.get
        was = before.get(str(get("account_id")))
        moved = (f" <small>(7 days ago: {_e(was)})</small>"
                 if was and was != get("primary_driver") else "")
        driver_type = get("driver_type")
        driver = get("driver")
        if driver is None:
            driver = get("cap_rule") if get("cap_rule") else get("primary_driver")
        lost = ""
        if driver_type in ("cap", "override") and _num(get("health_score_uncapped")) is not None:
            gap = (_num(get("health_score_uncapped")) or 0) - (_num(get("health_score")) or 0)
            if gap > 0:
                lost = f" <small>−{gap:.1f} pts</small>"
        kind = f"<small>{_e(driver_type)}</small> " if driver_type and driver_type != "component" \
            else ""
        override = "–"
        if get("override_reason"):
            until = _as_date(get("override_expires_on"))
            override = _e(get("override_reason")) + (
                f" <small>until {until:%Y-%m-%d}</small>" if until else "")
        score = _num(get("health_score"))
        body.append([
            _e(get("queue_rank")),
            _name(r) + f" <small>{_e(get('segment'))}</small>",
            f"{_e(svg.fmt_score(score))} {_pill(bands, get('band'))}",
            _e(svg.fmt_delta(get("score_change_7d"))),
            _e(svg.fmt_money(_num(get("arr")))),
            kind + _e(driver or "–") + lost + moved,
            override,
            f'<span class="action">{_e(get("next_action") or "–")}</span>',
            _e(get("owner_role") or "–"),
            _e(get("csm_owner") or "–"),
        ])
    more = (f'<p class="intro">… and {total - len(rows)} more in rpt_at_risk_queue.</p>'
            if total > len(rows) else "")
    return (f'<h3 id="queue">The at-risk queue: {total} accounts below the watch threshold, '
            "by revenue at risk</h3>" + _table(head, body, cls="data cards queue") + more)


def section_this_week(ctx: ReportContext) -> Section:
    parts = [
        f'<div id="week-bands">{_safe(week_band_moves, ctx)}</div>',
        f'<div id="week-movers">{_safe(week_movers, ctx)}</div>',
        # issue 9: the queue says so when the backtest finds no signal
        f'<div id="week-queue">{report_signal.warning_html(ctx.wh.con)}'
        f'{_safe(week_queue, ctx)}</div>',
        f'<div id="week-alerts">{_safe(week_alerts, ctx)}</div>',
        f'<div id="week-renewals">{_safe(week_renewals, ctx)}</div>',
    ]
    return Section(
        "this-week", "This week",
        "What changed in the last 7 days, who acts on it, and what renews soon. Scores are "
        "shown rounded down to one decimal, the way the band is decided (39.78 is 39.7, "
        "at risk).",
        "".join(parts),
    )


# --------------------------------------------------------------------------- sections


def points_chart(ctx: ReportContext) -> str:
    wh = ctx.wh
    miss = _missing(wh, "queue")
    if miss:
        return miss
    rows = _queue_rows(wh)
    if not rows:
        return _note("The at-risk queue is empty: no customer is below the watch threshold.")
    as_of = _as_date(rows[0].get("as_of_date")) or ctx.as_of
    lost = _points_lost(wh, rows, as_of)
    names = components()
    bars = []
    for i, r in enumerate(rows, start=1):
        acct = str(r.get("account_id", ""))
        name = str(r.get("account_name") or acct)
        name = name if len(name) <= 28 else name[:27] + "…"
        score = _num(r.get("health_score"))
        left = f"{i}. {name}" + (f"  ({svg.fmt_score(score)})" if score is not None else "")
        right_bits = [f"ARR {svg.fmt_money(_num(r.get('arr')))}"]
        driver = r.get("driver") or r.get("cap_rule") or r.get("primary_driver")
        if driver:
            right_bits.append(f"driver: {driver}")
        vals = [lost.get(acct, {}).get(c, 0.0) for c in names]
        bars.append((left, " · ".join(right_bits), vals))
    comps = list(component_colors().items())
    wide = svg.stacked_hbars(bars, comps, label="At-risk queue: points lost by component",
                             xmax=100)
    narrow = svg.stacked_hbars_narrow(bars, comps, label="At-risk queue: points lost by component",
                                      xmax=100)
    note = "" if any(any(v for v in b[2]) for b in bars) else _note(
        "No component points found (fct_account_health_components missing): bars are empty."
    )
    return (f'<div class="chart wide">{wide}</div><div class="chart narrow">{narrow}</div>'
            f"{note}")


def expansion_table(ctx: ReportContext, limit: int = 15) -> str:
    wh, bands = ctx.wh, ctx.bands
    if not wh.has("expansion"):
        return _missing(wh, "expansion") or ""
    sel = ", ".join(["expansion_rank", "account_id", "account_name", "segment", "arr",
                     "health_score", "band", "seat_utilization_28d", "usage_trend_7d_28d",
                     "days_since_last_value_event", "has_seat_signal", "has_usage_signal",
                     "has_value_signal", "expansion_motion", "csm_owner", "days_to_renewal"])
    rows = wh.rows(f"select {sel} from {wh.rel('expansion')} order by expansion_rank "
                   f"limit {limit}")
    agg = wh.rows(f"select count(*) as n, sum(arr) as arr from {wh.rel('expansion')}")[0]
    if not rows:
        return _note("No healthy customer shows a growth signal today.")

    def sig(flag, text):
        return f'<span class="sig{" on" if flag else ""}">{_e(text)}</span>'

    head = ["#", "account", "score", "ARR", "signals", "motion", "renews in", "CSM"]
    body = []
    for r in rows:
        util = _num(r["seat_utilization_28d"])
        trend = _num(r["usage_trend_7d_28d"])
        days = _num(r["days_since_last_value_event"])
        signals = " ".join([
            sig(r["has_seat_signal"], f"seats {svg.fmt_pct(util, 0)}" if util is not None
                else "seats –"),
            sig(r["has_usage_signal"], f"usage ×{trend:.2f}" if trend is not None else "usage –"),
            sig(r["has_value_signal"], f"value {days:.0f} d ago" if days is not None
                else "no value event"),
        ])
        body.append([
            _e(r["expansion_rank"]), _name(r) + (f" <small>{_e(r['segment'])}</small>"
                                                  if r["segment"] else ""),
            f"{_e(svg.fmt_score(r['health_score']))} {_pill(bands, r['band'])}",
            _e(svg.fmt_money(r["arr"])), signals, _e(r["expansion_motion"] or "–"),
            _e(f"{r['days_to_renewal']} d" if r["days_to_renewal"] is not None else "–"),
            _e(r["csm_owner"] or "–"),
        ])
    return (f"<p>{agg['n']} candidates, ARR {_e(svg.fmt_money(agg['arr']))}; the top "
            f"{len(rows)}:</p>" + _table(head, body))


def _group_view(ctx: ReportContext, key: str, title: str) -> str:
    """One row per CSM (or segment): book of business, the red part of it, this week's
    alerts, renewals within 90 days and expansion candidates."""
    wh, bands = ctx.wh, ctx.bands
    if not wh.has("current"):
        return _missing(wh, "current") or ""
    arr = "arr"
    lowest = bands[0][0] if bands else "at_risk"
    top = bands[-1][0] if bands else "healthy"
    rows = wh.rows(
        f"select coalesce(cast({key} as varchar), '(none)') as k, count(*) as accounts, "
        f"sum({arr}) as arr, "
        f"sum(case when band = ? then 1 else 0 end) as red, "
        f"sum(case when band = ? then {arr} else 0 end) as red_arr, "
        f"sum(case when band = ? then 1 else 0 end) as green "
        f"from {wh.rel('current')} group by 1 order by red_arr desc nulls last, 1",
        [lowest, lowest, top],
    )
    extra: dict[str, dict[str, int]] = defaultdict(dict)
    start = _week_start(ctx)
    for tkey, label, where, params in (
        ("alerts", "alerts", "alert_date > ?", [start]),
        ("renewals", "renewals", "days_to_renewal <= 90", []),
        ("expansion", "expansion", "1 = 1", []),
        ("queue", "queue", "1 = 1", []),
    ):
        if wh.has(tkey) and (start or tkey != "alerts"):
            for r in wh.rows(f"select coalesce(cast({key} as varchar), '(none)') as k, "
                             f"count(*) as n from {wh.rel(tkey)} where {where} group by 1",
                             params):
                extra[label][r["k"]] = r["n"]
    head = [title, "accounts", "ARR", _label(lowest), f"{_label(lowest)} ARR", _label(top),
            "in queue", "alerts this week", "renewals ≤ 90 d", "expansion candidates"]
    body = [[
        _e(r["k"]), _e(svg.fmt_num(r["accounts"])), _e(svg.fmt_money(r["arr"])),
        _e(svg.fmt_num(r["red"])), _e(svg.fmt_money(r["red_arr"])), _e(svg.fmt_num(r["green"])),
        _e(extra["queue"].get(r["k"], 0)), _e(extra["alerts"].get(r["k"], 0)),
        _e(extra["renewals"].get(r["k"], 0)), _e(extra["expansion"].get(r["k"], 0)),
    ] for r in rows]
    return _table(head, body)


# --------------------------------------------------------------------------- lookup


def _lookup_data(ctx: ReportContext, daily_days: int = 120, step: int = 7) -> dict | None:
    """Every current customer, compact: facts plus a score history sampled on one day
    grid shared by all accounts (every ``step`` days, then daily for the last
    ``daily_days`` days). Scores are stored as floor(score × 10) integers, -1 = not
    scored that day."""
    wh = ctx.wh
    if not (wh.has("current") and wh.has("daily")) or ctx.as_of is None:
        return None
    sel = ", ".join(["account_id", "account_name", "segment", "csm_owner", "health_score", "band",
                     "arr", "primary_driver", "playbook", "next_renewal_date", "days_to_renewal",
                     "score_change_7d", "score_change_28d", "cap_rule", "override_reason"])
    facts = wh.rows(f"select {sel} from {wh.rel('current')} order by account_id")
    if not facts:
        return None
    first = _as_date(wh.rows(f"select min(date_day) as d from {wh.rel('daily')}")[0]["d"])
    as_of = ctx.as_of
    recent = as_of - timedelta(days=daily_days)
    grid: list[date] = []
    d = as_of
    while d > recent:
        grid.append(d)
        d -= timedelta(days=1)
    while d >= first:
        grid.append(d)
        d -= timedelta(days=step)
    grid.sort()
    index = {g: i for i, g in enumerate(grid)}
    series: dict[str, list[int]] = {str(f["account_id"]): [-1] * len(grid) for f in facts}
    # Issue 13: the history shows the scores as they were published each day (never
    # rewritten by a rebuild or a seed edit) when the published record exists.
    source = published.PUBLISHED if published.has_published(wh.con) else wh.rel("daily")
    cur = wh.con.execute(
        f"select d.account_id, d.date_day, d.health_score from {source} as d "
        f"inner join {wh.rel('current')} as c on c.account_id = d.account_id "
        "where d.health_score is not null"
    )
    while True:
        chunk = cur.fetchmany(50_000)
        if not chunk:
            break
        for acct, day, score in chunk:
            i = index.get(_as_date(day))
            s = series.get(str(acct))
            if i is not None and s is not None:
                s[i] = int(round((svg.floor1(score) or 0) * 10))
    queue_ids = ctx.shared.get("queue_ids", [])
    accounts = []
    for f in facts:
        acct = str(f["account_id"])
        accounts.append({
            "id": acct,
            "n": f["account_name"] or acct,
            "seg": f["segment"],
            "csm": f["csm_owner"],
            "s": svg.fmt_score(f["health_score"]),
            "b": f["band"],
            "arr": svg.fmt_money(f["arr"]),
            "dr": f["primary_driver"],
            "pb": f["playbook"],
            "cap": f["cap_rule"],
            "ov": f["override_reason"],
            "d7": svg.fmt_delta(f["score_change_7d"]) if f["score_change_7d"] is not None
            else None,
            "ren": (f"{_as_date(f['next_renewal_date']):%Y-%m-%d}"
                    if _as_date(f["next_renewal_date"]) else None),
            "h": series[acct],
        })
    start = ctx.account if ctx.account and ctx.account in series else (
        queue_ids[0] if queue_ids and queue_ids[0] in series else accounts[0]["id"])
    return {
        "days": [(g - first).days for g in grid],
        "d0": first.isoformat(),
        "bands": [[b[0], b[1], b[2], b[3]] for b in ctx.bands],
        "start": start,
        "quick": [q for q in queue_ids[: max(ctx.histories, 0)] if q in series],
        "accounts": accounts,
        # config changes on the timeline: [day offset, new config_version]
        "cfg": [[(_as_date(day) - first).days, str(version)[:12]]
                for day, version in published.config_change_days(wh.con)
                if _as_date(day) >= first],
    }


def lookup_body(ctx: ReportContext) -> str:
    wh = ctx.wh
    miss = _missing(wh, "current") or _missing(wh, "daily")
    if miss:
        return miss
    data = _lookup_data(ctx)
    if data is None:
        return _note("No current customer is scored yet.")
    if ctx.account and ctx.account != data["start"]:
        pre = _note(f"Account {ctx.account} has no scores: showing the queue instead.")
    else:
        pre = ""
    by_id = {a["id"]: a for a in data["accounts"]}
    first = by_id[data["start"]]
    d0 = date.fromisoformat(data["d0"])
    pts = [(d0 + timedelta(days=off), (v / 10 if v >= 0 else None))
           for off, v in zip(data["days"], first["h"], strict=False)]
    chart = svg.line_chart([(d, v) for d, v in pts if v is not None], ctx.bands,
                           label=f"Score history of {first['n']}")
    quick = "".join(
        f'<button type="button" class="chip" data-acct="{_e(q)}">{_e(by_id[q]["n"])}</button>'
        for q in data["quick"]
    )
    options = "".join(f'<option value="{_e(a["id"])}">{_e(a["n"])}</option>'
                      for a in data["accounts"])
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=True).replace("</", "<\\/")
    return (
        pre
        + '<div class="lookup"><label for="acct-q">Account</label> '
        '<input id="acct-q" list="acct-list" autocomplete="off" '
        f'placeholder="name or id of any of the {len(data["accounts"])} customers">'
        f'<datalist id="acct-list">{options}</datalist></div>'
        + (f'<div class="chips">{quick}</div>' if quick else "")
        + f'<p class="caption" id="acct-facts" data-account="{_e(first["id"])}">'
        f"<b>{_e(first['n'])}</b> ({_e(first['id'])}) · score {_e(first['s'])}</p>"
        f'<div class="chart" id="acct-chart">{chart}</div>'
        f'<script type="application/json" id="lookup-data">{payload}</script>'
    )


# --------------------------------------------------------------------------- the page


def _safe(fn, *args):
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - a section must never sink the report
        return _note(f"This part could not be drawn: {type(exc).__name__}: {exc}")


def section_separation_(ctx: ReportContext) -> Section:
    return Section(
        "separation", "Does the score separate? (backtest)",
        "Churn rate within the backtest horizon for accounts in each band on each "
        "observation date. A useful score shows churn falling band by band.",
        _safe(section_separation, ctx.wh, ctx.bands),
    )


def section_distribution_(ctx: ReportContext) -> Section:
    return Section(
        "distribution", "Score distribution per segment",
        "Current health scores of every customer, colored by band.",
        _safe(section_distribution, ctx.wh, ctx.bands),
    )


def section_drivers_(ctx: ReportContext) -> Section:
    return Section(
        "drivers", "Driver summary",
        "Which component is the primary driver of red (at-risk) accounts: each red account "
        "counts once a month, under the component that drove most of its red days.",
        _safe(section_drivers, ctx.wh),
    )


def section_data_quality(ctx: ReportContext) -> Section | None:
    """Issue 12: the inputs' data quality (left out when rpt_data_quality is not built)."""
    found = quality.report_section(ctx.wh.con)
    return Section(*found) if found else None


# The sections whose body is one renderer of the context.
section_points = ctx_section(
    "points", "Where the queue loses its points (top 15)",
    "Each bar stacks the points every component loses; the longest segment is the "
    "primary driver. A capped or overridden score sits below what the components explain.",
    points_chart,
)

section_expansion = ctx_section(
    "expansion", "Where to grow: expansion candidates",
    "Healthy customers with growth signals (seats nearly full, usage rising, a recent "
    "value event), ranked by the number of signals, then ARR (rpt_expansion_candidates).",
    expansion_table,
)

section_owners = ctx_section(
    "owners", "Per CSM", "Each CSM's book: accounts, ARR, the red part of it, this week's "
    "alerts, renewals within 90 days and expansion candidates (sorted by red ARR).",
    _group_view, "csm_owner", "CSM",
)

section_segments = ctx_section(
    "segments", "Per segment", "The same view by segment.",
    _group_view, "segment", "segment",
)

section_lookup = ctx_section(
    "lookup", "Account lookup",
    "Every current customer: type a name or id (or open report.html#<account_id>). The "
    "chart shows the score as it was published each day, with the band thresholds "
    "(weekly before the last 120 days); a dashed violet line marks a change of the "
    "configuration (weights, thresholds, bands) that scored it.",
    lookup_body,
)


# The page, in order. A renderer takes the ReportContext and returns a Section (or None
# to leave it out). To add a section, write `def my_section(ctx) -> Section` in its own
# module and add one line here; a body `fn(ctx) -> html` fits as
# `ctx_section("anchor", "Title", "intro", fn)`, one of the older form `fn(wh) -> html` as
# `lambda ctx: Section("anchor", "Title", "intro", _safe(fn, ctx.wh))`.
SECTIONS: list = [
    section_this_week,
    section_points,
    section_expansion,
    section_owners,
    section_segments,
    section_lookup,
    section_separation_,
    lambda ctx: Section(*report_signal.section(ctx.wh.con)),  # issue 9: baselines, metrics
    section_distribution_,
    section_drivers_,
    section_data_quality,
]


CSS = """
*{box-sizing:border-box}body{margin:0;background:#f8fafc;color:#1f2937;
font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
header{background:#0f172a;color:#f8fafc;padding:22px 32px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#cbd5e1}main{max-width:1240px;margin:0 auto;padding:8px 32px 40px}
nav{margin:10px 0 0;display:flex;flex-wrap:wrap;gap:2px 14px}nav a{color:#93c5fd;
text-decoration:none;font-size:13px}
section{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:18px 22px;margin:18px 0}
section h2{margin:0 0 4px;font-size:17px}section .intro{margin:0 0 12px;color:#6b7280}
h3{font-size:14.5px;margin:18px 0 6px}h4{font-size:13px;margin:8px 0 2px;color:#4b5563}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 12px}
.tile{flex:1 1 130px;border:1px solid #e5e7eb;border-top:4px solid #1f2937;border-radius:8px;
padding:8px 12px;background:#fff}.tile.small{border-top-width:1px;flex:1 1 120px}
.tl{font-size:12px;color:#6b7280;text-transform:capitalize}.tv{font-size:22px;font-weight:650}
.tile.small .tv{font-size:18px}.ts{font-size:12px;color:#6b7280}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px}
.two{display:grid;grid-template-columns:1fr 1fr;gap:16px}.two>div{min-width:0}
.chart{overflow-x:auto}.chart.narrow{display:none}
.note{background:#fff7ed;border:1px solid #fed7aa;border-radius:6px;padding:8px 12px;color:#9a3412}
.trust{background:#f0f9ff;border:1px solid #bae6fd;border-radius:6px;padding:6px 12px;
color:#075985;font-size:13px}
.tablewrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:12.5px}table.data{width:100%;margin-top:6px}
table.data th,table.data td{text-align:left;padding:4px 8px;border-bottom:1px solid #f1f5f9;
vertical-align:top}
table.data th{color:#6b7280;font-weight:600}table.data td{overflow-wrap:break-word}
table.queue td .action{display:block;min-width:220px;max-width:420px;color:#374151}
table.mini td{padding:2px 12px 2px 0;color:#6b7280}
table.heat th,table.heat td{padding:5px 10px;border:1px solid #f1f5f9;text-align:right}
table.heat thead th{color:#6b7280}table.heat tbody th{text-align:left}
small{color:#6b7280}
.pill{color:#fff;border-radius:10px;padding:0 7px;font-size:11.5px;white-space:nowrap}
.sig{display:inline-block;border:1px solid #e5e7eb;border-radius:10px;padding:0 7px;margin:1px;
font-size:11.5px;color:#9ca3af}.sig.on{border-color:#3a9a5b;color:#1f6b3a;background:#ecfdf3}
a.acct{color:#1d4ed8;text-decoration:none}a.acct:hover{text-decoration:underline}
.legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;
height:10px;margin-right:5px;border-radius:2px}
.lookup input{font:inherit;padding:5px 8px;width:min(420px,100%);border:1px solid #cbd5e1;
border-radius:6px}.chips{margin:8px 0}.chip{font:inherit;font-size:12px;margin:2px;
padding:2px 8px;border:1px solid #cbd5e1;border-radius:12px;background:#f8fafc;cursor:pointer}
.caption{margin:8px 0 2px}footer{color:#94a3b8;font-size:12px;text-align:center;padding:10px}
@media (max-width:700px){
header{padding:14px}main{padding:4px 8px 24px}section{padding:12px;margin:12px 0}
.chart.wide{display:none}.chart.narrow{display:block}.two{grid-template-columns:1fr}
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
table.cards thead{display:none}
table.cards tr{border:1px solid #e5e7eb;border-radius:8px;margin:8px 0;padding:6px 8px}
table.cards td{border:0;padding:2px 0 2px 104px;position:relative;min-height:20px}
table.cards td::before{content:attr(data-label);position:absolute;left:0;width:96px;
color:#6b7280;font-size:12px}
table.queue td .action{min-width:0;max-width:none}
table.compact .opt{display:none}
}
"""

# The account lookup script, inlined into the page (kept in a .js file for readability).
JS = (Path(__file__).with_name("report.js")).read_text(encoding="utf-8")


def render(
    db_path: Path,
    *,
    account: str | None = None,
    histories: int = 12,
    title: str = "Customer health report",
) -> str:
    """The whole report as one HTML string (the sections of SECTIONS, in order)."""
    wh = Warehouse(db_path)
    try:
        bands = load_bands(wh)
        overview = _safe(section_overview, wh, bands)
        overview_html, meta = overview if isinstance(overview, tuple) else (overview, {})
        overview_html = report_signal.warning_html(wh.con) + overview_html  # issue 9
        as_of = meta.get("as_of")
        if as_of is None and wh.has("daily"):
            as_of = _as_date(wh.rows(f"select max(date_day) as d from {wh.rel('daily')}")[0]["d"])
        ctx = ReportContext(wh, bands, as_of, account, histories)
        ctx.shared["overview"] = overview_html
        sections: list[Section] = []
        for renderer in SECTIONS:
            try:
                section = renderer(ctx)
            except Exception as exc:  # noqa: BLE001 - a section must never sink the report
                section = Section(getattr(renderer, "__name__", "section"), "Section",
                                  "", _note(f"This section could not be drawn: "
                                            f"{type(exc).__name__}: {exc}"))
            if section is not None:
                sections.append(section)
    finally:
        wh.close()
    sub = []
    if as_of:
        sub.append(f"as of {as_of:%Y-%m-%d}")
    if meta.get("config_version"):
        sub.append(f"config {str(meta['config_version'])[:12]}")
    sub.append(Path(db_path).name)
    nav = "".join(f'<a href="#{s.anchor}">{_e(s.title.split(":")[0])}</a>' for s in sections)
    body = []
    for s in sections:
        extra = overview_html if s.anchor == "this-week" else ""
        body.append(f'<section id="{s.anchor}"><h2>{_e(s.title)}</h2>'
                    f'<p class="intro">{_e(s.intro)}</p>{extra}{s.body}</section>')
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p>{_e(' · '.join(sub))}</p><nav>{nav}</nav></header>"
        f"<main>{''.join(body)}</main>"
        "<footer>Generated by <code>health report</code> from the marts; "
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


# Headless Chromium lays a window out at least this wide (new headless mode) even when
# --window-size asks for less (the screenshot is still cut to the asked width):
# narrower viewports are emulated by an iframe of the wanted width.
MIN_WINDOW_WIDTH = 500

PROBE_JS = """
(function(){var f=document.getElementById('page');function probe(){
var w=f.contentWindow,d=f.contentDocument,m=document.getElementById('probe');
var ids=[];d.querySelectorAll('section[id]').forEach(function(s){ids.push(s.id);});
var facts=d.getElementById('acct-facts');
m.setAttribute('data-viewport',w.innerWidth);
m.setAttribute('data-scroll-width',d.documentElement.scrollWidth);
m.setAttribute('data-sections',ids.join(' '));
m.setAttribute('data-account',facts?facts.getAttribute('data-account'):'');
var q=d.querySelector('#week-queue .tablewrap');
m.setAttribute('data-queue-scrolls',q&&q.scrollWidth>q.clientWidth+1?'1':'0');
var minScale=1;d.querySelectorAll('svg[viewBox]').forEach(function(g){
var r=g.getBoundingClientRect(),vb=g.viewBox.baseVal;
if(r.width&&vb&&vb.width)minScale=Math.min(minScale,r.width/vb.width);});
m.setAttribute('data-min-chart-scale',minScale.toFixed(2));
m.setAttribute('data-done','1');}
var c=f.contentDocument;
if(c&&c.URL==='about:srcdoc'&&c.readyState==='complete')probe();
else f.addEventListener('load',probe);})();
"""


def viewport_page(html: str, width: int, height: int, probe: bool = False) -> str:
    """A wrapper page showing ``html`` in an iframe exactly ``width`` px wide, so the
    report is laid out (media queries included) as on a screen that wide. With
    ``probe``, a script writes what the report's layout measured into
    ``<div id="probe">``: data-viewport, data-scroll-width (the document's), data-sections,
    data-account (the lookup's), data-queue-scrolls (1 when the queue table scrolls
    sideways) and data-min-chart-scale (the smallest rendered / drawn width of any
    visible chart: below ~0.8 its text shrinks). Read it back with ``--dump-dom``."""
    return (
        '<!doctype html><html><head><meta charset="utf-8"></head>'
        '<body style="margin:0;background:#fff">'
        f'<iframe id="page" style="border:0;display:block;width:{int(width)}px;'
        f'height:{int(height)}px" srcdoc="{escape(html, quote=True)}"></iframe>'
        '<div id="probe"></div>'
        + (f"<script>{PROBE_JS}</script>" if probe else "")
        + "</body></html>"
    )


def chromium_command(browser: str, profile: str, width: int, height: int) -> list[str]:
    """Headless, offline, no first-run work, a fresh profile (runs as root too)."""
    return [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
        f"--window-size={int(width)},{int(height)}",
    ]


def screenshot(html_path: Path, png_path: Path, width: int = 1280, height: int = 2000,
               timeout: int = 120) -> Path:
    """Render the report in headless Chromium (no network) and save a PNG ``width`` px
    wide (a phone's 390 px too: see viewport_page)."""
    import subprocess
    import tempfile

    browser = find_chromium()
    if not browser:
        raise FileNotFoundError(
            "no Chromium found: install it (e.g. `apt-get install -y chromium`) to take screenshots"
        )
    png_path = Path(png_path).resolve()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(html_path).resolve()
        if width < MIN_WINDOW_WIDTH:
            target = Path(tmp) / "viewport.html"
            target.write_text(viewport_page(Path(html_path).read_text(encoding="utf-8"),
                                            width, height), encoding="utf-8")
        cmd = chromium_command(browser, str(Path(tmp) / "profile"), width, height) + [
            f"--screenshot={png_path}", target.as_uri(),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
    return png_path
