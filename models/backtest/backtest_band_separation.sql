{#-
    Outcomes per score band (SPEC §6), overall, per segment and per quarter
    of the observation date. Every band of `health_bands` appears in every
    slice, with zero observations (and null rates) where no customer sat in
    it. Lift = the band's churn rate / the slice's base churn rate.
-#}
{%- set double = type_double() -%}
{%- set slices = [
    ('overall', "'all'"),
    ('segment', 'segment'),
    ('quarter', 'observation_quarter'),
] -%}

with

observations as (
    select * from {{ ref('backtest_observations') }}
),

bands as (
    select * from {{ ref('dim_health_bands') }}
),

sliced as (
    {% for slice_type, slice_expression in slices %}
        select
            '{{ slice_type }}' as slice_type,
            cast({{ slice_expression }} as {{ dbt.type_string() }}) as slice_value,
            account_id,
            band_rank,
            is_churned,
            is_downgraded,
            is_expanded,
            arr,
            arr_churned
        from observations
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

slice_values as (
    select
        slice_type,
        slice_value,
        count(*) as slice_observations,
        {{ count_where('is_churned') }} as slice_churned
    from sliced
    group by slice_type, slice_value
),

band_outcomes as (
    select
        slice_type,
        slice_value,
        band_rank,
        count(*) as observations,
        count(distinct account_id) as accounts,
        {{ count_where('is_churned') }} as churned,
        {{ count_where('is_downgraded') }} as downgraded,
        {{ count_where('is_expanded') }} as expanded,
        sum({{ scoring_fixed('arr') }}) as arr_observed,
        sum({{ scoring_fixed('arr_churned') }}) as arr_churned
    from sliced
    group by slice_type, slice_value, band_rank
),

grid as (
    select
        slice_values.slice_type,
        slice_values.slice_value,
        slice_values.slice_observations,
        slice_values.slice_churned,
        bands.band,
        bands.band_rank
    from slice_values
    cross join bands
),

joined as (
    select
        grid.slice_type,
        grid.slice_value,
        grid.band,
        grid.band_rank,
        grid.slice_observations,
        grid.slice_churned,
        coalesce(band_outcomes.observations, 0) as observations,
        coalesce(band_outcomes.accounts, 0) as accounts,
        coalesce(band_outcomes.churned, 0) as churned,
        coalesce(band_outcomes.downgraded, 0) as downgraded,
        coalesce(band_outcomes.expanded, 0) as expanded,
        coalesce(band_outcomes.arr_observed, 0) as arr_observed,
        coalesce(band_outcomes.arr_churned, 0) as arr_churned
    from grid
    left join band_outcomes
        on {{ same_keys('grid', 'band_outcomes', ['slice_type', 'slice_value', 'band_rank']) }}
),

rated as (
    select
        *,
        {{ health_rate('churned', 'observations') }} as churn_rate,
        {{ health_rate('downgraded', 'observations') }} as downgrade_rate,
        {{ health_rate('expanded', 'observations') }} as expansion_rate,
        {{ health_rate('arr_churned', 'arr_observed') }} as arr_churn_rate,
        cast(slice_churned as {{ double }}) / slice_observations as base_churn_rate
    from joined
),

final as (
    select
        {{ dbt.concat(['slice_type', "'|'", 'slice_value', "'|'", 'band']) }} as separation_id,
        slice_type,
        slice_value,
        band,
        band_rank,
        cast(observations as {{ dbt.type_bigint() }}) as observations,
        cast(accounts as {{ dbt.type_bigint() }}) as accounts,
        cast(observations as {{ double }}) / slice_observations as share_of_observations,
        cast(churned as {{ dbt.type_bigint() }}) as churned,
        churn_rate,
        cast(downgraded as {{ dbt.type_bigint() }}) as downgraded,
        downgrade_rate,
        cast(expanded as {{ dbt.type_bigint() }}) as expanded,
        expansion_rate,
        cast(arr_observed as {{ double }}) as arr_observed,
        cast(arr_churned as {{ double }}) as arr_churned,
        arr_churn_rate,
        cast(slice_observations as {{ dbt.type_bigint() }}) as slice_observations,
        base_churn_rate,
        case when base_churn_rate > 0 then churn_rate / base_churn_rate end as churn_lift
    from rated
)

select * from final
