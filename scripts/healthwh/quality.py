"""The data-quality summary of a build, read from ``marts.rpt_data_quality``.

The checks themselves are SQL (models/marts/rpt_data_quality.sql); this module only
prints them at the end of ``health.py build`` / ``run`` and renders the report
section. Both degrade to nothing (or a note) when the table is not built.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

RELATION = '"marts"."rpt_data_quality"'
GROUP_ORDER = ("data_bounds", "rows", "quarantine", "unknown_event_type", "segment_fallback",
               "metric")


def load_checks(con) -> list[dict]:
    """Every check row, in a stable display order; [] when the table is missing."""
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'rpt_data_quality'"
    ).fetchone()[0]
    if not found:
        return []
    cur = con.execute(f"select * from {RELATION} order by check_group, check_id")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=False)) for r in cur.fetchall()]
    rank = {g: i for i, g in enumerate(GROUP_ORDER)}
    return sorted(rows, key=lambda r: (rank.get(r["check_group"], 99), r["check_id"]))


def _pct(share) -> str:
    return "" if share is None else f"{100 * float(share):.2f}%"


def summary_lines(rows: list[dict]) -> list[str]:
    """A few lines for the terminal: bounds, rows per table, and every warning."""
    if not rows:
        return []
    by_group: dict[str, list[dict]] = {}
    for r in rows:
        by_group.setdefault(r["check_group"], []).append(r)
    lines = ["Data quality (marts.rpt_data_quality):"]
    bounds = {r["check_id"]: r for r in by_group.get("data_bounds", [])}
    end = bounds.get("data_bounds__data_end_date")
    as_of = bounds.get("data_bounds__as_of_date")
    if end:
        lines.append(f"  last day of data {end['subject']}: {end['detail']}")
    if as_of:
        lines.append(f"  scored up to {as_of['subject']} ({as_of['detail']})")
    tables = []
    for r in by_group.get("rows", []):
        if r["status"] == "off":
            tables.append(f"{r['source_table']} off")
        else:
            quarantined = (r["total_count"] or 0) - (r["row_count"] or 0)
            tables.append(f"{r['source_table']} {r['total_count']} read / {r['row_count']} clean"
                          f" / {quarantined} quarantined")
    if tables:
        lines.append("  rows: " + "; ".join(tables))
    reasons = [f"{r['source_table']} {r['subject']} {r['row_count']}"
               for r in by_group.get("quarantine", [])]
    if reasons:
        lines.append("  quarantined by reason: " + ", ".join(reasons))
    unknown = [f"{r['subject']} {r['row_count']} ({_pct(r['share'])})"
               for r in by_group.get("unknown_event_type", []) if r["subject"] != "all"]
    lines.append("  unknown event types: " + (", ".join(unknown) if unknown else "none"))
    segments = [f"{r['subject']} ({r['row_count']} accounts)"
                for r in by_group.get("segment_fallback", []) if r["subject"] != "all"]
    lines.append("  segments on the default profile: " + (", ".join(segments) if segments
                                                           else "none"))
    flagged = [f"{r['subject']} ({r['detail']})"
               for r in by_group.get("metric", []) if r["status"] == "warn"]
    lines.append("  metrics null or constant for every account: "
                 + ("; ".join(flagged) if flagged else "none"))
    return lines


def print_summary(db: Path, out: Callable[[str], None]) -> None:
    """Print the summary of the database's last build (nothing if it is not built)."""
    try:
        from .dbfile import connect

        con = connect(Path(db), read_only=True)
    except Exception:  # noqa: BLE001 - the summary never fails a build
        return
    try:
        lines = summary_lines(load_checks(con))
    except Exception as exc:  # noqa: BLE001
        lines = [f"Data quality summary unavailable: {type(exc).__name__}: {exc}"]
    finally:
        con.close()
    for line in lines:
        out(line)


def report_section(con) -> tuple[str, str, str, str] | None:
    """(anchor, title, intro, body html) of the report's data-quality section; None
    when marts.rpt_data_quality is not in the database (the report leaves it out)."""
    anchor, title = "data-quality", "Data quality of the inputs"
    intro = ("What the build found in the raw tables: rows read, clean and quarantined "
             "(with the reason), unknown event types, segments scored with the default "
             "profile, metrics that cannot separate accounts, and the last day of data.")
    try:
        rows = load_checks(con)
    except Exception as exc:  # noqa: BLE001 - a section never sinks the report
        return anchor, title, intro, f'<p class="note">{escape(str(exc))}</p>'
    if not rows:
        return None
    shown = [r for r in rows if r["check_group"] in {"data_bounds", "rows"}
             or r["status"] == "warn"]
    head = "".join(f"<th>{h}</th>" for h in ("check", "status", "count", "of", "share",
                                             "detail"))
    body = []
    for r in shown:
        status = escape(str(r["status"]))
        count = "" if r["row_count"] is None else f"{r['row_count']:,}"
        total = "" if r["total_count"] is None else f"{r['total_count']:,}"
        label = escape(r["check_id"]) if r["check_group"] != "data_bounds" else (
            f"{escape(r['check_id'])} = {escape(str(r['subject']))}")
        body.append(
            f"<tr><td><code>{label}</code></td><td>{status}</td><td>{count}</td>"
            f"<td>{total}</td><td>{_pct(r['share'])}</td><td>{escape(str(r['detail']))}</td></tr>"
        )
    warned = sum(1 for r in rows if r["status"] == "warn")
    note = (f"<p>{warned} check(s) to look at; every check is in "
            "marts.rpt_data_quality.</p>")
    return anchor, title, intro, (
        f'{note}<div class="table-wrap"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>")
