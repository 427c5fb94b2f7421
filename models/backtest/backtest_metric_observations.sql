{#-
    Every backtest observation x catalogue metric: the metric's value, the
    thresholds in force and its subscore as scored that day
    (int_metric_subscores_normalized), with the observation's outcome and
    time split. The evidence behind backtest_metric_signal, the baselines and
    calibrate's metric-level fit.
-#}
{%- set double = type_double() -%}

with

observations as (
    select * from {{ ref('backtest_observations') }}
),

time_split as (
    select * from {{ ref('backtest_time_split') }}
),

metric_subscores as (
    select * from {{ ref('int_metric_subscores_normalized') }}
),

final as (
    select
        observations.observation_id,
        observations.account_id,
        observations.observation_date,
        time_split.time_split,
        observations.profile,
        metric_subscores.metric,
        metric_subscores.component,
        metric_subscores.direction,
        metric_subscores.threshold_type,
        cast(metric_subscores.metric_weight as {{ double }}) as metric_weight,
        cast(metric_subscores.low as {{ double }}) as low,
        cast(metric_subscores.high as {{ double }}) as high,
        cast(metric_subscores.metric_value as {{ double }}) as metric_value,
        cast(metric_subscores.metric_value_used as {{ double }}) as metric_value_used,
        cast(metric_subscores.metric_subscore as {{ double }}) as metric_subscore,
        metric_subscores.is_observed,
        observations.is_churned,
        cast(observations.arr as {{ double }}) as arr
    from observations
    inner join time_split
        on observations.observation_date = time_split.observation_date
    inner join metric_subscores
        on
            observations.account_id = metric_subscores.account_id
            and observations.observation_date = metric_subscores.date_day
)

select * from final
