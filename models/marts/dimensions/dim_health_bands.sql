-- One row per health band (seeds/health_bands.csv), typed for band lookups:
-- a score s is in the band when min_score <= s < max_score, or s = max_score
-- for the top band (is_top_band). Shared by the marts, the backtest and the
-- analyses instead of reading staging.
with

health_bands as (
    select * from {{ ref('stg_config__health_bands') }}
),

typed as (
    select
        band,
        cast(rank as {{ dbt.type_int() }}) as band_rank,
        cast(min_score as {{ type_double() }}) as min_score,
        cast(max_score as {{ type_double() }}) as max_score,
        color,
        action
    from health_bands
),

final as (
    select
        cast(band as {{ dbt.type_string() }}) as band,
        band_rank,
        min_score,
        max_score,
        max(max_score) over () as top_max_score,
        coalesce(max_score = max(max_score) over (), false) as is_top_band,
        cast(color as {{ dbt.type_string() }}) as color,
        cast(action as {{ dbt.type_string() }}) as action
    from typed
)

select * from final
