{{ config(materialized='table') }}
{%- set as_of_date_sql = "cast('" ~ var('as_of_date') ~ "' as date)" if var('as_of_date') else 'data_end_date' %}
-- The time frame the raw data covers (one row). data_end_date is the latest
-- product event date not after the day the build started (so a typo far in
-- the future cannot stretch the frame); facts after it are quarantined as
-- future_timestamp. as_of_date = var('as_of_date') if set, else data_end_date:
-- never the wall clock, so a rebuild on the same data gives the same scores.
with

events as (
    {{ staging_raw_source('product', 'product_events', ['occurred_at']) }}
),

subscriptions as (
    {{ staging_raw_source('billing', 'subscriptions', ['start_date']) }}
),

event_dates as (
    select
        cast({{ try_cast('occurred_at', dbt.type_timestamp()) }} as date) as fact_date
    from events
),

subscription_dates as (
    select
        {{ try_cast('start_date', 'date') }} as fact_date
    from subscriptions
),

event_bounds as (
    select
        min(fact_date) as first_event_date,
        max(fact_date) as last_event_date
    from event_dates
    where fact_date <= {{ build_start_date() }}
),

subscription_bounds as (
    select
        min(fact_date) as first_start_date,
        max(fact_date) as last_start_date
    from subscription_dates
    where fact_date <= {{ build_start_date() }}
),

combined as (
    select
        -- no events at all: fall back to the latest subscription start
        coalesce(event_bounds.last_event_date, subscription_bounds.last_start_date) as data_end_date,
        case
            when subscription_bounds.first_start_date is null then event_bounds.first_event_date
            when event_bounds.first_event_date is null then subscription_bounds.first_start_date
            when subscription_bounds.first_start_date < event_bounds.first_event_date
                then subscription_bounds.first_start_date
            else event_bounds.first_event_date
        end as data_start_date
    from event_bounds
    cross join subscription_bounds
),

final as (
    select
        data_start_date,
        data_end_date,
        {{ as_of_date_sql }} as as_of_date
    from combined
)

select * from final
