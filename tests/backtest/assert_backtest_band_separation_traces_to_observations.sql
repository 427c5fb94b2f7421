-- Rule (SPEC §6): every figure of the band table is traceable to observation
-- rows. Recount observations, churned, downgraded, expanded and ARR churned
-- per slice and band from backtest_observations and compare.
with

observations as (
    select * from {{ ref('backtest_observations') }}
),

band_separation as (
    select * from {{ ref('backtest_band_separation') }}
),

{%- set slices = [
    ('overall', "'all'"),
    ('segment', 'segment'),
    ('quarter', 'observation_quarter'),
] %}

recounted as (
    {% for slice_type, slice_expression in slices %}
        select
            '{{ slice_type }}' as slice_type,
            cast({{ slice_expression }} as {{ dbt.type_string() }}) as slice_value,
            band_rank,
            count(*) as observations,
            {{ count_where('is_churned') }} as churned,
            {{ count_where('is_downgraded') }} as downgraded,
            {{ count_where('is_expanded') }} as expanded,
            sum(arr_churned) as arr_churned
        from observations
        {#- no constant in a group by (Postgres rejects group by 'all') #}
        group by {% if slice_type != 'overall' %}{{ slice_expression }}, {% endif %}band_rank
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        band_separation.slice_type,
        band_separation.slice_value,
        band_separation.band_rank,
        band_separation.observations,
        recounted.observations as recounted_observations
    from band_separation
    left join recounted
        on {{ same_keys('band_separation', 'recounted', ['slice_type', 'slice_value', 'band_rank']) }}
    where
        band_separation.observations <> coalesce(recounted.observations, 0)
        or band_separation.churned <> coalesce(recounted.churned, 0)
        or band_separation.downgraded <> coalesce(recounted.downgraded, 0)
        or band_separation.expanded <> coalesce(recounted.expanded, 0)
        or abs(band_separation.arr_churned - coalesce(recounted.arr_churned, 0)) > 0.01
        or (band_separation.observations > 0 and band_separation.churn_rate < 0)
        or band_separation.churn_rate > 1
    union all
    -- observations in a band the bands seed does not know would be lost
    select
        recounted.slice_type,
        recounted.slice_value,
        recounted.band_rank,
        cast(null as {{ dbt.type_bigint() }}) as observations,
        recounted.observations as recounted_observations
    from recounted
    left join band_separation
        on {{ same_keys('recounted', 'band_separation', ['slice_type', 'slice_value', 'band_rank']) }}
    where band_separation.band_rank is null
)

select * from final
