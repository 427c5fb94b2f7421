{#-
    The observation grid of the backtest (SPEC §6): every
    `backtest_interval_days` from the first scored day plus a warm-up (so the
    28-day windows behind the first score are full). A date is labelled when
    its horizon and the resubscription grace period after it lie inside the
    data; later grid dates are censored and carry no observations.
-#}
{%- set interval_days = var('backtest_interval_days') | int -%}
{%- set horizon_days = var('backtest_horizon_days') | int -%}
{%- set grace_days = var('resubscribe_grace_days') | int -%}
{%- set warmup_days = var('backtest_warmup_days', 28) | int -%}

with

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

data_bounds as (
    select * from {{ ref('stg_data_bounds') }}
),

label_bounds as (
    -- the last day the warehouse knows facts for: an outcome is only known up to it
    select
        case
            when as_of_date < data_end_date then as_of_date
            else data_end_date
        end as label_end_date
    from data_bounds
),

grid_anchor as (
    select cast({{ dbt.dateadd('day', warmup_days, 'min(date_day)') }} as date) as anchor_date
    from health_daily
),

scored_days as (
    select
        date_day,
        count(*) as customers
    from health_daily
    group by date_day
),

grid_days as (
    select
        scored_days.date_day as observation_date,
        scored_days.customers,
        label_bounds.label_end_date
    from scored_days
    cross join grid_anchor
    cross join label_bounds
    where
        scored_days.date_day >= grid_anchor.anchor_date
        and mod({{ dbt.datediff('grid_anchor.anchor_date', 'scored_days.date_day', 'day') }}, {{ interval_days }}) = 0
),

final as (
    select
        observation_date,
        cast({{ dbt.dateadd('day', horizon_days, 'observation_date') }} as date) as horizon_end_date,
        cast({{ dbt.dateadd('day', horizon_days + grace_days, 'observation_date') }} as date) as labels_complete_date,
        label_end_date,
        cast(
            {{ dbt.dateadd('day', horizon_days + grace_days, 'observation_date') }} as date
        ) <= label_end_date as is_labelled,
        cast(customers as {{ dbt.type_bigint() }}) as customers
    from grid_days
)

select * from final
