{#-
    Signal in the open, per metric of the catalogue: on the backtest
    observations, how often the metric is null (excluded), how often its
    subscore sits at each clamp (0 or 1), whether it is constant, and how
    well its subscore alone ranks churners (AUC; lower subscore = risk) and
    the churn lift of its worst decile. A metric that is constant or null
    for every observation (`is_dead`) or sits at one clamp for more than 90 %
    of its observed rows (`is_saturated`) adds no signal, only dilution.
-#}

with

metric_observations as (
    select * from {{ ref('backtest_metric_observations') }}
),

base as (
    select
        count(*) as observations,
        {{ count_where('is_churned') }} as churned
    from {{ ref('backtest_observations') }}
),

scored as (
    select
        metric,
        observation_id,
        metric_subscore,
        is_churned
    from metric_observations
    where metric_subscore is not null
),

deciles as (
    select
        metric,
        is_churned,
        ntile(10) over (partition by metric order by metric_subscore asc, observation_id asc) as risk_decile
    from scored
),

worst_decile as (
    select
        metric,
        count(*) as decile_observations,
        {{ count_where('is_churned') }} as decile_churned
    from deciles
    where risk_decile = 1
    group by metric
),

metric_auc as (
    {{ rank_auc('scored', 'metric_subscore', 'is_churned', partition_by=['metric'], lower_score_is_positive=true) }}
),

stats as (
    select
        metric,
        max(component) as component,
        max(threshold_type) as threshold_type,
        max(metric_weight) as metric_weight,
        count(*) as observations,
        count(metric_subscore) as observed,
        {{ count_where('metric_value is null') }} as value_null,
        {{ count_where('metric_subscore = 0') }} as at_low_clamp,
        {{ count_where('metric_subscore = 1') }} as at_high_clamp,
        count(distinct metric_value_used) as distinct_values,
        {{ count_where('metric_subscore is not null and is_churned') }} as churned_observed
    from metric_observations
    group by metric
),

final as (
    select
        stats.metric,
        stats.component,
        stats.threshold_type,
        cast(stats.metric_weight as {{ type_double() }}) as metric_weight,
        cast(stats.observations as {{ dbt.type_bigint() }}) as observations,
        cast(stats.observed as {{ dbt.type_bigint() }}) as observed,
        cast(stats.churned_observed as {{ dbt.type_bigint() }}) as churned_observed,
        {{ health_rate('stats.value_null', 'stats.observations') }} as share_null,
        {{ health_rate('stats.observations - stats.observed', 'stats.observations') }} as share_excluded,
        {{ health_rate('stats.at_low_clamp', 'stats.observed') }} as share_at_low_clamp,
        {{ health_rate('stats.at_high_clamp', 'stats.observed') }} as share_at_high_clamp,
        cast(stats.distinct_values as {{ dbt.type_bigint() }}) as distinct_values,
        metric_auc.auc as auc_churn,
        {{ health_rate('worst_decile.decile_churned', 'worst_decile.decile_observations') }}
            as worst_decile_churn_rate,
        ({{ health_rate('worst_decile.decile_churned', 'worst_decile.decile_observations') }})
        / nullif({{ health_rate('base.churned', 'base.observations') }}, 0) as worst_decile_lift,
        (stats.observed = 0 or stats.distinct_values <= 1) as is_dead,
        coalesce(
            stats.observed > 0
            and (stats.at_low_clamp > 0.9 * stats.observed or stats.at_high_clamp > 0.9 * stats.observed),
            false
        ) as is_saturated
    from stats
    cross join base
    left join metric_auc
        on stats.metric = metric_auc.metric
    left join worst_decile
        on stats.metric = worst_decile.metric
)

select * from final
