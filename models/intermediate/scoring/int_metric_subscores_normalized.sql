{#-
    Long form (a view, computed when read): one row per account x customer
    day x catalogue metric (health_metrics). The scoring itself runs in wide
    form (int_metric_subscores_wide, one row per account-day); this view is
    the reference it is checked against (tests_python/test_incremental.py)
    and carries the unit tests of the per-metric rules.
    Per metric:
    the metric value, the value used for scoring and its normalised subscore
    (SPEC §4.2-4.3).
    - value used = the observed value, else the metric's `missing_value`
      (in the metric's own unit) when the catalogue sets one, else nothing;
    - subscore = clamp((value used - low) / (high - low), 0, 1), inverted for
      lower_is_better; null when no value is used (the metric is excluded).
    - low / high: the seed values (threshold_type absolute), or (percentile)
      the values at the seed's percentile levels of the metric among
      customers, point in time: threshold dates form a grid every
      `threshold_refresh_days` from the first customer day; the thresholds of
      grid date g come from the observed values of every customer on the
      sampled days (every `threshold_sample_every_days`-th day of the grid)
      of the `threshold_lookback_days` (rounded up to whole refresh periods)
      strictly before g; a day uses the latest grid date on or before it.
      Before the first grid date with data, or when the two percentile values
      coincide (a metric constant among customers), the metric is excluded.
      Percentiles interpolate linearly between ranks (as percentile_cont).
    The spine is every customer day x every catalogue metric, so a catalogue
    metric that the metrics layer does not emit still gets its missing_value.
-#}
{{ config(materialized='view') }}
{%- set double = type_double() %}

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

grid_anchor as (
    select min(date_day) as anchor_date
    from account_days
),

metric_day_numbers as (
    select
        metrics_unpivoted.metric,
        metrics_unpivoted.metric_value,
        {{ dbt.datediff('grid_anchor.anchor_date', 'metrics_unpivoted.date_day', 'day') }} as day_number
    from metrics_unpivoted
    cross join grid_anchor
    where metrics_unpivoted.metric_value is not null
),

{{ scoring_percentile_threshold_ctes('metric_day_numbers', 'health_metrics', double) }},

spine as (
    select
        account_days.account_id,
        account_days.date_day,
        health_metrics.metric,
        health_metrics.component,
        health_metrics.direction,
        coalesce(health_metrics.threshold_type, 'absolute') as threshold_type,
        {{ scoring_threshold_period('grid_anchor.anchor_date', 'account_days.date_day') }} as threshold_period,
        cast(health_metrics.low as {{ double }}) as seed_low,
        cast(health_metrics.high as {{ double }}) as seed_high,
        cast(health_metrics.weight as {{ double }}) as metric_weight,
        cast(health_metrics.missing_value as {{ double }}) as missing_value
    from account_days
    cross join health_metrics
    cross join grid_anchor
),

thresholded as (
    select
        spine.account_id,
        spine.date_day,
        spine.metric,
        spine.component,
        spine.direction,
        spine.threshold_type,
        spine.metric_weight,
        spine.missing_value,
        case
            when spine.threshold_type = 'percentile' and percentile_thresholds.low_value is not null
                then {{ metrics_add_days(
                    'grid_anchor.anchor_date',
                    'spine.threshold_period * ' ~ scoring_threshold_refresh_days()
                ) }}
        end as threshold_date,
        case
            when spine.threshold_type != 'percentile' then spine.seed_low
            when percentile_thresholds.low_value < percentile_thresholds.high_value
                then percentile_thresholds.low_value
        end as low,
        case
            when spine.threshold_type != 'percentile' then spine.seed_high
            when percentile_thresholds.low_value < percentile_thresholds.high_value
                then percentile_thresholds.high_value
        end as high
    from spine
    cross join grid_anchor
    left join percentile_thresholds
        on
            spine.metric = percentile_thresholds.metric
            and spine.threshold_period = percentile_thresholds.threshold_period
),

valued as (
    select
        thresholded.account_id,
        thresholded.date_day,
        thresholded.metric,
        thresholded.component,
        thresholded.direction,
        thresholded.threshold_type,
        thresholded.threshold_date,
        thresholded.low,
        thresholded.high,
        thresholded.metric_weight,
        cast(metrics_unpivoted.metric_value as {{ double }}) as metric_value,
        coalesce(
            cast(metrics_unpivoted.metric_value as {{ double }}),
            thresholded.missing_value
        ) as metric_value_used,
        (
            metrics_unpivoted.metric_value is null
            and thresholded.missing_value is not null
        ) as is_missing_value_used
    from thresholded
    left join metrics_unpivoted
        on
            thresholded.account_id = metrics_unpivoted.account_id
            and thresholded.date_day = metrics_unpivoted.date_day
            and thresholded.metric = metrics_unpivoted.metric
),

final as (
    select
        account_id,
        date_day,
        metric,
        component,
        direction,
        threshold_type,
        threshold_date,
        low,
        high,
        metric_weight,
        metric_value,
        metric_value_used,
        is_missing_value_used,
        metric_value_used is not null and low is not null as is_observed,
        case
            when low is not null
                then {{ scoring_normalize('metric_value_used', 'low', 'high', 'direction') }}
        end as metric_subscore
    from valued
)

select * from final
