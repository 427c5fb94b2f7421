{#-
    Churn, downgrade and expansion rates by score decile (SPEC §6), two ways:
    `score_range` cuts the 0-100 scale into ten fixed 10-point buckets (every
    bucket listed, empty or not); `quantile` cuts the observations into ten
    equally sized groups by score (tied scores stay together, so a decile
    can be missing or larger). A well-calibrated score has churn falling
    decile by decile.
-#}
{%- set double = type_double() -%}

with

observations as (
    select * from {{ ref('backtest_observations') }}
),

deciles as (
    {% for decile in range(1, 11) -%}
        select {{ decile }} as decile
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

base as (
    select cast({{ count_where('is_churned') }} as {{ double }}) / count(*) as base_churn_rate
    from observations
),

bucketed as (
    {% for calibration_type, decile_column in [
        ('score_range', 'score_range_decile'), ('quantile', 'score_quantile_decile')
    ] %}
        select
            '{{ calibration_type }}' as calibration_type,
            {{ decile_column }} as decile,
            health_score,
            is_churned,
            is_downgraded,
            is_expanded,
            arr_churned
        from observations
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

aggregated as (
    select
        calibration_type,
        decile,
        count(*) as observations,
        min(health_score) as score_min,
        max(health_score) as score_max,
        avg({{ scoring_fixed('health_score') }}) as score_mean,
        {{ count_where('is_churned') }} as churned,
        {{ count_where('is_downgraded') }} as downgraded,
        {{ count_where('is_expanded') }} as expanded,
        sum({{ scoring_fixed('arr_churned') }}) as arr_churned
    from bucketed
    group by calibration_type, decile
),

score_range_grid as (
    select
        'score_range' as calibration_type,
        cast(decile as {{ dbt.type_int() }}) as decile
    from deciles
),

all_buckets as (
    select
        calibration_type,
        decile
    from score_range_grid
    union
    select
        calibration_type,
        decile
    from aggregated
),

final as (
    select
        {{ dbt.concat([
            'all_buckets.calibration_type',
            "'|'",
            'cast(all_buckets.decile as ' ~ dbt.type_string() ~ ')',
        ]) }} as calibration_id,
        all_buckets.calibration_type,
        cast(all_buckets.decile as {{ dbt.type_int() }}) as decile,
        case
            when all_buckets.calibration_type = 'score_range'
                then cast(10 * (all_buckets.decile - 1) as {{ double }})
        end as bucket_lower_score,
        case
            when all_buckets.calibration_type = 'score_range'
                then cast(10 * all_buckets.decile as {{ double }})
        end as bucket_upper_score,
        cast(coalesce(aggregated.observations, 0) as {{ dbt.type_bigint() }}) as observations,
        cast(aggregated.score_min as {{ double }}) as score_min,
        cast(aggregated.score_max as {{ double }}) as score_max,
        cast(aggregated.score_mean as {{ double }}) as score_mean,
        cast(coalesce(aggregated.churned, 0) as {{ dbt.type_bigint() }}) as churned,
        {{ health_rate('aggregated.churned', 'aggregated.observations') }} as churn_rate,
        {{ health_rate('aggregated.downgraded', 'aggregated.observations') }} as downgrade_rate,
        {{ health_rate('aggregated.expanded', 'aggregated.observations') }} as expansion_rate,
        cast(coalesce(aggregated.arr_churned, 0) as {{ double }}) as arr_churned,
        case
            when aggregated.observations > 0 and base.base_churn_rate > 0
                then cast(aggregated.churned as {{ double }}) / aggregated.observations / base.base_churn_rate
        end as churn_lift
    from all_buckets
    left join aggregated
        on {{ same_keys('all_buckets', 'aggregated', ['calibration_type', 'decile']) }}
    cross join base
)

select * from final
