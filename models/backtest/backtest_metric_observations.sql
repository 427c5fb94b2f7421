{#-
    Every backtest observation x catalogue metric: the metric's value, the
    thresholds in force and its subscore as scored that day (the per-metric
    columns of int_metric_subscores_wide at the observations; the same rows
    as int_metric_subscores_normalized), with the observation's outcome and
    time split. The evidence behind backtest_metric_signal, the baselines and
    calibrate's metric-level fit.
    The point-in-time columns come from int_backtest_metric_features (stored
    per grid date, incremental); the outcome and the time split, which look
    forward, are joined here from backtest_observations and
    backtest_time_split (docs/perf-notes/bt.md).
-#}
{%- set double = type_double() %}

with

observations as (
    select * from {{ ref('backtest_observations') }}
),

time_split as (
    select * from {{ ref('backtest_time_split') }}
),

metric_features as (
    select * from {{ ref('int_backtest_metric_features') }}
),

health_metrics as (
    select * from {{ ref('stg_config__health_metrics') }}
),

final as (
    select
        observations.observation_id,
        observations.account_id,
        observations.observation_date,
        time_split.time_split,
        observations.profile,
        metric_features.metric,
        health_metrics.component,
        health_metrics.direction,
        coalesce(health_metrics.threshold_type, 'absolute') as threshold_type,
        cast(health_metrics.weight as {{ double }}) as metric_weight,
        metric_features.low,
        metric_features.high,
        metric_features.metric_value,
        metric_features.metric_value_used,
        metric_features.metric_subscore,
        (metric_features.metric_value_used is not null and metric_features.low is not null) as is_observed,
        observations.is_churned,
        cast(observations.arr as {{ double }}) as arr
    from observations
    inner join time_split
        on observations.observation_date = time_split.observation_date
    inner join metric_features
        on {{ same_account_day('observations', 'metric_features', 'observation_date', 'date_day') }}
    inner join health_metrics
        on metric_features.metric = health_metrics.metric
)

select * from final
