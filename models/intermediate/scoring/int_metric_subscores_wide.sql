{#-
    One row per account x customer day, a group of columns per catalogue
    metric m (metrics_catalogue()): m__value (observed), m__value_used (else
    the seed's missing_value), m__low / m__high (thresholds in force) and
    m__subscore, with the rules of int_metric_subscores_normalized (SPEC
    §4.2-4.3) computed in one pass over account-days instead of account-days
    x metrics. A view: int_health_scores_wide reads it once per build, the
    backtest at its observation dates only.
    - a catalogue metric absent from the seed (health_metrics) gets nulls:
      it is not scored (caps may still read its m__value);
    - percentile thresholds: int_percentile_thresholds (a table, incremental,
      scoring_percentile_threshold_ctes over the sampled days of
      int_account_metrics_daily, point in time: a grid period's thresholds
      come from earlier periods only), joined by grid period.
-#}
{#- a table on Spark: its session-mode metastore (Derby) holds a view's SQL in 32,700 characters -#}
{{ config(materialized=health_wide_view_materialization() | trim) }}
{%- set metrics = metrics_catalogue().split(',') | map('trim') | reject('equalto', '') | list -%}
{%- set double = type_double() %}

-- Generated per metric / per component columns: sqlfluff cannot lay out
-- the loop-rendered lines (indent, length, qualification), checked by dbt instead.
-- noqa: disable=LT02,LT05,RF02
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

metrics_daily as (
    select * from {{ ref('int_account_metrics_daily') }}
),

health_metrics as (
    select * from {{ ref('stg_config__health_metrics') }}
),

grid_anchor as (
    select min(date_day) as anchor_date
    from account_days
),

thresholds_by_period as (
    -- the percentile thresholds of each grid period, stored once per build
    select * from {{ ref('int_percentile_thresholds') }}
),

metric_config as (
    {{ scoring_metric_config('health_metrics', metrics, double) }}
),

days as (
    select
        account_days.account_id,
        account_days.date_day,
        {{ scoring_threshold_period('grid_anchor.anchor_date', 'account_days.date_day') }} as threshold_period
    from account_days
    cross join grid_anchor
),

thresholded as (
    select
        days.account_id,
        days.date_day,
    {%- for m in metrics %}
        metric_config.{{ m }}__direction,
        cast(metrics_daily.{{ m }} as {{ double }}) as {{ m }}__value,
        case
            when metric_config.{{ m }}__in_seed is not null
                then coalesce(cast(metrics_daily.{{ m }} as {{ double }}), metric_config.{{ m }}__missing_value)
        end as {{ m }}__value_used,
        case
            when metric_config.{{ m }}__threshold_type != 'percentile' then metric_config.{{ m }}__low
            when thresholds_by_period.{{ m }}__pct_low < thresholds_by_period.{{ m }}__pct_high
                then thresholds_by_period.{{ m }}__pct_low
        end as {{ m }}__low,
        case
            when metric_config.{{ m }}__threshold_type != 'percentile' then metric_config.{{ m }}__high
            when thresholds_by_period.{{ m }}__pct_low < thresholds_by_period.{{ m }}__pct_high
                then thresholds_by_period.{{ m }}__pct_high
        end as {{ m }}__high{{ "," if not loop.last }}
    
    {%- endfor %}
    from days
    cross join metric_config
    left join metrics_daily
        on
            days.account_id = metrics_daily.account_id
            and days.date_day = metrics_daily.date_day
    left join thresholds_by_period
        on days.threshold_period = thresholds_by_period.threshold_period
),

final as (
    select
        account_id,
        date_day,
    {%- for m in metrics %}
        {{ m }}__value,
        {{ m }}__value_used,
        {{ m }}__low,
        {{ m }}__high,
        case
            when {{ m }}__low is not null
                then {{ scoring_normalize(m ~ '__value_used', m ~ '__low', m ~ '__high', m ~ '__direction') }}
        end as {{ m }}__subscore{{ "," if not loop.last }}
    
    {%- endfor %}
    from thresholded
)

select * from final
