{#-
    Percentile thresholds, point in time (SPEC §4.2, threshold_type
    percentile), shared by int_metric_subscores_wide and the long-form
    int_metric_subscores_normalized.

    scoring_threshold_refresh_days(): var threshold_refresh_days (at least 1),
    the days between two threshold grid dates, as text.
-#}
{% macro scoring_threshold_refresh_days() -%}
    {{ [var('threshold_refresh_days', 28) | int, 1] | max }}
{%- endmacro %}

{#- scoring_threshold_sample_every(): var threshold_sample_every_days (at least 1), as text. -#}
{% macro scoring_threshold_sample_every() -%}
    {{ [var('threshold_sample_every_days', 7) | int, 1] | max }}
{%- endmacro %}

{#-
    scoring_threshold_period(anchor_date, date_day): the threshold grid period
    of a day, floor(days since the anchor / refresh days), as an integer.
-#}
{% macro scoring_threshold_period(anchor_date, date_day) -%}
    cast(
        floor({{ dbt.datediff(anchor_date, date_day, 'day') }} / {{ scoring_threshold_refresh_days() }}.0)
        as {{ dbt.type_int() }}
    )
{%- endmacro %}

{#-
    scoring_percentile_threshold_ctes(metric_day_numbers, health_metrics, double):
    the CTEs (no leading `with`, no trailing comma) ending in
    `percentile_thresholds` (metric, threshold_period, low_value, high_value).
    `metric_day_numbers` is a relation of observed values (metric,
    metric_value, day_number = days since the grid anchor), non-null;
    `health_metrics` the metric catalogue (stg_config__health_metrics);
    `double` the floating point type (type_double(); passed in because the
    sqlfluff templater cannot call a macro of another file from a macro).
    Grid date g = anchor + period x refresh days; its thresholds come from the
    values of the sampled days (day_number divisible by
    threshold_sample_every_days) of the threshold_lookback_days (rounded up
    to whole refresh periods) strictly before g, interpolated linearly
    between ranks at the seed's low / high percentile levels (as
    percentile_cont).
-#}
{% macro scoring_percentile_threshold_ctes(metric_day_numbers, health_metrics, double) -%}
    {%- set refresh_days = scoring_threshold_refresh_days() | int -%}
    {%- set lookback_days = var('threshold_lookback_days', 84) | int -%}
    {%- set lookback_periods = [((lookback_days + refresh_days - 1) // refresh_days), 1] | max -%}
percentile_metrics as (
    select
        metric,
        cast(low as {{ double }}) / 100 as low_level,
        cast(high as {{ double }}) / 100 as high_level
    from {{ health_metrics }}
    where threshold_type = 'percentile'
),

sampled_values as (
    -- observed values of customers on the sampled days, with their period
    select
        {{ metric_day_numbers }}.metric,
        cast({{ metric_day_numbers }}.metric_value as {{ double }}) as metric_value,
        cast(floor({{ metric_day_numbers }}.day_number / {{ refresh_days }}.0) as {{ dbt.type_int() }}) as value_period
    from {{ metric_day_numbers }}
    inner join percentile_metrics
        on {{ metric_day_numbers }}.metric = percentile_metrics.metric
    where mod({{ metric_day_numbers }}.day_number, {{ scoring_threshold_sample_every() }}) = 0
),

period_offsets as (
    {% for offset in range(1, lookback_periods + 1) -%}
        select {{ offset }} as period_offset{{ " union all" if not loop.last }}
    {% endfor %}
),

distribution as (
    -- a value of period p informs the thresholds of periods p + 1 .. p + k
    select
        sampled_values.metric,
        sampled_values.metric_value,
        sampled_values.value_period + period_offsets.period_offset as threshold_period
    from sampled_values
    cross join period_offsets
),

ranked as (
    select
        metric,
        threshold_period,
        metric_value,
        row_number() over (
            partition by metric, threshold_period order by metric_value
        ) - 1 as value_position,
        count(*) over (partition by metric, threshold_period) as n_values
    from distribution
),

level_positions as (
    select
        ranked.metric,
        ranked.threshold_period,
        ranked.metric_value,
        ranked.value_position,
        percentile_metrics.low_level * (ranked.n_values - 1) as low_position,
        percentile_metrics.high_level * (ranked.n_values - 1) as high_position
    from ranked
    inner join percentile_metrics
        on ranked.metric = percentile_metrics.metric
),

threshold_parts as (
    select
        metric,
        threshold_period,
        max(low_position) as low_position,
        max(high_position) as high_position,
        max(case when value_position = floor(low_position) then metric_value end) as low_below,
        max(case when value_position = ceil(low_position) then metric_value end) as low_above,
        max(case when value_position = floor(high_position) then metric_value end) as high_below,
        max(case when value_position = ceil(high_position) then metric_value end) as high_above
    from level_positions
    where
        value_position = floor(low_position)
        or value_position = ceil(low_position)
        or value_position = floor(high_position)
        or value_position = ceil(high_position)
    group by metric, threshold_period
),

percentile_thresholds as (
    select
        metric,
        threshold_period,
        low_below + (low_position - floor(low_position)) * (low_above - low_below) as low_value,
        high_below + (high_position - floor(high_position)) * (high_above - high_below) as high_value
    from threshold_parts
)
{%- endmacro %}
