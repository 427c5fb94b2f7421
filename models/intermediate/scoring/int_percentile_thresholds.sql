{#-
    The percentile thresholds of the threshold grid (SPEC §4.2, threshold_type
    percentile), one row per grid period that has thresholds: date_day = its
    grid date (the first customer day + threshold_period x
    threshold_refresh_days), and per catalogue metric m of metrics_catalogue()
    m__pct_low / m__pct_high (null for a metric that is not a percentile
    metric of the seed). Computed once per build by
    scoring_percentile_threshold_ctes and read by int_metric_subscores_wide,
    which before issue 14 round 4 recomputed them for every reader of the view.
    Point in time: the row of grid date g comes from sampled values of days
    strictly before g only.
    Incremental (health_incremental_config): a daily run recomputes the grid
    dates from int_build_plan's day on. Exact: a value of day v only informs
    the grid dates after v, so no grid date before the recompute day can
    change; the grid dates from it on need the values of the
    threshold_lookback_days (in whole periods) before them, so the run reads
    int_account_metrics_daily from that many days before the recompute day
    (docs/perf-notes/thr.md).
-#}
{{ health_incremental_config() }}
{%- set metrics = metrics_catalogue().split(',') | map('trim') | reject('equalto', '') | list -%}
{%- set double = type_double() -%}
{%- set refresh_days = scoring_threshold_refresh_days() | int -%}
{%- set lookback_days = var('threshold_lookback_days', 84) | int -%}
{%- set lookback_periods = [((lookback_days + refresh_days - 1) // refresh_days), 1] | max -%}
{%- set start = health_incremental_from(ref('int_build_plan')) | trim -%}
{%- set read_from = health_incremental_shift(start, -(lookback_periods * refresh_days)) | trim %}

-- Generated per metric columns: sqlfluff cannot lay out
-- the loop-rendered lines (indent, length, qualification), checked by dbt instead.
-- noqa: disable=LT02,LT05,RF02
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

metrics_daily as (
    select * from {{ ref('int_account_metrics_daily') }}
    where 1 = 1 {{ health_incremental_filter('date_day', read_from) }}
),

health_metrics as (
    select * from {{ ref('stg_config__health_metrics') }}
),

grid_anchor as (
    select min(date_day) as anchor_date
    from account_days
),

sampled_days as (
    -- only the sampled days feed the percentile distributions
    select
        metrics_daily.*,
        {{ dbt.datediff('grid_anchor.anchor_date', 'metrics_daily.date_day', 'day') }} as day_number
    from metrics_daily
    cross join grid_anchor
    where mod(
            {{ dbt.datediff('grid_anchor.anchor_date', 'metrics_daily.date_day', 'day') }},
            {{ scoring_threshold_sample_every() }}
        )
        = 0
),

sampled_unpivoted as (
    {{ metrics_unpivot('sampled_days', ['day_number'], metrics) }}
),

metric_day_numbers as (
    select
        metric,
        metric_value,
        day_number
    from sampled_unpivoted
    where metric_value is not null
),

{{ scoring_percentile_threshold_ctes('metric_day_numbers', 'health_metrics', double) }},

thresholds_by_period as (
    select
        threshold_period,
    {%- for m in metrics %}
        max(case when metric = '{{ m }}' then low_value end) as {{ m }}__pct_low,
        max(case when metric = '{{ m }}' then high_value end) as {{ m }}__pct_high{{ "," if not loop.last }}
    {%- endfor %}
    from percentile_thresholds
    group by threshold_period
),

final as (
    select
        {{ metrics_add_days('grid_anchor.anchor_date', 'thresholds_by_period.threshold_period * ' ~ refresh_days) }}
            as date_day,
        thresholds_by_period.*
    from thresholds_by_period
    cross join grid_anchor
)

select * from final
where 1 = 1 {{ health_incremental_filter('date_day', start) }}
