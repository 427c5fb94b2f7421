{{ config(materialized='table') }}
{%- set max_gap_days = var('data_end_max_gap_days') | int %}
{%- set min_block_days = var('data_end_min_block_days') | float %}
{%- set min_day_share = var('data_end_min_day_share') | float %}
{%- set rate_days = var('data_end_subscription_rate_days') | int %}
{%- set silence_probability = var('data_end_subscription_silence_probability') | float %}
{%- set as_of_literal = "cast('" ~ var('as_of_date') ~ "' as date)" if var('as_of_date') else none %}
-- The time frame the raw data covers (one row), SPEC §3: the last day of data
-- is a day every required input covers, and a few stray rows far after the
-- rest cannot move it. docs/method.md §6 explains the rule; its thresholds are
-- vars (data_end_*), so it holds on any company's data, not one generator's.
--
-- 1. Product events. Days with events (not after the day the build started)
--    form blocks separated by gaps of more than data_end_max_gap_days days
--    without any event. The main block is the last block holding at least
--    data_end_min_block_days median days' worth of events (a handful of rows
--    dated weeks after the rest is a block too small to be data), else the
--    largest block. The events cover up to the last day of the main block
--    with at least data_end_min_day_share of the median daily count (a
--    partial last day, or a few rows just past the end, are not coverage).
-- 2. Subscriptions. The table is known to cover up to its latest recorded
--    start (a new line, a change, a renewal); a term end is written in
--    advance, so it is never evidence. When the days between that start and
--    the events' last day are too many to be silence at the table's usual
--    rate of starts (Poisson: probability of no start below
--    data_end_subscription_silence_probability, rate over the
--    data_end_subscription_rate_days days before), the subscription export
--    is older than the events: the data end is its latest start, so a term
--    still running then stays a running customer, never a churn. Otherwise
--    (sparse subscription tables) the silence is plausible and the events
--    decide.
-- data_end_date = the earlier of the two; facts after it are quarantined as
-- future_timestamp. data_end_rule / data_end_detail record which rule chose
-- it. as_of_date = var('as_of_date') if set (never after data_end_date), else
-- data_end_date: never the wall clock, so a rebuild gives the same scores.
with

events as (
    {{ staging_raw_source('product', 'product_events', ['occurred_at']) }}
),

subscriptions as (
    {{ staging_raw_source('billing', 'subscriptions', ['start_date']) }}
),

event_dates as (
    select
        cast({{ try_cast(clean_text('occurred_at'), dbt.type_timestamp()) }} as date) as fact_date
    from events
),

event_days as (
    select
        fact_date,
        count(*) as n_rows
    from event_dates
    where fact_date is not null and fact_date <= {{ build_start_date() }}
    group by fact_date
),

event_typical as (
    select
        {{ metrics_median('cast(n_rows as ' ~ type_double() ~ ')') }} as median_daily_rows,
        max(fact_date) as last_event_date
    from event_days
),

event_gaps as (
    select
        fact_date,
        n_rows,
        case
            when
                lag(fact_date) over (order by fact_date) is null
                or {{ dbt.datediff('lag(fact_date) over (order by fact_date)', 'fact_date', 'day') }}
                > {{ max_gap_days }}
                then 1
            else 0
        end as starts_block
    from event_days
),

event_blocks as (
    select
        fact_date,
        n_rows,
        sum(starts_block) over (order by fact_date rows between unbounded preceding and current row)
            as block_number
    from event_gaps
),

block_totals as (
    select
        event_blocks.block_number,
        min(event_blocks.fact_date) as block_start_date,
        sum(event_blocks.n_rows) as block_rows,
        case
            when sum(event_blocks.n_rows) >= {{ min_block_days }} * max(event_typical.median_daily_rows)
                then 1
            else 0
        end as is_substantial
    from event_blocks
    cross join event_typical
    group by event_blocks.block_number
),

ranked_blocks as (
    select
        block_number,
        block_start_date,
        is_substantial,
        row_number() over (
            order by
                is_substantial desc,
                case when is_substantial = 1 then block_number end desc,
                block_rows desc,
                block_number desc
        ) as block_rank
    from block_totals
),

main_block as (
    select
        block_number,
        block_start_date
    from ranked_blocks
    where block_rank = 1
),

first_block as (
    select min(block_start_date) as first_event_date
    from ranked_blocks
    where is_substantial = 1 or block_rank = 1
),

event_bounds as (
    select
        coalesce(
            max(case
                when event_blocks.n_rows >= {{ min_day_share }} * event_typical.median_daily_rows
                    then event_blocks.fact_date
            end),
            max(event_blocks.fact_date)
        ) as events_covered_until,
        max(event_typical.last_event_date) as last_event_date,
        max(event_typical.median_daily_rows) as median_daily_rows
    from event_blocks
    inner join main_block
        on event_blocks.block_number = main_block.block_number
    cross join event_typical
),

event_strays as (
    select coalesce(sum(event_days.n_rows), 0) as stray_event_rows
    from event_days
    cross join event_bounds
    where event_days.fact_date > event_bounds.events_covered_until
),

subscription_dates as (
    select
        {{ try_cast(clean_text('start_date'), 'date') }} as fact_date
    from subscriptions
),

subscription_days as (
    select
        fact_date,
        count(*) as n_rows
    from subscription_dates
    where fact_date is not null
    group by fact_date
),

subscription_last as (
    select
        min(subscription_days.fact_date) as first_start_date,
        max(subscription_days.fact_date) as last_start_date
    from subscription_days
    cross join event_bounds
    where
        subscription_days.fact_date
        <= coalesce(event_bounds.events_covered_until, {{ build_start_date() }})
),

subscription_rate as (
    select
        subscription_last.first_start_date,
        subscription_last.last_start_date,
        cast(coalesce(sum(subscription_days.n_rows), 0) as {{ type_double() }}) / {{ rate_days }}
            as starts_per_day
    from subscription_last
    left join subscription_days
        on
            subscription_last.last_start_date >= subscription_days.fact_date
            and {{ dbt.dateadd('day', -rate_days, 'subscription_last.last_start_date') }}
            < subscription_days.fact_date
    group by subscription_last.first_start_date, subscription_last.last_start_date
),

coverage as (
    select
        event_bounds.last_event_date,
        event_bounds.events_covered_until,
        event_bounds.median_daily_rows,
        event_strays.stray_event_rows,
        subscription_rate.first_start_date,
        subscription_rate.last_start_date,
        subscription_rate.starts_per_day,
        {{ dbt.datediff('subscription_rate.last_start_date', 'event_bounds.events_covered_until', 'day') }}
            as days_without_start,
        coalesce(
            subscription_rate.starts_per_day
            * {{ dbt.datediff('subscription_rate.last_start_date', 'event_bounds.events_covered_until', 'day') }}
            > -ln({{ silence_probability }}),
            false
        ) as subscriptions_end_first
    from event_bounds
    cross join event_strays
    cross join subscription_rate
),

decided as (
    select
        *,
        case
            when events_covered_until is null then last_start_date
            when subscriptions_end_first then last_start_date
            else events_covered_until
        end as data_end_date,
        case
            when events_covered_until is null then 'subscriptions_latest_start'
            when subscriptions_end_first then 'subscriptions_latest_start'
            else 'product_events_coverage'
        end as data_end_rule
    from coverage
),

final as (
    select
        case
            when decided.first_start_date is null then first_block.first_event_date
            when first_block.first_event_date is null then decided.first_start_date
            when decided.first_start_date < first_block.first_event_date then decided.first_start_date
            else first_block.first_event_date
        end as data_start_date,
        decided.data_end_date,
        case
            when {{ as_of_literal or 'decided.data_end_date' }} > decided.data_end_date then decided.data_end_date
            else {{ as_of_literal or 'decided.data_end_date' }}
        end as as_of_date,
        decided.data_end_rule,
        case
            when decided.data_end_rule = 'product_events_coverage'
                then {{ dbt.concat([
                    "'last day covered by product events (at least " ~ min_day_share
                    ~ " x the median daily count, no gap over " ~ max_gap_days ~ " days); '",
                    "cast(decided.stray_event_rows as " ~ dbt.type_string() ~ ")",
                    "' event rows after it are strays'",
                ]) }}
            when decided.events_covered_until is null
                then {{ dbt.concat(["'no product events: the latest subscription start'"]) }}
            else {{ dbt.concat([
                "'latest subscription start: no start for '",
                "cast(decided.days_without_start as " ~ dbt.type_string() ~ ")",
                "' days before the events end, implausible at the usual rate of '",
                "cast(" ~ health_round("decided.starts_per_day", 2) ~ " as " ~ dbt.type_string() ~ ")",
                "' starts a day, so the subscription table is older than the events'",
            ]) }}
        end as data_end_detail,
        decided.last_event_date as events_last_date,
        decided.events_covered_until,
        decided.last_start_date as subscriptions_last_start_date,
        case when decided.subscriptions_end_first then decided.last_start_date end
            as subscriptions_covered_until,
        cast(decided.stray_event_rows as {{ dbt.type_bigint() }}) as events_stray_rows,
        cast(decided.median_daily_rows as {{ type_double() }}) as events_median_daily_rows,
        cast(decided.starts_per_day as {{ type_double() }}) as subscriptions_starts_per_day
    from decided
    cross join first_block
)

select * from final
