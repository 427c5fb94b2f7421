{#-
    One row per account x customer day x catalogue metric (health_metrics):
    the metric value, the value used for scoring and its normalised subscore
    (SPEC §4.2-4.3).
    - value used = the observed value, else the metric's `missing_value`
      (in the metric's own unit) when the catalogue sets one, else nothing;
    - subscore = clamp((value used - low) / (high - low), 0, 1), inverted for
      lower_is_better; null when no value is used (the metric is excluded).
    The spine is every customer day x every catalogue metric, so a catalogue
    metric that the metrics layer does not emit still gets its missing_value.
-#}
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

metrics_unpivoted as (
    select * from {{ ref('int_account_metrics_unpivoted') }}
),

health_metrics as (
    select * from {{ ref('stg_config__health_metrics') }}
),

spine as (
    select
        account_days.account_id,
        account_days.date_day,
        health_metrics.metric,
        health_metrics.component,
        health_metrics.direction,
        cast(health_metrics.low as {{ type_double() }}) as low,
        cast(health_metrics.high as {{ type_double() }}) as high,
        cast(health_metrics.weight as {{ type_double() }}) as metric_weight,
        cast(health_metrics.missing_value as {{ type_double() }}) as missing_value
    from account_days
    cross join health_metrics
),

valued as (
    select
        spine.account_id,
        spine.date_day,
        spine.metric,
        spine.component,
        spine.direction,
        spine.low,
        spine.high,
        spine.metric_weight,
        cast(metrics_unpivoted.metric_value as {{ type_double() }}) as metric_value,
        coalesce(
            cast(metrics_unpivoted.metric_value as {{ type_double() }}),
            spine.missing_value
        ) as metric_value_used,
        (
            metrics_unpivoted.metric_value is null
            and spine.missing_value is not null
        ) as is_missing_value_used
    from spine
    left join metrics_unpivoted
        on
            spine.account_id = metrics_unpivoted.account_id
            and spine.date_day = metrics_unpivoted.date_day
            and spine.metric = metrics_unpivoted.metric
),

final as (
    select
        account_id,
        date_day,
        metric,
        component,
        direction,
        low,
        high,
        metric_weight,
        metric_value,
        metric_value_used,
        is_missing_value_used,
        metric_value_used is not null as is_observed,
        {{ scoring_normalize('metric_value_used', 'low', 'high', 'direction') }} as metric_subscore
    from valued
)

select * from final
