"""Tiny inline-SVG chart primitives for the report (no JS library, no network).

Every function returns an ``<svg>`` string sized in CSS pixels with a viewBox, so the
charts scale with the page and print cleanly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
GRID = "#e5e7eb"
AXIS = "#9ca3af"
TEXT = "#374151"
MUTED = "#6b7280"


def _e(text) -> str:
    return escape(str(text), quote=True)


def fmt_num(value, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float) and not digits and abs(value) < 10 and value != int(value):
        digits = 1
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.{digits}f}"


def fmt_money(value) -> str:
    """The one money format of the report: whole units with thousands separators
    (ARR 128,400 next to 8,605, never "128k")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{round(float(value)):,}"


def floor1(value) -> float | None:
    """The score rounded the way the band is decided: down to one decimal, so a
    39.78 (at_risk, below 40) reads 39.7, never 40. Exact on the decimal text of
    the float (no binary artefacts such as 53.0 -> 52.9)."""
    from decimal import ROUND_FLOOR, Decimal

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_FLOOR))


def fmt_score(value) -> str:
    """A health score as shown everywhere in the report (floor1, one decimal)."""
    v = floor1(value)
    return "–" if v is None else f"{v:.1f}"


def fmt_delta(value, digits: int = 1) -> str:
    """A signed score change (+3.2 / −4.0)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    v = float(value)
    return f"{v:+.{digits}f}".replace("-", "−")


def fmt_pct(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * value:.{digits}f}%"


def nice_step(value: float) -> float:
    """A round step at or above value (1, 2, 2.5, 5 × 10^k)."""
    if value is None or value <= 0 or math.isnan(value):
        return 1.0
    exp = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exp
        if candidate >= value * 0.9999:
            return float(candidate)
    return float(10 ** (exp + 1))


def nice_max(value: float, ticks: int = 4) -> float:
    """A round axis maximum at or above value that splits into ``ticks`` round steps."""
    if value is None or value <= 0 or math.isnan(value):
        return 1.0
    return nice_step(value / ticks) * ticks


def nice_axis(value: float, choices: Sequence[int] = (4, 5, 6)) -> tuple[float, int]:
    """(axis maximum, number of tick steps): the tightest round axis over value."""
    return min(((nice_max(value, n), n) for n in choices), key=lambda t: (t[0], t[1]))


def _svg_open(width: int, height: int, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_e(label)}" '
        f'style="{FONT};max-width:100%;height:auto">'
    )


def grouped_bars(
    groups: Sequence[str],
    series: Sequence[tuple[str, str | Sequence[str], Sequence[float | None]]],
    *,
    label: str,
    value_fmt=fmt_pct,
    ref_line: tuple[float, str] | None = None,
    width: int = 560,
    height: int = 260,
    annotations: Sequence[Sequence[str]] | None = None,
) -> str:
    """Vertical bars: one cluster per group, one bar per series (name, color, values).

    color is one color for the series or one per group (e.g. the band colors).

    annotations[s][g] is a small caption under each bar (e.g. "n=412").
    """
    left, right, top, bottom = 48, 12, 16, 54 if annotations else 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, _, vals in series for v in vals if v is not None]
    if ref_line:
        values.append(ref_line[0])
    vmax, n_ticks = nice_axis(max(values) if values else 1.0)
    out = [_svg_open(width, height, label)]
    for i in range(n_ticks + 1):
        v = vmax * i / n_ticks
        y = top + plot_h - plot_h * i / n_ticks
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        if value_fmt is fmt_pct:
            pct_step = 100 * vmax / n_ticks
            digits = next(
                (d for d in (0, 1, 2) if abs(pct_step * 10**d - round(pct_step * 10**d)) < 1e-9),
                2,
            )
            tick = fmt_pct(v, digits)
        else:
            tick = value_fmt(v)
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{_e(tick)}</text>'
        )
    n_groups = max(len(groups), 1)
    group_w = plot_w / n_groups
    n_series = max(len(series), 1)
    bar_w = min(56.0, group_w * 0.8 / n_series)
    for gi, group in enumerate(groups):
        gx = left + gi * group_w + (group_w - bar_w * n_series) / 2
        for si, (_name, color, vals) in enumerate(series):
            v = vals[gi] if gi < len(vals) else None
            x = gx + si * bar_w
            if v is None:
                continue
            h = plot_h * (v / vmax if vmax else 0)
            y = top + plot_h - h
            fill = color if isinstance(color, str) else color[gi % len(color)]
            out.append(
                f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{_e(fill)}" rx="2"><title>{_e(group)}: {_e(value_fmt(v))}</title></rect>'
            )
            out.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" font-size="11" '
                f'text-anchor="middle" fill="{TEXT}">{_e(value_fmt(v))}</text>'
            )
            if annotations:
                out.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 30:.1f}" font-size="10" '
                    f'text-anchor="middle" fill="{MUTED}">{_e(annotations[si][gi])}</text>'
                )
        out.append(
            f'<text x="{left + gi * group_w + group_w / 2:.1f}" y="{top + plot_h + 16:.1f}" '
            f'font-size="12" text-anchor="middle" fill="{TEXT}">{_e(group)}</text>'
        )
    if ref_line:
        v, text = ref_line
        y = top + plot_h - plot_h * v / vmax
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#111827" stroke-dasharray="5 4" stroke-width="1.2"/>'
        )
        out.append(
            f'<text x="{width - right}" y="{y - 5:.1f}" font-size="11" text-anchor="end" '
            f'fill="#111827">{_e(text)}</text>'
        )
    out.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{AXIS}"/>'
    )
    out.append("</svg>")
    return "".join(out)


def histogram(
    counts: Sequence[int],
    edges: Sequence[float],
    colors: Sequence[str],
    *,
    label: str,
    title: str = "",
    width: int = 300,
    height: int = 170,
    ymax: float | None = None,
) -> str:
    """Histogram with one bar per bin (colors per bin, e.g. the band of the bin)."""
    left, right, top, bottom = 34, 16, 22 if title else 8, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    vmax = nice_max(ymax if ymax is not None else (max(counts) if counts else 1), 2)
    out = [_svg_open(width, height, label)]
    if title:
        out.append(
            f'<text x="{left}" y="14" font-size="12" font-weight="600" fill="{TEXT}">'
            f"{_e(title)}</text>"
        )
    for i in range(3):
        v = vmax * i / 2
        y = top + plot_h - plot_h * i / 2
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="{MUTED}">{_e(fmt_num(v))}</text>'
        )
    n = max(len(counts), 1)
    bw = plot_w / n
    for i, c in enumerate(counts):
        h = plot_h * (c / vmax if vmax else 0)
        out.append(
            f'<rect x="{left + i * bw + 0.5:.1f}" y="{top + plot_h - h:.1f}" '
            f'width="{bw - 1:.1f}" height="{h:.1f}" fill="{_e(colors[i])}">'
            f"<title>{_e(f'{edges[i]:g}–{edges[i + 1]:g}')}: {c}</title></rect>"
        )
    for i, edge in enumerate(edges):
        if i % 2 == 0 or i == len(edges) - 1:
            x = left + i * bw
            out.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 14:.1f}" font-size="10" '
                f'text-anchor="middle" fill="{MUTED}">{edge:g}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _stack_max(rows: Sequence[tuple[str, str, Sequence[float]]], xmax: float | None) -> float:
    """The value axis of stacked bars: `xmax`, else the longest bar, rounded up."""
    totals = [sum(v or 0 for v in vals) for _, _, vals in rows]
    return nice_max(xmax if xmax is not None else (max(totals) if totals else 1))


def _stack_segments(out: list[str], row_label: str, components: Sequence[tuple[str, str]],
                    vals: Sequence[float], x: float, y: int, height: int, plot_w: float,
                    vmax: float) -> float:
    """Append one stacked bar's segments (points lost per component) from `x`; returns
    where the bar ends."""
    for (name, color), v in zip(components, vals, strict=False):
        if not v:
            continue
        w = plot_w * v / vmax
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{height}" fill="{_e(color)}">'
            f"<title>{_e(row_label)} · {_e(name)}: {v:.1f} points lost</title></rect>"
        )
        x += w
    return x


def stacked_hbars(
    rows: Sequence[tuple[str, str, Sequence[float]]],
    components: Sequence[tuple[str, str]],
    *,
    label: str,
    width: int = 1040,
    row_h: int = 26,
    label_w: int = 230,
    right_w: int = 330,
    xmax: float | None = None,
) -> str:
    """Horizontal stacked bars: rows = (left label, right label, values per component)."""
    top, bottom = 30, 26
    plot_w = width - label_w - right_w - 10
    height = top + bottom + row_h * max(len(rows), 1)
    vmax = _stack_max(rows, xmax)
    out = [_svg_open(width, height, label)]
    # legend
    x = label_w
    for name, color in components:
        out.append(f'<rect x="{x}" y="8" width="11" height="11" fill="{_e(color)}" rx="2"/>')
        out.append(f'<text x="{x + 15}" y="18" font-size="11" fill="{TEXT}">{_e(name)}</text>')
        x += 24 + 7 * len(name)
    for i in range(5):
        v = vmax * i / 4
        gx = label_w + plot_w * i / 4
        out.append(
            f'<line x1="{gx:.1f}" x2="{gx:.1f}" y1="{top}" y2="{height - bottom}" stroke="{GRID}"/>'
        )
        out.append(
            f'<text x="{gx:.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle" '
            f'fill="{MUTED}">{_e(fmt_num(v))}</text>'
        )
    for r, (left_label, right_label, vals) in enumerate(rows):
        y = top + r * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + row_h / 2 + 4:.1f}" font-size="12" '
            f'text-anchor="end" fill="{TEXT}">{_e(left_label)}</text>'
        )
        x = _stack_segments(out, left_label, components, vals, float(label_w), y + 4,
                            row_h - 8, plot_w, vmax)
        out.append(
            f'<text x="{x + 6:.1f}" y="{y + row_h / 2 + 4:.1f}" font-size="11" '
            f'fill="{MUTED}">{_e(fmt_num(sum(v or 0 for v in vals), 0))}</text>'
        )
        out.append(
            f'<text x="{width - right_w + 10}" y="{y + row_h / 2 + 4:.1f}" font-size="11" '
            f'fill="{TEXT}">{_e(right_label)}</text>'
        )
    out.append(
        f'<text x="{label_w + plot_w / 2:.1f}" y="{height - 2}" font-size="10" '
        f'text-anchor="middle" fill="{MUTED}">points lost (100 × weight × (1 − subscore))</text>'
    )
    out.append("</svg>")
    return "".join(out)


def stacked_hbars_narrow(
    rows: Sequence[tuple[str, str, Sequence[float]]],
    components: Sequence[tuple[str, str]],
    *,
    label: str,
    width: int = 360,
    xmax: float | None = None,
) -> str:
    """Phone layout of stacked_hbars: each row's labels sit above its bar, so the bar
    spans the full width and the text stays at its real size."""
    row_h, top = 46, 40
    height = top + row_h * max(len(rows), 1) + 8
    vmax = _stack_max(rows, xmax)
    left, right = 4, 34
    plot_w = width - left - right
    out = [_svg_open(width, height, label)]
    x, y = left, 14
    for name, color in components:
        w = 24 + 7 * len(name)
        if x + w > width:
            x, y = left, y + 16
        out.append(f'<rect x="{x}" y="{y - 10}" width="11" height="11" fill="{_e(color)}" rx="2"/>')
        out.append(f'<text x="{x + 15}" y="{y}" font-size="12" fill="{TEXT}">{_e(name)}</text>')
        x += w
    for r, (left_label, right_label, vals) in enumerate(rows):
        y0 = top + r * row_h
        out.append(
            f'<text x="{left}" y="{y0 + 12}" font-size="13" fill="{TEXT}">{_e(left_label)}</text>'
        )
        if right_label:
            out.append(
                f'<text x="{left}" y="{y0 + 26}" font-size="11" fill="{MUTED}">'
                f"{_e(right_label)}</text>"
            )
        x = _stack_segments(out, left_label, components, vals, float(left), y0 + 31, 10,
                            plot_w, vmax)
        out.append(
            f'<text x="{x + 4:.1f}" y="{y0 + 40}" font-size="11" fill="{MUTED}">'
            f"{_e(fmt_num(sum(v or 0 for v in vals), 0))}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def line_chart(
    points: Sequence[tuple[date, float | None]],
    bands: Sequence[tuple[str, float, float, str]],
    *,
    label: str,
    width: int = 1040,
    height: int = 280,
    ymax: float = 100.0,
) -> str:
    """Score over time on a 0–100 axis with shaded band regions and threshold lines.

    bands = (name, min_score, max_score, color).
    """
    left, right, top, bottom = 40, 90, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    pts = [(d, v) for d, v in points if d is not None]
    out = [_svg_open(width, height, label)]

    def y_of(v: float) -> float:
        return top + plot_h - plot_h * max(0.0, min(v, ymax)) / ymax

    for name, lo, hi, color in bands:
        y1, y2 = y_of(hi), y_of(lo)
        out.append(
            f'<rect x="{left}" y="{y1:.1f}" width="{plot_w}" height="{y2 - y1:.1f}" '
            f'fill="{_e(color)}" fill-opacity="0.08"/>'
        )
        if lo > 0:
            out.append(
                f'<line x1="{left}" x2="{left + plot_w}" y1="{y2:.1f}" y2="{y2:.1f}" '
                f'stroke="{_e(color)}" stroke-dasharray="4 3"/>'
            )
            out.append(
                f'<text x="{left + plot_w + 6}" y="{y2 + 4:.1f}" font-size="10" '
                f'fill="{_e(color)}">{lo:g}</text>'
            )
        out.append(
            f'<text x="{left + plot_w + 6}" y="{(y1 + y2) / 2 + 4:.1f}" font-size="11" '
            f'font-weight="600" fill="{_e(color)}">{_e(name)}</text>'
        )
    for v in (0, 50, 100):
        out.append(
            f'<text x="{left - 6}" y="{y_of(v) + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="{MUTED}">{v}</text>'
        )
    if not pts:
        out.append(
            f'<text x="{left + plot_w / 2}" y="{top + plot_h / 2}" text-anchor="middle" '
            f'fill="{MUTED}">no history</text></svg>'
        )
        return "".join(out)
    d0, d1 = pts[0][0], pts[-1][0]
    span = max((d1 - d0).days, 1)

    def x_of(d: date) -> float:
        return left + plot_w * (d - d0).days / span

    # a tick at the first day of every quarter inside the range
    year, month = d0.year, d0.month
    while True:
        tick = date(year, month, 1)
        if tick > d1:
            break
        if tick >= d0 and month in (1, 4, 7, 10):
            x = x_of(tick)
            out.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" '
                f'stroke="{GRID}"/>'
            )
            out.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="10" '
                f'text-anchor="middle" fill="{MUTED}">{year}-{month:02d}</text>'
            )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    segments: list[list[str]] = [[]]
    prev = None
    for d, v in pts:
        if v is None or (prev is not None and (d - prev).days > 1):
            if segments[-1]:
                segments.append([])
            if v is None:
                prev = None
                continue
        segments[-1].append(f"{x_of(d):.1f},{y_of(v):.1f}")
        prev = d
    for seg in segments:
        if len(seg) == 1:
            x, y = seg[0].split(",")
            out.append(f'<circle cx="{x}" cy="{y}" r="2" fill="#1f2937"/>')
        elif seg:
            out.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="#1f2937" '
                f'stroke-width="1.6" stroke-linejoin="round"/>'
            )
    last_d, last_v = next(((d, v) for d, v in reversed(pts) if v is not None), (None, None))
    if last_d is not None:
        out.append(
            f'<circle cx="{x_of(last_d):.1f}" cy="{y_of(last_v):.1f}" r="3.5" fill="#1f2937"/>'
        )
        out.append(
            f'<text x="{x_of(last_d) - 6:.1f}" y="{y_of(last_v) - 8:.1f}" font-size="11" '
            f'text-anchor="end" fill="#1f2937">{fmt_score(last_v)}</text>'
        )
    out.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{AXIS}"/>'
    )
    out.append("</svg>")
    return "".join(out)


def heat_color(value: float, vmax: float, base: str = "#d64545") -> str:
    """Background for a heatmap cell: the base color at an opacity proportional to value."""
    if value is None or not vmax:
        return "transparent"
    alpha = max(0.0, min(1.0, value / vmax)) * 0.85
    r, g, b = int(base[1:3], 16), int(base[3:5], 16), int(base[5:7], 16)
    return f"rgba({r},{g},{b},{alpha:.2f})"
