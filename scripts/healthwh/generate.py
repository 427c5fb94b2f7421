"""Deterministic synthetic sample data for the customer health warehouse.

Writes the nine raw tables of SPEC §1 into schema ``raw`` of a DuckDB file
(replacing them), optionally one parquet file per table, and audit tables in
schema ``raw_audit``:

- ``generation_info``: one row (version, seed, size, accounts, window, messy
  rate, row count per table);
- ``injected_bad_rows (source_table, record_key, reason)``: every bad row added
  by ``--messy-rate`` (reasons: the quarantine vocabulary of docs/contracts.md);
- ``injected_unknown_event_types (event_type, n_rows)``: event types the
  ``event_types`` seed does not know (kept by staging as ``unknown``; not bad).

The simulated world
-------------------
Each account has a segment (smb / mid_market / enterprise: seats, price per
seat, monthly vs annual terms) and a latent health in (0, 1): a mean-reverting
random walk on the logit scale whose drift regime changes every few months, so
some accounts decline and some recover. About half the accounts are customers
from the first weeks of the window; the others join throughout it.

Latent health drives, with noise:

- product usage: events per seat-day, the share of seats in use, the mix of
  event types (more value and integration events when healthy, more errors and
  help views when not), a weekly rhythm and weekly noise;
- billing: late and unpaid invoices (net 30), failed payment attempts;
- support: ticket rate, severity, reopen/escalation, resolution times;
- sentiment: NPS (quarterly campaigns) and CSAT (after resolved tickets) scores
  and response rates; the CSM's pulse (a noisy view of health every few weeks);
  CSM activities and how many of them are held;
- outcomes at each term boundary (annual plans: term end; monthly plans: every
  month): churn (probability rising sharply as health falls), downgrade or
  expansion (the subscription row ends and a new one starts the same day with
  the new seats/MRR), renewal (annual plans: one row per term). Some churned
  accounts come back after 10-60 days.

Subscription ``end_date`` of an open annual term and invoice ``due_date`` may lie
after the end of the data (a renewal or a due date still to come); every other
date and timestamp is inside the window, except injected ``future_timestamp``
rows (at least five years later).

Determinism: every component draws from its own seeded random stream and rows
are written in a fixed order, so the same options give identical tables (and
byte-identical parquet files), and ``--messy-rate`` only appends rows: the good
rows are those of a clean run with the same seed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from . import raw_contract

GENERATOR_VERSION = "1.0.0"
GEN_MEMORY_LIMIT = "2GB"  # DuckDB buffer pool while writing; it spills to the file
GEN_WRITE_THREADS = 1  # DuckDB threads while the raw tables are inserted (see generate())

TABLES = raw_contract.table_names()  # the raw-input contract (dbt_project.yml)

# Column names and DuckDB types of the raw tables (SPEC §1). `seats` and
# `score` are written as text on purpose: staging must try-cast them.
RAW_SCHEMA: dict[str, list[tuple[str, str]]] = {
    "accounts": [
        ("account_id", "varchar"),
        ("account_name", "varchar"),
        ("segment", "varchar"),
        ("industry", "varchar"),
        ("region", "varchar"),
        ("csm_owner", "varchar"),
        ("created_at", "timestamp"),
    ],
    "subscriptions": [
        ("subscription_id", "varchar"),
        ("account_id", "varchar"),
        ("plan", "varchar"),
        ("start_date", "date"),
        ("end_date", "date"),
        ("mrr", "decimal(18,2)"),
        ("seats", "varchar"),
        ("billing_period_months", "integer"),
    ],
    "product_events": [
        ("event_id", "varchar"),
        ("account_id", "varchar"),
        ("user_id", "varchar"),
        ("event_type", "varchar"),
        ("occurred_at", "timestamp"),
        ("quantity", "decimal(18,2)"),
    ],
    "invoices": [
        ("invoice_id", "varchar"),
        ("account_id", "varchar"),
        ("issued_at", "date"),
        ("due_date", "date"),
        ("amount", "decimal(18,2)"),
        ("paid_at", "timestamp"),
        ("status", "varchar"),
    ],
    "payments": [
        ("payment_id", "varchar"),
        ("invoice_id", "varchar"),
        ("account_id", "varchar"),
        ("attempted_at", "timestamp"),
        ("amount", "decimal(18,2)"),
        ("status", "varchar"),
        ("failure_reason", "varchar"),
    ],
    "support_tickets": [
        ("ticket_id", "varchar"),
        ("account_id", "varchar"),
        ("created_at", "timestamp"),
        ("first_response_at", "timestamp"),
        ("resolved_at", "timestamp"),
        ("severity", "integer"),
        ("status", "varchar"),
        ("reopen_count", "integer"),
        ("is_escalated", "boolean"),
        ("is_bug", "boolean"),
    ],
    "survey_responses": [
        ("response_id", "varchar"),
        ("account_id", "varchar"),
        ("user_id", "varchar"),
        ("survey_type", "varchar"),
        ("sent_at", "timestamp"),
        ("responded_at", "timestamp"),
        ("score", "varchar"),
    ],
    "csm_pulse": [
        ("account_id", "varchar"),
        ("recorded_at", "timestamp"),
        ("pulse", "varchar"),
        ("recorded_by", "varchar"),
        ("note", "varchar"),
    ],
    "csm_activities": [
        ("activity_id", "varchar"),
        ("account_id", "varchar"),
        ("occurred_at", "timestamp"),
        ("activity_type", "varchar"),
        ("status", "varchar"),
        ("is_executive", "boolean"),
    ],
}

# The event types of seeds/event_types.csv: (event_type, category, share
# within its category). tests_python checks that this list matches the seed.
EVENT_TYPES: list[tuple[str, str, float]] = [
    ("user_login", "login", 1.0),
    ("record_created", "core_action", 0.35),
    ("record_updated", "core_action", 0.35),
    ("workflow_run", "core_action", 0.15),
    ("report_viewed", "core_action", 0.15),
    ("report_exported", "value_event", 0.40),
    ("automation_completed", "value_event", 0.40),
    ("goal_reached", "value_event", 0.20),
    ("integration_connected", "integration", 0.08),
    ("integration_synced", "integration", 0.92),
    ("error_encountered", "negative", 0.70),
    ("integration_disconnected", "negative", 0.10),
    ("export_failed", "negative", 0.20),
    ("settings_changed", "other", 0.40),
    ("user_invited", "other", 0.30),
    ("help_viewed", "other", 0.30),
]
CATEGORIES = ("login", "core_action", "value_event", "integration", "negative", "other")
SYSTEM_EVENT_TYPES = ("integration_synced", "automation_completed")  # no user_id
# Event types the seed does not know: staging keeps them as category `unknown`.
UNKNOWN_EVENT_TYPES = ("beta_feature_used", "ai_assistant_opened")

SEGMENTS = ("smb", "mid_market", "enterprise")

# Check-set modes: data sets that differ from the default world on purpose, so
# the score is judged on data it was never tuned on (docs/backtest.md).
# - default: the world described above;
# - one_seat_no_integrations: a consumer product, one seat (user) per
#   account, seat counts never change, no integration events, its own event
#   type names (CONSUMER_EVENT_TYPES; the matching event_types seed is written
#   beside the DuckDB file as event_types.csv) and denser daily usage;
# - random_churn: every plan is monthly and churn, downgrade and expansion at
#   each monthly boundary have a constant probability: outcomes are
#   independent of latent health and of everything the warehouse observes,
#   so no score may claim to separate churners.
MODES = ("default", "one_seat_no_integrations", "random_churn")
CONSUMER_EVENT_TYPES: list[tuple[str, str, float]] = [
    ("app_opened", "login", 1.0),
    ("track_played", "core_action", 0.60),
    ("playlist_edited", "core_action", 0.25),
    ("search_run", "core_action", 0.15),
    ("playlist_shared", "value_event", 0.50),
    ("download_completed", "value_event", 0.50),
    ("playback_failed", "negative", 1.0),
    ("settings_opened", "other", 0.60),
    ("help_opened", "other", 0.40),
]
CONSUMER_EVENT_DESCRIPTIONS = {
    "app_opened": "A listener opened the app",
    "track_played": "A track was played",
    "playlist_edited": "A playlist was created or edited",
    "search_run": "A search was run",
    "playlist_shared": "A playlist was shared outside the app",
    "download_completed": "Tracks were downloaded for offline use",
    "playback_failed": "Playback failed",
    "settings_opened": "Settings were opened",
    "help_opened": "Help was opened",
}
CONSUMER_USAGE_FACTOR = 8.0  # one listener uses the app far more than a seat of a B2B tool
RANDOM_CHURN_MONTHLY = (0.03, 0.01, 0.01)  # churn, downgrade, expansion per monthly boundary


def event_types_for(mode: str) -> list[tuple[str, str, float]]:
    return CONSUMER_EVENT_TYPES if mode == "one_seat_no_integrations" else EVENT_TYPES


@dataclass(frozen=True)
class Preset:
    accounts: int
    start_date: str
    end_date: str
    usage_scale: float  # multiplies product events per seat-day


PRESETS = {
    "small": Preset(170, "2025-04-01", "2026-09-30", 0.13),
    "demo": Preset(1000, "2024-10-01", "2026-09-30", 0.45),
    "large": Preset(10000, "2024-10-01", "2026-09-30", 0.45),
}

# Per-segment parameters (order of SEGMENTS).
SEG_SHARE = np.array([0.60, 0.30, 0.10])
SEG_SEATS = np.array([[3, 25], [20, 150], [100, 500]], dtype=float)
SEG_PRICE = np.array([[25.0, 45.0], [35.0, 60.0], [45.0, 80.0]])  # per seat per month
SEG_MONTHLY_SHARE = np.array([0.80, 0.45, 0.05])
SEG_TIER = ("starter", "growth", "enterprise")
SEG_HEALTH_MU = np.array([0.35, 0.65, 0.85])  # latent health (logit scale)
SEG_DRIFT = np.array([-0.0020, -0.0008, -0.0002])  # mean drift per day
SEG_USAGE_PER_SEAT = np.array([1.0, 0.8, 0.6])
SEG_TICKETS_PER_DAY = np.array([0.012, 0.040, 0.110])
SEG_ACTIVITIES_PER_DAY = np.array([0.02, 0.07, 0.15])
SEG_PULSE_EVERY_DAYS = np.array([35.0, 21.0, 14.0])

INDUSTRIES = (
    "software", "retail", "healthcare", "finance", "manufacturing",
    "education", "media", "logistics", "hospitality", "public_sector",
)
REGIONS = ("NA", "EMEA", "APAC", "LATAM")
REGION_SHARE = np.array([0.45, 0.30, 0.17, 0.08])
CSMS = {
    "smb": ("csm_pool_smb_1", "csm_pool_smb_2"),
    "mid_market": ("ana.lopez", "ben.okafor", "chen.wei", "dina.rossi"),
    "enterprise": ("erik.berg", "fatima.khan", "grace.kim"),
}
NAME_A = (
    "Blue", "Bright", "Silver", "North", "Swift", "Clear", "Prime", "Red",
    "Green", "Iron", "Golden", "Quiet", "Bold", "Open", "True", "Wild",
)
NAME_B = (
    "Harbor", "Peak", "River", "Forge", "Labs", "Works", "Systems", "Cloud",
    "Analytics", "Logistics", "Health", "Foods", "Media", "Capital", "Energy", "Studio",
)
PULSE_NOTES = {
    "green": ("Happy with the product", "Expanding usage", "Strong champion", None),
    "yellow": ("Champion changing roles", "Usage flat", "Asked about pricing", None),
    "red": ("Evaluating competitors", "Executive sponsor left", "Unhappy with support", None),
}
FAILURE_REASONS = ("card_declined", "insufficient_funds", "expired_card", "processing_error")
STREAMS = (
    "accounts", "health", "subscriptions", "events", "invoices", "payments",
    "tickets", "surveys", "pulse", "activities", "unknown_events", "messy",
)

US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def _rngs(seed: int) -> dict[str, np.random.Generator]:
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {name: np.random.default_rng(s) for name, s in zip(STREAMS, children, strict=True)}


def add_months(day_index: np.ndarray, months: np.ndarray, base: np.datetime64) -> np.ndarray:
    """Day index of (base + day_index) + months, clamping the day of month."""
    dates = base + np.asarray(day_index, dtype="int64").astype("timedelta64[D]")
    month = dates.astype("datetime64[M]")
    dom = (dates - month.astype("datetime64[D]")).astype("int64")
    new_month = month + np.asarray(months, dtype="int64").astype("timedelta64[M]")
    month_len = ((new_month + 1).astype("datetime64[D]") - new_month.astype("datetime64[D]"))
    new_date = new_month.astype("datetime64[D]") + np.minimum(dom, month_len.astype("int64") - 1)
    return (new_date - base).astype("int64")


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Vectorised string ids like acc_00042 (numbers are 0-based; ids 1-based)."""
    import pyarrow.compute as pc

    arr = pa.array(np.asarray(numbers, dtype="int64") + 1)
    padded = pc.utf8_lpad(pc.cast(arr, pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), padded, "")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _ts(base_us: int, day: np.ndarray, offset_us: np.ndarray) -> pa.Array:
    """Timestamps (microseconds) from day index plus an offset within/after it."""
    values = base_us + np.asarray(day, dtype="int64") * US_PER_DAY + np.asarray(offset_us, "int64")
    return pa.array(values, type=pa.timestamp("us"))


def _masked_ts(values_us: np.ndarray, valid: np.ndarray) -> pa.Array:
    return pa.array(values_us.astype("int64"), type=pa.timestamp("us"), mask=~valid)


def _choice_idx(rng: np.random.Generator, probs: np.ndarray, n: int) -> np.ndarray:
    return np.searchsorted(np.cumsum(probs), rng.random(n) * probs.sum(), side="right")


def _business_time_us(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds-precision time of day (µs), centred on the working day."""
    seconds = np.clip(rng.normal(14.0 * 3600, 3.0 * 3600, n), 0.0, 86_399.0)
    return seconds.astype("int64") * 1_000_000


# --------------------------------------------------------------------------
# the world: accounts, latent health, subscriptions
# --------------------------------------------------------------------------
@dataclass
class World:
    n: int
    days: int
    base: np.datetime64
    base_us: int
    segment: np.ndarray  # int per account
    seats_init: np.ndarray
    health: np.ndarray  # (n, days) latent health in (0, 1)
    active: np.ndarray  # (n, days) bool: customer on day
    seats_day: np.ndarray  # (n, days) int32 licensed seats on day (0 when not a customer)
    account_ids: pa.Array
    csm_owner: list[str]
    acc_width: int
    user_width: int


def _build_accounts(rng: np.random.Generator, n: int, days: int, mode: str = "default") -> dict:
    segment = _choice_idx(rng, SEG_SHARE, n)
    lo, hi = SEG_SEATS[segment, 0], SEG_SEATS[segment, 1]
    seats = np.floor(np.exp(rng.uniform(np.log(lo), np.log(hi + 1)))).astype(np.int64)
    price = np.round(rng.uniform(SEG_PRICE[segment, 0], SEG_PRICE[segment, 1]), 2)
    monthly = rng.random(n) < SEG_MONTHLY_SHARE[segment]
    # modes change the draws' use, never the draws, so the streams stay aligned
    if mode == "one_seat_no_integrations":
        seats = np.ones(n, dtype=np.int64)
    if mode == "random_churn":
        monthly = np.ones(n, dtype=bool)
    # ~55% are customers from the first weeks of the window; the rest join
    # throughout it (not in its last two weeks).
    initial = rng.random(n) < 0.55
    first_join = min(45, days)
    join_day = np.where(
        initial,
        rng.integers(0, first_join, n),
        rng.integers(min(45, max(days - 15, 1)), max(days - 14, 2), n),
    )
    join_day = np.minimum(join_day, days - 1)
    created_lag_days = np.where(initial, rng.integers(1, 400, n), rng.integers(0, 21, n))
    created_sec = rng.integers(8 * 3600, 19 * 3600, n)
    industry = rng.integers(0, len(INDUSTRIES), n)
    region = _choice_idx(rng, REGION_SHARE, n)
    name_a = rng.integers(0, len(NAME_A), n)
    name_b = rng.integers(0, len(NAME_B), n)
    csm_pick = rng.integers(0, 12, n)
    return {
        "segment": segment,
        "seats": seats,
        "price": price,
        "monthly": monthly,
        "join_day": join_day,
        "created_lag_days": created_lag_days,
        "created_sec": created_sec,
        "industry": industry,
        "region": region,
        "name_a": name_a,
        "name_b": name_b,
        "csm_pick": csm_pick,
    }


def _build_health(rng: np.random.Generator, segment: np.ndarray, days: int) -> np.ndarray:
    """Latent health per account-day: a mean-reverting random walk on the logit
    scale whose drift regime changes every few months (declines, recoveries)."""
    n = segment.size
    mu = SEG_HEALTH_MU[segment] + rng.normal(0.0, 0.5, n)
    z = mu + rng.normal(0.0, 0.9, n)
    drift = rng.normal(SEG_DRIFT[segment], 0.010, n)
    switch = rng.random((days, n)) < 1.0 / 120.0
    new_drift = rng.normal(SEG_DRIFT[segment][None, :], 0.012, (days, n))
    noise = rng.normal(0.0, 0.05, (days, n))
    out = np.empty((n, days), dtype=np.float64)
    for d in range(days):
        drift = np.where(switch[d], new_drift[d], drift)
        z = z + drift + noise[d] - 0.004 * (z - mu)
        out[:, d] = z
    return _sigmoid(out)


def _simulate_subscriptions(
    rng: np.random.Generator, acc: dict, health: np.ndarray, base: np.datetime64,
    mode: str = "default",
) -> tuple[dict, np.ndarray, np.ndarray, dict]:
    """Day-by-day contract simulation, vectorised over accounts."""
    n, days = health.shape
    status = np.zeros(n, dtype=np.int8)  # 0 not yet, 1 customer, 2 churned (resub due), 3 gone
    period = np.where(acc["monthly"], 1, 12).astype(np.int64)
    seats = acc["seats"].astype(np.int64).copy()
    price = acc["price"].copy()
    row_start = np.full(n, -1, dtype=np.int64)
    row_k = np.zeros(n, dtype=np.int64)
    next_boundary = np.full(n, -1, dtype=np.int64)
    resub_day = np.full(n, -1, dtype=np.int64)
    row_id = np.full(n, -1, dtype=np.int64)

    rows: dict[str, list] = {k: [] for k in ("acc", "start", "end", "mrr", "seats", "period")}
    inv: dict[str, list] = {k: [] for k in ("acc", "day", "amount")}
    active = np.zeros((n, days), dtype=bool)
    seats_day = np.zeros((n, days), dtype=np.int32)

    def open_rows(idx: np.ndarray, d: int) -> None:
        if idx.size == 0:
            return
        mrr = np.round(seats[idx] * price[idx], 2)
        start_id = len(rows["acc"])
        rows["acc"].extend(idx.tolist())
        rows["start"].extend([d] * idx.size)
        rows["end"].extend([-1] * idx.size)
        rows["mrr"].extend(mrr.tolist())
        rows["seats"].extend(seats[idx].tolist())
        rows["period"].extend(period[idx].tolist())
        row_id[idx] = np.arange(start_id, start_id + idx.size)
        row_start[idx] = d
        row_k[idx] = 1
        next_boundary[idx] = add_months(np.full(idx.size, d), period[idx], base)
        status[idx] = 1
        inv["acc"].extend(idx.tolist())
        inv["day"].extend([d] * idx.size)
        inv["amount"].extend((mrr * period[idx]).tolist())

    def close_rows(idx: np.ndarray, d: int) -> None:
        for r in row_id[idx].tolist():
            rows["end"][r] = d

    for d in range(days):
        joining = np.flatnonzero((status == 0) & (acc["join_day"] == d))
        open_rows(joining, d)

        back = np.flatnonzero((status == 2) & (resub_day == d))
        if back.size:
            # a returning customer comes back on a monthly plan, a bit smaller
            period[back] = 1
            seats[back] = np.maximum(1, np.round(seats[back] * rng.uniform(0.6, 1.0, back.size)))
            if mode == "one_seat_no_integrations":
                seats[back] = 1
            open_rows(back, d)

        due = np.flatnonzero((status == 1) & (next_boundary == d))
        if due.size:
            h = health[due, d]
            annual = period[due] == 12
            u = rng.random(due.size)
            p_churn = np.where(annual, 0.03 + 0.90 * (1 - h) ** 3, 0.004 + 0.35 * (1 - h) ** 4)
            p_down = np.where(annual, 0.40 * (1 - h) ** 2, 0.03 * (1 - h) ** 2)
            p_exp = np.where(annual, 0.35 * h**3, 0.02 * h**2)
            if mode == "random_churn":  # outcomes independent of health
                p_churn, p_down, p_exp = (np.full(due.size, p) for p in RANDOM_CHURN_MONTHLY)
            elif mode == "one_seat_no_integrations":  # one seat: no seat changes
                p_down = np.zeros(due.size)
                p_exp = np.zeros(due.size)
            churn = u < p_churn
            down = ~churn & (u < p_churn + p_down)
            expand = ~churn & ~down & (u < p_churn + p_down + p_exp)
            gap = rng.integers(10, 61, due.size)
            resub = rng.random(due.size) < 0.12
            factor_down = rng.uniform(0.5, 0.9, due.size)
            factor_up = rng.uniform(1.1, 1.5, due.size)

            c = due[churn]
            close_rows(c, d)
            will_return = resub[churn] & (d + gap[churn] < days)
            status[c] = np.where(will_return, 2, 3)
            resub_day[c] = np.where(will_return, d + gap[churn], -1)

            changed = due[down | expand]
            if changed.size:
                new = seats[due].astype(float)
                new = np.where(down, np.minimum(new - 1, np.floor(new * factor_down)), new)
                new = np.where(expand, np.maximum(new + 1, np.ceil(new * factor_up)), new)
                seats[due] = np.maximum(1, new).astype(np.int64)
            renew_annual = due[~churn & ~down & ~expand & annual]
            to_reopen = np.concatenate([changed, renew_annual])
            to_reopen.sort()
            close_rows(to_reopen, d)
            open_rows(to_reopen, d)

            cont = due[~churn & ~down & ~expand & ~annual]
            if cont.size:
                row_k[cont] += 1
                next_boundary[cont] = add_months(row_start[cont], period[cont] * row_k[cont], base)
                inv["acc"].extend(cont.tolist())
                inv["day"].extend([d] * cont.size)
                inv["amount"].extend(np.round(seats[cont] * price[cont], 2).tolist())

        on = status == 1
        active[:, d] = on
        seats_day[:, d] = np.where(on, seats, 0)

    sub = {k: np.asarray(v) for k, v in rows.items()}
    # open annual terms end at the end of the term (possibly after the data);
    # open monthly plans have no end date
    open_annual = (sub["end"] < 0) & (sub["period"] == 12)
    sub["end"] = np.where(
        open_annual, add_months(sub["start"], sub["period"], base), sub["end"]
    )
    invoices = {k: np.asarray(v) for k, v in inv.items()}
    return sub, active, seats_day, invoices


def build_world(
    seed: int, n: int, start: str, end: str, mode: str = "default"
) -> tuple[World, dict, dict, dict, dict]:
    rngs = _rngs(seed)
    base = np.datetime64(start, "D")
    days = int((np.datetime64(end, "D") - base).astype(int)) + 1
    if days < 60:
        raise ValueError("the window must span at least 60 days")
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    acc = _build_accounts(rngs["accounts"], n, days, mode)
    health = _build_health(rngs["health"], acc["segment"], days)
    sub, active, seats_day, invoices = _simulate_subscriptions(
        rngs["subscriptions"], acc, health, base, mode
    )
    seg_names = np.array(SEGMENTS)[acc["segment"]]
    csm_owner = [CSMS[s][p % len(CSMS[s])] for s, p in zip(seg_names, acc["csm_pick"], strict=True)]
    acc_width = max(5, len(str(n)))
    world = World(
        n=n,
        days=days,
        base=base,
        base_us=int(base.astype("datetime64[us]").astype("int64")),
        segment=acc["segment"],
        seats_init=acc["seats"],
        health=health,
        active=active,
        seats_day=seats_day,
        account_ids=_ids("acc_", np.arange(n), acc_width),
        csm_owner=csm_owner,
        acc_width=acc_width,
        user_width=max(4, len(str(int(max(seats_day.max(), acc["seats"].max()))))),
    )
    return world, acc, sub, invoices, rngs


# --------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------
def table_accounts(w: World, acc: dict) -> pa.Table:
    created_day = acc["join_day"] - acc["created_lag_days"]
    names = [
        f"{NAME_A[a]} {NAME_B[b]} {i + 1}"
        for i, (a, b) in enumerate(zip(acc["name_a"], acc["name_b"], strict=True))
    ]
    return pa.table(
        {
            "account_id": w.account_ids,
            "account_name": pa.array(names),
            "segment": pa.array(np.array(SEGMENTS)[w.segment].tolist()),
            "industry": pa.array(np.array(INDUSTRIES)[acc["industry"]].tolist()),
            "region": pa.array(np.array(REGIONS)[acc["region"]].tolist()),
            "csm_owner": pa.array(w.csm_owner),
            "created_at": _ts(w.base_us, created_day, acc["created_sec"] * 1_000_000),
        }
    )


def table_subscriptions(w: World, sub: dict) -> pa.Table:
    order = np.lexsort((sub["start"], sub["acc"]))
    s = {k: v[order] for k, v in sub.items()}
    tier = np.array(SEG_TIER)[w.segment[s["acc"]]]
    term = np.where(s["period"] == 12, "annual", "monthly")
    plan = np.char.add(np.char.add(tier.astype(str), "_"), term.astype(str))
    start = w.base + s["start"].astype("timedelta64[D]")
    end_valid = s["end"] >= 0
    end = w.base + np.where(end_valid, s["end"], 0).astype("timedelta64[D]")
    return pa.table(
        {
            "subscription_id": _ids("sub_", np.arange(order.size), 6),
            "account_id": w.account_ids.take(pa.array(s["acc"])),
            "plan": pa.array(plan.tolist()),
            "start_date": pa.array(start, type=pa.date32()),
            "end_date": pa.array(end, type=pa.date32(), mask=~end_valid),
            "mrr": pa.array(s["mrr"]),
            "seats": pa.array(s["seats"].astype(str).tolist()),
            "billing_period_months": pa.array(s["period"].astype(np.int32)),
        }
    )


def table_invoices(
    w: World, inv: dict, rng: np.random.Generator
) -> tuple[pa.Table, dict]:
    order = np.lexsort((inv["acc"], inv["day"]))
    a, day, amount = inv["acc"][order], inv["day"][order], inv["amount"][order]
    m = a.size
    h = w.health[a, day]
    end_us = w.base_us + w.days * US_PER_DAY  # first instant after the window
    u = rng.random(m)
    p_void = 0.01
    # Never-paid invoices are rare and concentrated in failing accounts: most
    # arrears end in a (late) payment, and an unpaid debt pins the billing cap.
    p_unpaid = 0.001 + 0.06 * (1 - h) ** 4
    p_late = 0.03 + 0.35 * (1 - h) ** 2
    void = u < p_void
    unpaid = ~void & (u < p_void + p_unpaid)
    late = ~void & ~unpaid & (u < p_void + p_unpaid + p_late)
    delay_days = np.where(late, 31 + rng.exponential(20.0, m), rng.uniform(0, 28, m))
    paid_us = (
        w.base_us + day * US_PER_DAY + (delay_days * US_PER_DAY).astype("int64")
    ) // 1_000_000 * 1_000_000
    paid = ~void & ~unpaid & (paid_us < end_us)
    overdue_long = (w.days - day) > 120
    status = np.where(void, "void", np.where(paid, "paid", np.where(overdue_long & unpaid,
                      "uncollectible", "open")))
    issued = w.base + day.astype("timedelta64[D]")
    info = {"acc": a, "day": day, "amount": amount, "paid": paid, "paid_us": paid_us,
            "void": void, "h": h}
    table = pa.table(
        {
            "invoice_id": _ids("inv_", np.arange(m), 7),
            "account_id": w.account_ids.take(pa.array(a)),
            "issued_at": pa.array(issued, type=pa.date32()),
            "due_date": pa.array(issued + np.timedelta64(30, "D"), type=pa.date32()),
            "amount": pa.array(amount),
            "paid_at": _masked_ts(paid_us, paid),
            "status": pa.array(status.tolist()),
        }
    )
    return table, info


def table_payments(w: World, info: dict, rng: np.random.Generator) -> pa.Table:
    m = info["acc"].size
    end_us = w.base_us + w.days * US_PER_DAY
    issue_us = w.base_us + info["day"] * US_PER_DAY
    p_fail = 0.03 + 0.35 * (1 - info["h"]) ** 2
    n_fail = np.minimum(rng.geometric(1 - p_fail) - 1, 4)
    # unpaid (not void) invoices got 1-3 failed automatic attempts
    unpaid = ~info["paid"] & ~info["void"]
    n_fail = np.where(unpaid, rng.integers(1, 4, m), n_fail)
    n_fail = np.where(info["void"], 0, n_fail)
    n_ok = info["paid"].astype(np.int64)
    n_total = n_fail + n_ok
    inv_idx = np.repeat(np.arange(m), n_total)
    k = np.arange(inv_idx.size) - np.repeat(np.cumsum(n_total) - n_total, n_total)
    is_ok = (k == n_fail[inv_idx]) & info["paid"][inv_idx]
    # failed attempts: every 3 days from issue (plus a few hours); success at paid_at
    fail_us = issue_us[inv_idx] + k * 3 * US_PER_DAY + (
        rng.integers(1, 12, inv_idx.size) * US_PER_HOUR
    )
    attempted = np.where(is_ok, info["paid_us"][inv_idx], fail_us)
    # a failure can't come after the success; drop any attempt after the data
    ok_before = ~is_ok & info["paid"][inv_idx]
    attempted = np.where(ok_before, np.minimum(attempted, info["paid_us"][inv_idx] - US_PER_HOUR),
                         attempted)
    attempted = np.maximum(attempted, issue_us[inv_idx])
    keep = attempted < end_us
    inv_idx, attempted, is_ok = inv_idx[keep], attempted[keep], is_ok[keep]
    reason = np.array(FAILURE_REASONS)[rng.integers(0, len(FAILURE_REASONS), inv_idx.size)]
    return pa.table(
        {
            "payment_id": _ids("pay_", np.arange(inv_idx.size), 7),
            "invoice_id": _ids("inv_", inv_idx, 7),
            "account_id": w.account_ids.take(pa.array(info["acc"][inv_idx])),
            "attempted_at": pa.array(attempted, type=pa.timestamp("us")),
            "amount": pa.array(info["amount"][inv_idx]),
            "status": pa.array(np.where(is_ok, "succeeded", "failed").tolist()),
            "failure_reason": pa.array(reason.tolist(), mask=is_ok),
        }
    )


def _cells(rng: np.random.Generator, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Poisson counts per account-day; returns (account, day) per occurrence."""
    cnt = rng.poisson(rate)
    a, d = np.nonzero(cnt)
    c = cnt[a, d]
    return np.repeat(a, c), np.repeat(d, c)


def table_tickets(w: World, rng: np.random.Generator) -> tuple[pa.Table, dict]:
    h = w.health
    rate = w.active * SEG_TICKETS_PER_DAY[w.segment][:, None] * (0.4 + 3.0 * (1 - h) ** 2)
    a, d = _cells(rng, rate)
    m = a.size
    ht = h[a, d]
    created = w.base_us + d * US_PER_DAY + _business_time_us(rng, m)
    order = np.lexsort((a, created))
    a, d, ht, created = a[order], d[order], ht[order], created[order]
    p1 = 0.01 + 0.08 * (1 - ht) ** 2
    p2 = 0.10 + 0.15 * (1 - ht)
    p3 = np.full(m, 0.45)
    u = rng.random(m)
    sev = np.where(u < p1, 1, np.where(u < p1 + p2, 2, np.where(u < p1 + p2 + p3, 3, 4)))
    resp_h = rng.exponential(np.array([1.0, 4.0, 12.0, 24.0])[sev - 1])
    res_h = np.exp(
        rng.normal(np.log(np.array([8.0, 24.0, 72.0, 120.0])[sev - 1] * (1 + 1.5 * (1 - ht))), 0.8)
    )
    end_us = w.base_us + w.days * US_PER_DAY
    first_resp = created + (resp_h * US_PER_HOUR).astype("int64") // 1_000_000 * 1_000_000
    resolved = created + (np.maximum(res_h, resp_h + 0.1) * US_PER_HOUR).astype(
        "int64") // 1_000_000 * 1_000_000
    has_resp = first_resp < end_us
    is_res = resolved < end_us
    reopen = np.where(is_res, rng.poisson(0.05 + 0.4 * (1 - ht) ** 2), 0)
    escalated = rng.random(m) < (0.02 + 0.25 * (1 - ht) ** 2 + 0.3 * (sev == 1))
    bug = rng.random(m) < (0.2 + 0.1 * (sev <= 2))
    closed = rng.random(m) < 0.7
    status = np.where(is_res, np.where(closed, "closed", "solved"),
                      np.where(has_resp, "pending", "open"))
    table = pa.table(
        {
            "ticket_id": _ids("tkt_", np.arange(m), 6),
            "account_id": w.account_ids.take(pa.array(a)),
            "created_at": pa.array(created, type=pa.timestamp("us")),
            "first_response_at": _masked_ts(first_resp, has_resp),
            "resolved_at": _masked_ts(resolved, is_res),
            "severity": pa.array(sev.astype(np.int32)),
            "status": pa.array(status.tolist()),
            "reopen_count": pa.array(reopen.astype(np.int32)),
            "is_escalated": pa.array(escalated),
            "is_bug": pa.array(bug),
        }
    )
    return table, {"acc": a, "resolved": resolved, "is_res": is_res, "sev": sev, "h": ht}


def _user_ids(w: World, acc: np.ndarray, user: np.ndarray) -> pa.Array:
    """User ids usr_<account number>_<seat number>, unique across accounts."""
    import pyarrow.compute as pc

    a = pc.utf8_lpad(pc.cast(pa.array(acc + 1), pa.string()), width=w.acc_width, padding="0")
    u = pc.utf8_lpad(pc.cast(pa.array(user + 1), pa.string()), width=w.user_width, padding="0")
    return pc.binary_join_element_wise(pa.scalar("usr"), a, u, "_")


def table_surveys(w: World, tickets: dict, rng: np.random.Generator) -> pa.Table:
    end_us = w.base_us + w.days * US_PER_DAY
    # NPS campaigns every 90 days (per-account phase) to a few users
    phase = rng.integers(0, 90, w.n)
    k_max = w.days // 90 + 1
    cand_d = phase[:, None] + 90 * np.arange(k_max)[None, :]
    cand_a = np.broadcast_to(np.arange(w.n)[:, None], cand_d.shape)
    ok = cand_d < w.days
    a, d = cand_a[ok], cand_d[ok]
    live = w.active[a, d]
    a, d = a[live], d[live]
    seats = w.seats_day[a, d]
    n_rec = np.minimum(np.minimum(seats, 1 + seats // 25), 5)
    na = np.repeat(a, n_rec)
    nd = np.repeat(d, n_rec)
    nps_user = np.floor(rng.random(na.size) * np.repeat(seats, n_rec)).astype(np.int64)
    nps_sent = w.base_us + nd * US_PER_DAY + _business_time_us(rng, na.size)
    nps_h = w.health[na, nd]
    nps_score = np.clip(np.round(rng.normal(2.0 + 8.5 * nps_h, 1.8)), 0, 10)
    nps_resp_p = 0.15 + 0.5 * nps_h
    # CSAT after some resolved tickets
    pick = tickets["is_res"] & (rng.random(tickets["acc"].size) < 0.6)
    ca = tickets["acc"][pick]
    c_sent = tickets["resolved"][pick] + US_PER_HOUR
    c_day = np.minimum((c_sent - w.base_us) // US_PER_DAY, w.days - 1)
    c_seats = np.maximum(w.seats_day[ca, c_day], w.seats_init[ca])
    c_user = np.floor(rng.random(ca.size) * c_seats).astype(np.int64)
    c_h = tickets["h"][pick]
    c_score = np.clip(np.round(rng.normal(1.5 + 3.5 * c_h - 0.3 * (tickets["sev"][pick] == 1),
                                          0.8)), 1, 5)
    c_resp_p = 0.2 + 0.4 * c_h
    in_window = c_sent < end_us
    ca, c_sent, c_user, c_score, c_resp_p = (
        x[in_window] for x in (ca, c_sent, c_user, c_score, c_resp_p)
    )

    acc_all = np.concatenate([na, ca])
    user_all = np.concatenate([nps_user, c_user])
    sent = np.concatenate([nps_sent, c_sent])
    score = np.concatenate([nps_score, c_score]).astype(np.int64)
    resp_p = np.concatenate([nps_resp_p, c_resp_p])
    stype = np.concatenate([np.zeros(na.size, np.int8), np.ones(ca.size, np.int8)])
    m = acc_all.size
    responds = rng.random(m) < resp_p
    delay = np.minimum(rng.exponential(2.0, m), 13.9)
    responded = sent + (delay * US_PER_DAY).astype("int64") // 1_000_000 * 1_000_000
    answered = responds & (responded < end_us)
    order = np.lexsort((user_all, acc_all, sent))
    acc_all, user_all, sent, score, stype, responded, answered = (
        x[order] for x in (acc_all, user_all, sent, score, stype, responded, answered)
    )
    return pa.table(
        {
            "response_id": _ids("rsp_", np.arange(m), 7),
            "account_id": w.account_ids.take(pa.array(acc_all)),
            "user_id": _user_ids(w, acc_all, user_all),
            "survey_type": pa.array(np.where(stype == 0, "nps", "csat").tolist()),
            "sent_at": pa.array(sent, type=pa.timestamp("us")),
            "responded_at": _masked_ts(responded, answered),
            "score": pa.array(score.astype(str).tolist(), mask=~answered),
        }
    )


def table_pulse(w: World, rng: np.random.Generator) -> pa.Table:
    every = SEG_PULSE_EVERY_DAYS[w.segment]
    k_max = int(w.days / SEG_PULSE_EVERY_DAYS.min() / 0.7) + 2
    gaps = every[:, None] * rng.uniform(0.7, 1.3, (w.n, k_max))
    d = (rng.integers(0, 14, w.n)[:, None] + np.cumsum(gaps, axis=1)).astype(np.int64)
    a = np.broadcast_to(np.arange(w.n)[:, None], d.shape)
    ok = d < w.days
    a, d = a[ok], d[ok]
    live = w.active[a, d]
    a, d = a[live], d[live]
    bias = rng.normal(0.0, 0.05, w.n)
    view = w.health[a, d] + bias[a] + rng.normal(0.0, 0.12, a.size)
    pulse = np.where(view < 0.40, "red", np.where(view < 0.62, "yellow", "green"))
    note_pick = rng.integers(0, 4, a.size)
    notes = [PULSE_NOTES[p][k] for p, k in zip(pulse.tolist(), note_pick.tolist(), strict=True)]
    rec = w.base_us + d * US_PER_DAY + _business_time_us(rng, a.size)
    order = np.lexsort((a, rec))
    return pa.table(
        {
            "account_id": w.account_ids.take(pa.array(a[order])),
            "recorded_at": pa.array(rec[order], type=pa.timestamp("us")),
            "pulse": pa.array(pulse[order].tolist()),
            "recorded_by": pa.array([w.csm_owner[i] for i in a[order].tolist()]),
            "note": pa.array([notes[i] for i in order.tolist()], type=pa.string()),
        }
    )


def table_activities(w: World, rng: np.random.Generator) -> pa.Table:
    rate = w.active * SEG_ACTIVITIES_PER_DAY[w.segment][:, None]
    a, d = _cells(rng, rate)
    m = a.size
    occurred = w.base_us + d * US_PER_DAY + _business_time_us(rng, m)
    order = np.lexsort((a, occurred))
    a, d, occurred = a[order], d[order], occurred[order]
    h = w.health[a, d]
    types = np.array(["meeting", "qbr", "call", "email"])
    t = _choice_idx(rng, np.array([0.30, 0.05, 0.30, 0.35]), m)
    u = rng.random(m)
    p_held = 0.55 + 0.40 * h
    status = np.where(u < p_held, "held", np.where(u < p_held + (1 - p_held) / 2, "no_show",
                                                   "cancelled"))
    exec_p = np.array([0.20, 0.70, 0.10, 0.05])[t]
    return pa.table(
        {
            "activity_id": _ids("act_", np.arange(m), 7),
            "account_id": w.account_ids.take(pa.array(a)),
            "occurred_at": pa.array(occurred, type=pa.timestamp("us")),
            "activity_type": pa.array(types[t].tolist()),
            "status": pa.array(status.tolist()),
            "is_executive": pa.array(rng.random(m) < exec_p),
        }
    )


# --------------------------------------------------------------------------
# product events (the big one): generated in account blocks
# --------------------------------------------------------------------------
EVENT_BLOCK = 64  # accounts per block; fixed so the random stream never depends on size
H_BUCKETS = 20


def _event_type_table(event_types: list[tuple[str, str, float]] | None = None) -> np.ndarray:
    """Cumulative probabilities of the event types per latent-health bucket,
    offset by the bucket number so one searchsorted serves every bucket."""
    h = (np.arange(H_BUCKETS) + 0.5) / H_BUCKETS
    cat = np.stack(
        [
            np.full(H_BUCKETS, 0.22),  # login
            np.zeros(H_BUCKETS),  # core_action: the rest
            0.03 + 0.12 * h,  # value_event
            0.02 + 0.06 * h,  # integration
            0.01 + 0.10 * (1 - h) ** 2,  # negative
            0.06 + 0.04 * (1 - h),  # other
        ],
        axis=1,
    )
    cat[:, 1] = 1.0 - cat.sum(axis=1)
    event_types = EVENT_TYPES if event_types is None else event_types
    cat_index = np.array([CATEGORIES.index(c) for _, c, _ in event_types])
    within = np.array([s for _, _, s in event_types])
    p = cat[:, cat_index] * within[None, :]
    cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    return (cum + np.arange(H_BUCKETS)[:, None]).ravel()


def iter_event_blocks(w: World, rng: np.random.Generator, usage_scale: float,
                      event_types: list[tuple[str, str, float]] | None = None):
    """Yield dicts of numpy arrays (account, user (-1 = null), type index,
    occurred_at µs, quantity (nan = null)) block by block, account-major."""
    event_types = EVENT_TYPES if event_types is None else event_types
    cum = _event_type_table(event_types)
    n_types = len(event_types)
    system = np.isin(np.array([t for t, _, _ in event_types]), SYSTEM_EVENT_TYPES)
    dow = (np.arange(w.days) + (w.base.astype("datetime64[D]").astype(np.int64) + 3)) % 7
    weekday_factor = np.where(dow >= 5, 0.2, 1.0)
    weeks = w.days // 7 + 1
    for lo in range(0, w.n, EVENT_BLOCK):
        hi = min(lo + EVENT_BLOCK, w.n)
        h = w.health[lo:hi]
        week_noise = rng.gamma(4.0, 0.25, (hi - lo, weeks))
        seat_noise = rng.normal(0.0, 0.08, hi - lo)
        noise = np.repeat(week_noise, 7, axis=1)[:, : w.days]
        rate = (
            w.seats_day[lo:hi]
            * SEG_USAGE_PER_SEAT[w.segment[lo:hi]][:, None]
            * (0.1 + 1.5 * h**2)
            * weekday_factor[None, :]
            * noise
            * usage_scale
        )
        cnt = rng.poisson(rate)
        a_loc, d = np.nonzero(cnt)
        c = cnt[a_loc, d]
        a_loc = np.repeat(a_loc, c)
        d = np.repeat(d, c)
        m = a_loc.size
        he = h[a_loc, d]
        bucket = np.minimum((he * H_BUCKETS).astype(np.int64), H_BUCKETS - 1)
        t = np.searchsorted(cum, bucket + rng.random(m), side="right") - bucket * n_types
        t = np.clip(t, 0, n_types - 1)
        # only a share of the seats is in use, more when healthy; within it a
        # few power users do most of the work
        seats = w.seats_day[lo:hi][a_loc, d]
        share = np.clip(0.10 + 0.85 * he**1.5 + seat_noise[a_loc], 0.05, 1.0)
        in_use = np.maximum(1, np.ceil(seats * share))
        user = np.floor(in_use * rng.random(m) ** 1.5).astype(np.int64)
        user = np.where(system[t], -1, user)
        time_of_day = _business_time_us(rng, m)
        occurred = w.base_us + d * US_PER_DAY + time_of_day
        uq = rng.random(m)
        qty = np.where(uq < 0.90, np.nan, np.where(uq < 0.97, 1.0, rng.integers(2, 11, m)))
        a = a_loc + lo
        # order by account then time (one int64 key sorts ~3x faster than lexsort)
        order = np.argsort((a_loc * w.days + d) * 86_400 + time_of_day // 1_000_000,
                           kind="stable")
        yield {
            "acc": a[order],
            "user": user[order],
            "type": t[order],
            "occurred": occurred[order],
            "qty": qty[order],
        }


def _unknown_events(w: World, rng: np.random.Generator, n_events: int) -> dict:
    n_unknown = max(3, n_events // 2000)
    a_all, d_all = np.nonzero(w.active)
    pick = np.sort(rng.choice(a_all.size, size=min(n_unknown, a_all.size), replace=False))
    a, d = a_all[pick], d_all[pick]
    m = a.size
    seats = w.seats_day[a, d]
    return {
        "acc": a,
        "user": np.floor(seats * rng.random(m)).astype(np.int64),
        "type": rng.integers(0, len(UNKNOWN_EVENT_TYPES), m),
        "occurred": w.base_us + d * US_PER_DAY + _business_time_us(rng, m),
        "qty": np.full(m, np.nan),
    }


_LUT4 = np.frombuffer(
    b"".join(f"{i:04d}".encode() for i in range(10000)), dtype=np.uint8
).reshape(10000, 4)


def sequential_ids(prefix: str, first: int, m: int, width: int = 9) -> pa.Array:
    """Fast ids prefix + zero-padded first .. first + m - 1 (width >= 5 digits).

    Consecutive numbers only: the last four digits cycle through a lookup table
    and the leading digits repeat in runs of 10,000, so no per-row arithmetic."""
    hi_width = width - 4
    pre = np.frombuffer(prefix.encode(), dtype=np.uint8)
    row_width = pre.size + width
    if m == 0:
        return pa.array([], type=pa.string())
    h0, h1 = first // 10000, (first + m - 1) // 10000
    his = np.frombuffer(
        b"".join(f"{h:0{hi_width}d}".encode() for h in range(h0, h1 + 1)), dtype=np.uint8
    ).reshape(h1 - h0 + 1, hi_width)
    buf = np.empty(((h1 - h0 + 1) * 10000, row_width), dtype=np.uint8)
    buf[:, : pre.size] = pre
    buf[:, pre.size : pre.size + hi_width] = np.repeat(his, 10000, axis=0)
    buf[:, pre.size + hi_width :] = np.tile(_LUT4, (h1 - h0 + 1, 1))
    off = first - h0 * 10000
    data = np.ascontiguousarray(buf[off : off + m])
    offsets = np.arange(0, row_width * (m + 1), row_width, dtype=np.int32)
    return pa.StringArray.from_buffers(m, pa.py_buffer(offsets), pa.py_buffer(data))


class EventEncoder:
    """Turns numeric event blocks into arrow tables; account, user and event
    type columns are dictionary-encoded (DuckDB stores them as varchar)."""

    def __init__(self, w: World, event_types: list[tuple[str, str, float]] | None = None) -> None:
        self.account_ids = w.account_ids
        max_seats = np.maximum(w.seats_day.max(axis=1), w.seats_init).astype(np.int64)
        self.user_offset = np.concatenate([[0], np.cumsum(max_seats)])
        ua = np.repeat(np.arange(w.n), max_seats)
        uk = np.arange(self.user_offset[-1]) - self.user_offset[ua]
        self.user_ids = _user_ids(w, ua, uk)
        types = EVENT_TYPES if event_types is None else event_types
        self.known = pa.array([t for t, _, _ in types])
        self.unknown = pa.array(list(UNKNOWN_EVENT_TYPES))
        self.next_seq = 0
        self.schema = self.encode(
            {"acc": np.zeros(0, np.int64), "user": np.zeros(0, np.int64),
             "type": np.zeros(0, np.int64), "occurred": np.zeros(0, np.int64),
             "qty": np.zeros(0)}
        ).schema

    def encode(self, block: dict, unknown_types: bool = False) -> pa.Table:
        m = block["acc"].size
        valid = block["user"] >= 0
        user_idx = np.where(valid, self.user_offset[block["acc"]] + block["user"], 0)
        tbl = pa.table(
            {
                "event_id": sequential_ids("evt_", self.next_seq + 1, m),
                "account_id": pa.DictionaryArray.from_arrays(
                    pa.array(block["acc"].astype(np.int32)), self.account_ids
                ),
                "user_id": pa.DictionaryArray.from_arrays(
                    pa.array(user_idx.astype(np.int32), mask=~valid), self.user_ids
                ),
                "event_type": pa.DictionaryArray.from_arrays(
                    pa.array(block["type"].astype(np.int32)),
                    self.unknown if unknown_types else self.known,
                ),
                "occurred_at": pa.array(block["occurred"], type=pa.timestamp("us")),
                "quantity": pa.array(block["qty"], mask=np.isnan(block["qty"])),
            }
        )
        self.next_seq += m
        return tbl


# --------------------------------------------------------------------------
# messy rows: extra bad rows, each with exactly one problem, all recorded
# --------------------------------------------------------------------------
# Reasons (contracts.md vocabulary) injected per table.
BAD_KINDS: dict[str, tuple[str, ...]] = {
    "accounts": ("null_key", "duplicate_key", "future_timestamp"),
    "subscriptions": (
        "null_key", "duplicate_key", "unknown_account", "unparseable_value",
        "negative_amount", "end_before_start", "future_timestamp",
    ),
    "product_events": ("null_key", "duplicate_key", "unknown_account", "future_timestamp"),
    "invoices": (
        "null_key", "duplicate_key", "unknown_account", "unknown_enum_value",
        "negative_amount", "end_before_start", "future_timestamp",
    ),
    "payments": (
        "null_key", "duplicate_key", "unknown_account", "unknown_enum_value",
        "negative_amount", "future_timestamp",
    ),
    "support_tickets": (
        "null_key", "duplicate_key", "unknown_account", "out_of_range_value",
        "end_before_start", "future_timestamp",
    ),
    "survey_responses": (
        "null_key", "duplicate_key", "unknown_account", "unparseable_value",
        "unknown_enum_value", "out_of_range_value", "future_timestamp",
    ),
    "csm_pulse": (
        "null_key", "duplicate_key", "unknown_account", "unknown_enum_value", "future_timestamp",
    ),
    "csm_activities": (
        "null_key", "duplicate_key", "unknown_account", "unknown_enum_value", "future_timestamp",
    ),
}
# Primary key per table (csm_pulse has none: account_id is its null key and
# its record_key is "<account_id>|<recorded_at>"). For product_events the
# null key is account_id (event_id is nullable in SPEC §1), so its null-key
# rows keep their event_id as record_key; other null-key rows have none.
KEY_COLUMN = {
    "accounts": "account_id",
    "subscriptions": "subscription_id",
    "product_events": "event_id",
    "invoices": "invoice_id",
    "payments": "payment_id",
    "support_tickets": "ticket_id",
    "survey_responses": "response_id",
    "csm_pulse": None,
    "csm_activities": "activity_id",
}
NULL_KEY_COLUMN = {**KEY_COLUMN, "product_events": "account_id", "csm_pulse": "account_id"}
TIME_COLUMN = {
    "accounts": "created_at",
    "subscriptions": "start_date",
    "product_events": "occurred_at",
    "invoices": "issued_at",
    "payments": "attempted_at",
    "support_tickets": "created_at",
    "survey_responses": "sent_at",
    "csm_pulse": "recorded_at",
    "csm_activities": "occurred_at",
}
ID_PREFIX = {
    "accounts": "acc", "subscriptions": "sub", "product_events": "evt", "invoices": "inv",
    "payments": "pay", "support_tickets": "tkt", "survey_responses": "rsp",
    "csm_activities": "act",
}
# Template rows must satisfy this filter so the edit makes exactly one problem.
TEMPLATE_FILTER = {
    ("survey_responses", "unparseable_value"): "score is not null",
    ("survey_responses", "out_of_range_value"): "score is not null",
}


def _record_key(table: str, row: dict) -> str | None:
    if table == "csm_pulse":
        if row["account_id"] is None:
            return None
        ts = row["recorded_at"]  # formatted as DuckDB casts a timestamp to text
        fraction = f".{ts.microsecond:06d}".rstrip("0") if ts.microsecond else ""
        return f"{row['account_id']}|{ts:%Y-%m-%d %H:%M:%S}{fraction}"
    return row[KEY_COLUMN[table]]


def _make_bad(table: str, kind: str, row: dict, i: int, end: np.datetime64) -> dict:
    """Edit a copy of a good row so it has exactly one problem of `kind`."""
    import datetime as dt
    from decimal import Decimal

    row = dict(row)
    if kind == "duplicate_key":
        return row
    key = KEY_COLUMN[table]
    if key is not None:  # a fresh key, so the row is never a duplicate
        row[key] = f"{ID_PREFIX[table]}_bad_{i:07d}"
    if table == "csm_pulse":  # no key: make (account_id, recorded_at) unique
        row["recorded_at"] = row["recorded_at"] + dt.timedelta(microseconds=1 + i % 999_999)
    if kind == "null_key":
        row[NULL_KEY_COLUMN[table]] = None
    elif kind == "unknown_account":
        row["account_id"] = f"acc_ghost_{i:07d}"
    elif kind == "unparseable_value":
        values = ("n/a", "ten", "12 seats") if table == "subscriptions" else ("ten", "n/a", "9/10")
        row["seats" if table == "subscriptions" else "score"] = values[i % 3]
    elif kind == "unknown_enum_value":
        if table == "invoices":
            row["status"] = "pending_review"
        elif table == "payments":
            row["status"] = "maybe"
            row["failure_reason"] = None
        elif table == "survey_responses":
            row["survey_type"] = "ces"
        elif table == "csm_pulse":
            row["pulse"] = "purple"
        elif i % 2:
            row["status"] = "rescheduled"
        else:
            row["activity_type"] = "lunch"
    elif kind == "out_of_range_value":
        if table == "support_tickets":
            row["severity"] = (7, 0, 5)[i % 3]
        elif row["survey_type"] == "nps":
            row["score"] = ("14", "11", "-1")[i % 3]
        else:
            row["score"] = ("0", "6")[i % 2]
    elif kind == "negative_amount":
        column = "mrr" if table == "subscriptions" else "amount"
        row[column] = -abs(row[column]) if row[column] else Decimal("-100.00")
    elif kind == "end_before_start":
        if table == "subscriptions":
            row["end_date"] = row["start_date"] - dt.timedelta(days=1 + i % 30)
        elif table == "invoices":
            row["due_date"] = row["issued_at"] - dt.timedelta(days=1 + i % 10)
        else:
            row["resolved_at"] = row["created_at"] - dt.timedelta(hours=1 + i % 48)
            row["first_response_at"] = None
            row["status"] = "solved"
    elif kind == "future_timestamp":
        # at least five years after the data (so also after the wall clock)
        future = (end + np.timedelta64(5 * 366 + i % 365, "D")).astype(dt.date)
        column = TIME_COLUMN[table]
        value = row[column]
        if isinstance(value, dt.datetime):
            row[column] = dt.datetime.combine(future, value.time())
        else:
            row[column] = future
        if table == "subscriptions":
            row["end_date"] = None
        elif table == "invoices":
            row["due_date"] = future + dt.timedelta(days=30)
            row["paid_at"] = None
            row["status"] = "open"
        elif table == "support_tickets":
            row["first_response_at"] = row["resolved_at"] = None
            row["status"] = "open"
            row["reopen_count"] = 0
        elif table == "survey_responses":
            row["responded_at"] = row["score"] = None
    return row


def inject_messy_rows(
    con: duckdb.DuckDBPyConnection, rng: np.random.Generator, rate: float, end: np.datetime64
) -> list[tuple[str, str | None, str]]:
    """Append bad rows to every raw table; return (table, record_key, reason)."""
    audit: list[tuple[str, str | None, str]] = []
    counter = 0
    for table in TABLES:
        kinds = BAD_KINDS[table]
        n_good = con.execute(f"select count(*) from raw.{table}").fetchall()[0][0]
        if n_good == 0:
            continue
        n_bad = max(len(kinds), int(round(rate * n_good)))
        per_kind = [n_bad // len(kinds) + (k < n_bad % len(kinds)) for k in range(len(kinds))]
        batches = []
        for kind, k in zip(kinds, per_kind, strict=True):
            # templates are good rows (row ids are positions: the good rows
            # were committed before any bad row was added)
            where = TEMPLATE_FILTER.get((table, kind))
            if where is None:
                pool = np.arange(n_good, dtype=np.int64)
            else:
                rows = con.execute(
                    f"select rowid from raw.{table} where rowid < ? and {where} order by rowid",
                    [n_good],
                ).fetchall()
                pool = np.array([r for (r,) in rows], dtype=np.int64)
            if pool.size == 0:
                continue
            picks = np.sort(rng.choice(pool, size=k, replace=k > pool.size))
            con.register("_gen_picks", pa.table({"rid": pa.array(picks.astype(np.int64))}))
            templates = con.sql(
                f"select t.* from raw.{table} as t join _gen_picks as p on t.rowid = p.rid "
                "order by p.rid"
            ).to_arrow_table()
            con.unregister("_gen_picks")
            schema = templates.schema
            rows = []
            for template in templates.to_pylist():
                bad = _make_bad(table, kind, template, counter, end)
                counter += 1
                rows.append(bad)
                audit.append((table, _record_key(table, bad), kind))
            batches.append(pa.Table.from_pylist(rows, schema=schema))
        for batch in batches:
            con.register("_gen_batch", batch)
            con.execute(f"insert into raw.{table} select * from _gen_batch")
            con.unregister("_gen_batch")
    return audit


# --------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------
def _create_table(con: duckdb.DuckDBPyConnection, schema: str, name: str,
                  columns: list[tuple[str, str]]) -> None:
    cols = ", ".join(f"{c} {t}" for c, t in columns)
    con.execute(f"drop table if exists {schema}.{name}")
    con.execute(f"create table {schema}.{name} ({cols})")


def _insert(con: duckdb.DuckDBPyConnection, schema: str, name: str, tbl: pa.Table) -> None:
    con.register("_gen_batch", tbl)
    cols = ", ".join(c for c, _ in RAW_SCHEMA.get(name, [(c, "") for c in tbl.schema.names]))
    con.execute(f"insert into {schema}.{name} select {cols} from _gen_batch")
    con.unregister("_gen_batch")


def _prefetch(items, depth: int = 2):
    """Iterate `items` in a background thread (numpy and DuckDB both release the
    GIL, so generating the next block overlaps with writing this one). Order
    is preserved, so the output stays deterministic."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            for item in items:
                q.put(item)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            failure.append(exc)
        finally:
            q.put(done)

    thread = threading.Thread(target=work, name="event-blocks", daemon=True)
    thread.start()
    while (item := q.get()) is not done:
        yield item
    thread.join()
    if failure:
        raise failure[0]


@dataclass
class Result:
    row_counts: dict[str, int]
    seconds: dict[str, float]
    n_bad_rows: int
    n_unknown_events: int
    event_types_csv: Path | None = None


def write_event_types_seed(path: str | os.PathLike, mode: str) -> Path:
    """The event_types seed (seeds/event_types.csv format) matching a mode's
    event type names; copy it over seeds/event_types.csv to build that data."""
    import csv

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["event_type", "category", "description"])
        for name, category, _ in event_types_for(mode):
            writer.writerow([name, category, CONSUMER_EVENT_DESCRIPTIONS.get(name, name)])
    return path


def generate(
    db_path: str | os.PathLike,
    *,
    seed: int = 42,
    accounts: int = 170,
    start_date: str = "2025-04-01",
    end_date: str = "2026-09-30",
    usage_scale: float = 0.3,
    messy_rate: float = 0.0,
    size: str = "custom",
    parquet_dir: str | os.PathLike | None = None,
    verbose: bool = False,
    mode: str = "default",
) -> Result:
    """Generate the nine raw tables into ``db_path`` (schema ``raw``)."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()

    def log(msg: str) -> None:
        if verbose:
            print(msg, flush=True)

    world, acc, sub, inv, rngs = build_world(seed, accounts, start_date, end_date, mode)
    event_types = event_types_for(mode)
    if mode == "one_seat_no_integrations":
        usage_scale = usage_scale * CONSUMER_USAGE_FACTOR
    timings["world"] = time.perf_counter() - t0
    log(f"  simulated {accounts} accounts over {world.days} days "
        f"({timings['world']:.1f}s)")

    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    # One DuckDB thread while the raw tables are written: the event blocks are
    # generated in a second (Python) thread, and a single writer compresses
    # full row groups once (with two writer threads DuckDB splits the stream,
    # rewrites the partial row groups at the checkpoint: 1.7x the CPU, a
    # bigger file). Reset after the events (messy rows, parquet export).
    con = duckdb.connect(str(db_path), config={"memory_limit": GEN_MEMORY_LIMIT,
                                               "threads": GEN_WRITE_THREADS})
    try:
        con.execute("create schema if not exists raw")
        con.execute("create schema if not exists raw_audit")
        con.execute("begin transaction")
        for name in ("injected_bad_rows", "injected_unknown_event_types", "generation_info"):
            con.execute(f"drop table if exists raw_audit.{name}")
        counts: dict[str, int] = {}

        def write(name: str, tbl: pa.Table) -> None:
            t = time.perf_counter()
            _create_table(con, "raw", name, RAW_SCHEMA[name])
            _insert(con, "raw", name, tbl)
            counts[name] = tbl.num_rows
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t

        def timed(name: str, fn, *a):
            t = time.perf_counter()
            out = fn(*a)
            timings[name] = time.perf_counter() - t
            return out

        write("accounts", timed("accounts", table_accounts, world, acc))
        write("subscriptions", timed("subscriptions", table_subscriptions, world, sub))
        inv_tbl, inv_info = timed("invoices", table_invoices, world, inv, rngs["invoices"])
        write("invoices", inv_tbl)
        write("payments", timed("payments", table_payments, world, inv_info, rngs["payments"]))
        tk_tbl, tk_info = timed("support_tickets", table_tickets, world, rngs["tickets"])
        write("support_tickets", tk_tbl)
        write("survey_responses",
              timed("survey_responses", table_surveys, world, tk_info, rngs["surveys"]))
        write("csm_pulse", timed("csm_pulse", table_pulse, world, rngs["pulse"]))
        write("csm_activities",
              timed("csm_activities", table_activities, world, rngs["activities"]))

        t = time.perf_counter()
        encoder = EventEncoder(world, event_types)
        _create_table(con, "raw", "product_events", RAW_SCHEMA["product_events"])
        # one insert statement streams every event block (generated ahead in a
        # background thread, in order): full row groups, no per-batch overhead
        n_seen = [0]

        def event_batches():
            for tbl in _prefetch(
                encoder.encode(block)
                for block in iter_event_blocks(world, rngs["events"], usage_scale, event_types)
            ):
                n_seen[0] += tbl.num_rows
                yield from tbl.to_batches()

        _insert(con, "raw", "product_events",
                pa.RecordBatchReader.from_batches(encoder.schema, event_batches()))
        n_events = n_seen[0]
        unk = _unknown_events(world, rngs["unknown_events"], n_events)
        _insert(con, "raw", "product_events", encoder.encode(unk, unknown_types=True))
        n_unknown = unk["acc"].size
        counts["product_events"] = n_events + n_unknown
        timings["product_events"] = time.perf_counter() - t
        log(f"  product_events: {counts['product_events']:,} rows "
            f"({timings['product_events']:.1f}s)")

        unk_names = np.array(UNKNOWN_EVENT_TYPES)[unk["type"]]
        names, n_rows = np.unique(unk_names, return_counts=True)
        _create_table(con, "raw_audit", "injected_unknown_event_types",
                      [("event_type", "varchar"), ("n_rows", "bigint")])
        _insert(con, "raw_audit", "injected_unknown_event_types",
                pa.table({"event_type": names.tolist(), "n_rows": n_rows.astype(np.int64)}))

        # good rows are committed first: row ids are positions only after a commit
        t = time.perf_counter()
        con.execute("commit")
        timings["commit"] = time.perf_counter() - t
        con.execute("reset threads")
        con.execute("begin transaction")
        audit = []
        if messy_rate > 0:
            t = time.perf_counter()
            audit = inject_messy_rows(con, rngs["messy"], messy_rate, np.datetime64(end_date))
            timings["messy"] = time.perf_counter() - t
        n_bad = len(audit)
        _create_table(con, "raw_audit", "injected_bad_rows",
                      [("source_table", "varchar"), ("record_key", "varchar"),
                       ("reason", "varchar")])
        _insert(con, "raw_audit", "injected_bad_rows", pa.table({
            "source_table": pa.array([a[0] for a in audit], type=pa.string()),
            "record_key": pa.array([a[1] for a in audit], type=pa.string()),
            "reason": pa.array([a[2] for a in audit], type=pa.string()),
        }))

        info_cols = [
            ("generator_version", "varchar"), ("seed", "bigint"), ("size", "varchar"),
            ("accounts", "bigint"), ("start_date", "date"), ("end_date", "date"),
            ("messy_rate", "double"), ("usage_scale", "double"), ("n_bad_rows", "bigint"),
            ("n_unknown_event_rows", "bigint"),
        ] + [(f"rows_{name}", "bigint") for name in TABLES] + [("mode", "varchar")]
        _create_table(con, "raw_audit", "generation_info", info_cols)
        final_counts = {
            name: con.execute(f"select count(*) from raw.{name}").fetchall()[0][0]
            for name in TABLES
        }
        values = [GENERATOR_VERSION, seed, size, accounts, start_date, end_date,
                  float(messy_rate), float(usage_scale), n_bad, n_unknown] + [
            final_counts[name] for name in TABLES
        ] + [mode]
        placeholders = ", ".join("?" for _ in values)
        con.execute(f"insert into raw_audit.generation_info values ({placeholders})", values)
        con.execute("commit")

        if parquet_dir is not None:
            t = time.perf_counter()
            out = Path(parquet_dir)
            out.mkdir(parents=True, exist_ok=True)
            for name in TABLES:
                target = (out / f"{name}.parquet").as_posix().replace("'", "''")
                con.execute(f"copy raw.{name} to '{target}' (format parquet)")
            timings["parquet"] = time.perf_counter() - t
    finally:
        t = time.perf_counter()
        con.close()
        timings["close"] = time.perf_counter() - t
    seed_csv = None
    if event_types is not EVENT_TYPES:
        seed_csv = write_event_types_seed(db_path.parent / "event_types.csv", mode)
    timings["total"] = time.perf_counter() - t0
    return Result(final_counts, timings, n_bad, n_unknown, seed_csv)


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the generator's options to `parser` (used by health.py generate)."""
    parser.add_argument("--size", choices=sorted(PRESETS), default="demo",
                        help="preset: small (170 accounts, 18 months: tests, seconds), demo "
                             "(1,000 accounts, 2 years; default), large (10,000 accounts, "
                             "for benchmarks)")
    parser.add_argument("--accounts", type=int, default=None, metavar="N",
                        help="number of accounts (overrides the preset)")
    parser.add_argument("--start-date", default=None, metavar="YYYY-MM-DD",
                        help="first day of the data (default: the preset's; demo 2024-10-01)")
    parser.add_argument("--end-date", default=None, metavar="YYYY-MM-DD",
                        help="last day of the data (default: the preset's; demo 2026-09-30)")
    parser.add_argument("--seed", type=int, default=42, metavar="N",
                        help="random seed; the same options give identical tables (default 42)")
    parser.add_argument("--messy-rate", type=float, default=0.0, metavar="RATE",
                        help="extra bad rows injected per table as a share of its rows, e.g. "
                             "0.01; each is listed in raw_audit.injected_bad_rows (default 0)")
    parser.add_argument("--db", default=None, metavar="PATH",
                        help="DuckDB file to write; its raw tables are replaced (default: "
                             "$HEALTH_DUCKDB_PATH or data/health.duckdb)")
    parser.add_argument("--mode", choices=MODES, default="default",
                        help="check-set mode: default; one_seat_no_integrations (a consumer "
                             "product: one seat per account, no integration events, its own "
                             "event types, whose seed is written beside the DuckDB file as "
                             "event_types.csv); random_churn (churn independent of health)")
    parser.add_argument("--parquet-dir", default=None, metavar="DIR",
                        help="also write one parquet file per raw table into DIR")
    return parser


def run(args: argparse.Namespace) -> int:
    size = getattr(args, "size", None) or "demo"
    preset = PRESETS[size]
    n_accounts = getattr(args, "accounts", None)
    accounts = n_accounts if n_accounts is not None else preset.accounts
    start = getattr(args, "start_date", None) or preset.start_date
    end = getattr(args, "end_date", None) or preset.end_date
    seed = getattr(args, "seed", 42)
    messy_rate = getattr(args, "messy_rate", 0.0) or 0.0
    parquet_dir = getattr(args, "parquet_dir", None)
    mode = getattr(args, "mode", None) or "default"
    db = str(
        getattr(args, "db", None) or os.environ.get("HEALTH_DUCKDB_PATH") or "data/health.duckdb"
    )
    errors = []
    if accounts < 1:
        errors.append("--accounts must be at least 1")
    if not 0.0 <= messy_rate <= 0.5:
        errors.append("--messy-rate must be between 0 and 0.5 (e.g. 0.01)")
    try:
        span = (np.datetime64(end, "D") - np.datetime64(start, "D")).astype(int)
        if span < 59:
            errors.append("--end-date must be at least 60 days after --start-date")
    except ValueError:
        errors.append("--start-date/--end-date must be dates like 2025-01-31")
    if errors:
        for e in errors:
            print(f"error: {e}", file=sys.stderr)
        return 2
    label = size if n_accounts is None else "custom"
    print(f"Generating {label} sample data: {accounts} accounts, {start} .. {end}, seed {seed}, "
          f"messy rate {messy_rate} -> {db}", flush=True)
    try:
        res = generate(
            db, seed=seed, accounts=accounts, start_date=start, end_date=end,
            usage_scale=preset.usage_scale, messy_rate=messy_rate, size=label,
            parquet_dir=parquet_dir, verbose=True, mode=mode,
        )
    except duckdb.IOException as exc:
        print(f"error: cannot write {db}: {exc}\n"
              "fix: close the other program using the file (DuckDB allows one writer at a "
              "time) or pass another --db",
              file=sys.stderr)
        return 1
    for name in TABLES:
        print(f"  raw.{name:<17} {res.row_counts[name]:>12,} rows")
    if res.n_bad_rows:
        print(f"  injected {res.n_bad_rows:,} bad rows (raw_audit.injected_bad_rows)")
    if res.event_types_csv is not None:
        print(f"  mode {mode}: its event types are in {res.event_types_csv}; copy it over "
              "seeds/event_types.csv before building this data")
    print(f"Done in {res.seconds['total']:.1f}s.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="health.py generate",
                                     description="Generate deterministic sample raw data.")
    add_arguments(parser)
    return run(parser.parse_args(argv))
