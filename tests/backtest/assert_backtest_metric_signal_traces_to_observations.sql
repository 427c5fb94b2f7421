-- Rule (issue 9, signal in the open): every per-metric figure is a count over
-- backtest_observations, on the subscores the score used that day. Each
-- metric has exactly one row per observation in backtest_metric_observations,
-- its observed / churned counts and clamp shares are recounted from those
-- rows and the observations' outcomes, its AUC lies in [0, 1], and the
-- metric rows trace to the published score: per observation and component
-- (of a profile that weights it), the weighted mean (health_metrics.weight)
-- of the observed metric subscores is the component subscore of
-- backtest_observations (fct_account_health_daily that day), null when no
-- metric of the component is observed; and each metric_value is the value
-- of int_account_metrics_daily on the observation's account-day.
-- Cost: this reads the backtest tables and the config only. It used to
-- recount from the long-form view int_metric_subscores_normalized over all
-- account-days x metrics (the costliest test of a daily run); that the wide
-- scoring path equals that long-form reference metric by metric is pinned by
-- tests_python/test_incremental.py, and the component trace below ties each
-- metric row to the score the warehouse published.
{%- set components = (scoring_components(wide=true) | trim).split(',') | map('trim') | reject('equalto', '') | list %}

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

catalogue as (
    select * from {{ ref('stg_config__health_metrics') }}
),

health_weights as (
    select * from {{ ref('stg_config__health_weights') }}
),

metrics_daily as (
    select * from {{ ref('int_account_metrics_daily') }}
),

recounted as (
    select
        catalogue.metric,
        count(observations.observation_id) as observations,
        count(metric_observations.metric_subscore) as observed,
        {{ count_where('metric_observations.metric_subscore is not null and observations.is_churned') }}
            as churned_observed,
        {{ count_where('metric_observations.metric_subscore = 0') }} as at_low_clamp,
        {{ count_where('metric_observations.metric_subscore = 1') }} as at_high_clamp
    from catalogue
    cross join observations
    left join metric_observations
        on
            observations.observation_id = metric_observations.observation_id
            and catalogue.metric = metric_observations.metric
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

signal_failures as (
    select
        recounted.metric,
        cast(null as {{ dbt.type_string() }}) as observation_id,
        'metric signal does not recount from the observations' as failure
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
),

component_means as (
    -- the weighted mean of each component's observed metric subscores
    select
        observation_id,
        component,
        sum(case when metric_subscore is not null then metric_weight * metric_subscore end)
        / nullif(sum(case when metric_subscore is not null then metric_weight end), 0) as recomputed_subscore,
        count(metric_subscore) as metrics_observed
    from metric_observations
    group by observation_id, component
),

published as (
    -- the component subscores of the observation, as published that day
    {%- for c in components %}
        select
            observation_id,
            profile,
            '{{ c }}' as component,
            {{ c }}_subscore as published_subscore
        from observations
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

expected_subscores as (
    -- the component subscore the metric rows give: their weighted mean for a
    -- component the profile weights with a metric observed, else null
    select
        published.observation_id,
        published.component,
        case
            when health_weights.component is not null and coalesce(component_means.metrics_observed, 0) > 0
                then component_means.recomputed_subscore
        end as expected_subscore
    from published
    left join health_weights
        on
            published.profile = health_weights.profile
            and published.component = health_weights.component
    left join component_means
        on
            published.observation_id = component_means.observation_id
            and published.component = component_means.component
),

component_failures as (
    {{ trace_failures(
        'metric subscores do not add up to the published component subscore',
        'published', 'expected_subscores', ['observation_id', 'component'],
        'published.published_subscore', 'expected_subscores.expected_subscore', 1e-6
    ) }}
),

observed_metric_days as (
    select
        observations.observation_id,
        metrics_daily.*
    from observations
    inner join metrics_daily
        on {{ same_account_day('observations', 'metrics_daily', 'observation_date', 'date_day') }}
),

daily_values as (
    {{ metrics_unpivot(
        'observed_metric_days', ['observation_id'], metrics_catalogue(),
        columns_of=ref('int_account_metrics_daily')
    ) }}
),

value_failures as (
    {{ trace_failures(
        'metric value is not the value of int_account_metrics_daily that day',
        'metric_observations', 'daily_values', ['observation_id', 'metric'],
        'metric_observations.metric_value', 'cast(daily_values.metric_value as ' ~ type_double() ~ ')', 1e-9,
        relative=true
    ) }}
),

final as (
    select * from signal_failures
    union all
    select * from value_failures
    union all
    select * from component_failures
)

select * from final
