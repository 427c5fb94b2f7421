{#-
    Every backtest observation x catalogue metric: the metric's value, the
    thresholds in force and its subscore as scored that day (the per-metric
    columns of int_metric_subscores_wide, unpivoted at the observations
    only; the same rows as int_metric_subscores_normalized), with the observation's outcome and
    time split. The evidence behind backtest_metric_signal, the baselines and
    calibrate's metric-level fit.
-#}
{%- set double = type_double() -%}
{%- set metrics = metrics_catalogue().split(',') | map('trim') | reject('equalto', '') | list -%}
{#- the observation dates as literals (backtest_observation_day_filter): a
    pushable filter on the wide view, which is computed per account-day -#}
{%- set observation_days = backtest_observation_day_filter(ref('backtest_observations'), 'date_day') %}

with

observations as (
    select * from {{ ref('backtest_observations') }}
),

time_split as (
    select * from {{ ref('backtest_time_split') }}
),

metric_subscores as (
    select * from {{ ref('int_metric_subscores_wide') }}
    where {{ observation_days }}
),

health_metrics as (
    select * from {{ ref('stg_config__health_metrics') }}
),

observed_days as {{ health_cte_fence() }} (
    -- one join of the observations with the wide view, unpivoted below
    -- (a join per metric read the view once per metric)
    select
        observations.observation_id,
        metric_subscores.*
    from observations
    inner join metric_subscores
        on {{ same_account_day('observations', 'metric_subscores', 'observation_date', 'date_day') }}
),

observed_metrics as (
    {%- for m in metrics %}
        select
            metric_subscores.observation_id,
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
        observations.observation_id,
        observations.account_id,
        observations.observation_date,
        time_split.time_split,
        observations.profile,
        observed_metrics.metric,
        health_metrics.component,
        health_metrics.direction,
        coalesce(health_metrics.threshold_type, 'absolute') as threshold_type,
        cast(health_metrics.weight as {{ double }}) as metric_weight,
        cast(observed_metrics.low as {{ double }}) as low,
        cast(observed_metrics.high as {{ double }}) as high,
        cast(observed_metrics.metric_value as {{ double }}) as metric_value,
        cast(observed_metrics.metric_value_used as {{ double }}) as metric_value_used,
        cast(observed_metrics.metric_subscore as {{ double }}) as metric_subscore,
        (observed_metrics.metric_value_used is not null and observed_metrics.low is not null) as is_observed,
        observations.is_churned,
        cast(observations.arr as {{ double }}) as arr
    from observations
    inner join time_split
        on observations.observation_date = time_split.observation_date
    inner join observed_metrics
        on observations.observation_id = observed_metrics.observation_id
    inner join health_metrics
        on observed_metrics.metric = health_metrics.metric
)

select * from final
