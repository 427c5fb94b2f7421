"""The published score history of an account (``marts.fct_account_health_published``).

For the report's history chart (report.py is owned elsewhere; it may call these):
the scores as they were shown each day -- never rewritten by a rebuild or a seed
edit -- and the days the configuration changed, to mark on the timeline.
"""

from __future__ import annotations

PUBLISHED = "marts.fct_account_health_published"
COLUMNS = ("date_day", "health_score", "band", "primary_driver", "config_version",
           "published_at")


def has_published(con) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'fct_account_health_published'"
    ).fetchone()
    return bool(row and row[0])


def published_history(con, account_id: str) -> list[dict]:
    """The account's published rows by day ([] when the table does not exist yet)."""
    if not has_published(con):
        return []
    rows = con.execute(
        f"select {', '.join(COLUMNS)} from {PUBLISHED} where account_id = ? order by date_day",
        [account_id],
    ).fetchall()
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def config_changes(history: list[dict]) -> list[dict]:
    """Days whose published config_version differs from the previous published day.

    ``[{"date_day", "from_version", "to_version"}]``, in date order.
    """
    changes = []
    for before, row in zip(history, history[1:], strict=False):
        if row["config_version"] != before["config_version"]:
            changes.append({"date_day": row["date_day"],
                            "from_version": before["config_version"],
                            "to_version": row["config_version"]})
    return changes


def config_change_days(con) -> list[tuple]:
    """(day, config_version) of each day whose published configuration differs from
    the previous published day's, in date order ([] when the table does not exist)."""
    if not has_published(con):
        return []
    days = con.execute(
        f"select date_day, min(config_version) as config_version from {PUBLISHED} "
        "group by date_day order by date_day"
    ).fetchall()
    return [(day, version) for (_, before), (day, version) in zip(days, days[1:], strict=False)
            if version != before]
