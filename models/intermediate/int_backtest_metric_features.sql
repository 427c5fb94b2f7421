{#-
    The point-in-time half of backtest_metric_observations, stored: for every
    account x backtest grid date (backtest_observation_dates, labelled or
    not yet) x catalogue metric, the metric's value, the thresholds in force
    and its subscore as scored that day (the per-metric columns of
    int_metric_subscores_wide, unpivoted at the grid dates only).
    Incremental like the account-day models (macros/incremental): a row of
    grid date d is a function of the facts dated on or before d (SPEC §3),
    so an incremental run recomputes only the grid dates from
    int_build_plan's recompute_from on; the labels and the time split, which
    look forward, are attached at read time by backtest_metric_observations
    (docs/perf-notes/bt.md).
-#}
{{ health_incremental_config() }}
{%- set start = health_incremental_from(ref('int_build_plan')) | trim %}
{%- set double = type_double() -%}
{%- set metrics = metrics_catalogue().split(',') | map('trim') | reject('equalto', '') | list -%}
{#- a pushable filter on the wide view, which is computed per account-day -#}
{%- set grid_days = backtest_grid_day_filter(ref('backtest_observation_dates'), 'date_day', start) %}

with

grid_dates as (
    select observation_date
    from {{ ref('backtest_observation_dates') }}
    where 1 = 1 {{ health_incremental_filter('observation_date', start) }}
),

metric_subscores as (
    select * from {{ ref('int_metric_subscores_wide') }}
    where {{ grid_days }} {{ health_incremental_filter('date_day', start) }}
),

observed_days as {{ health_cte_fence() }} (
    -- one join of the grid dates with the wide view, unpivoted below
    select metric_subscores.*
    from metric_subscores
    inner join grid_dates
        on metric_subscores.date_day = grid_dates.observation_date
),

observed_metrics as (
    {%- for m in metrics %}
        select
            metric_subscores.account_id,
            metric_subscores.date_day,
            '{{ m }}' as metric,
            metric_subscores.{{ m }}__low as low,
            metric_subscores.{{ m }}__high as high,
            metric_subscores.{{ m }}__value as metric_value,
            metric_subscores.{{ m }}__value_used as metric_value_used,
            metric_subscores.{{ m }}__subscore as metric_subscore
        from observed_days as metric_subscores
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        account_id,
        date_day,
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(low as {{ double }}) as low,
        cast(high as {{ double }}) as high,
        cast(metric_value as {{ double }}) as metric_value,
        cast(metric_value_used as {{ double }}) as metric_value_used,
        cast(metric_subscore as {{ double }}) as metric_subscore
    from observed_metrics
)

select * from final
