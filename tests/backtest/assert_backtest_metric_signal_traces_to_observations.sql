-- Rule (issue 9, signal in the open): every per-metric figure is a count over
-- backtest_observations. Each metric has exactly one row per observation in
-- backtest_metric_observations, its observed / churned counts and clamp
-- shares are recounted from those rows and the subscores of the observation
-- day (int_metric_subscores_normalized), and its AUC lies in [0, 1].
with

observations as (
    select * from {{ ref('backtest_observations') }}
),

metric_observations as (
    select * from {{ ref('backtest_metric_observations') }}
),

metric_signal as (
    select * from {{ ref('backtest_metric_signal') }}
),

metric_subscores as (
    select * from {{ ref('int_metric_subscores_normalized') }}
),

catalogue as (
    select * from {{ ref('stg_config__health_metrics') }}
),

recounted as (
    select
        catalogue.metric,
        count(observations.observation_id) as observations,
        count(metric_subscores.metric_subscore) as observed,
        {{ count_where('metric_subscores.metric_subscore is not null and observations.is_churned') }}
            as churned_observed,
        {{ count_where('metric_subscores.metric_subscore = 0') }} as at_low_clamp,
        {{ count_where('metric_subscores.metric_subscore = 1') }} as at_high_clamp
    from catalogue
    cross join observations
    left join metric_subscores
        on
            observations.account_id = metric_subscores.account_id
            and observations.observation_date = metric_subscores.date_day
            and catalogue.metric = metric_subscores.metric
    group by catalogue.metric
),

rows_per_observation as (
    select
        metric,
        count(*) as n_rows,
        count(distinct observation_id) as n_observations
    from metric_observations
    group by metric
),

final as (
    select recounted.metric
    from recounted
    left join metric_signal
        on recounted.metric = metric_signal.metric
    left join rows_per_observation
        on recounted.metric = rows_per_observation.metric
    where
        metric_signal.metric is null
        or metric_signal.observations != recounted.observations
        or coalesce(rows_per_observation.n_rows, 0) != recounted.observations
        or coalesce(rows_per_observation.n_observations, 0) != recounted.observations
        or metric_signal.observed != recounted.observed
        or metric_signal.churned_observed != recounted.churned_observed
        or abs(coalesce(metric_signal.share_at_low_clamp, 0) * recounted.observed - recounted.at_low_clamp) > 0.001
        or abs(coalesce(metric_signal.share_at_high_clamp, 0) * recounted.observed - recounted.at_high_clamp) > 0.001
        or metric_signal.auc_churn < 0
        or metric_signal.auc_churn > 1
)

select * from final
