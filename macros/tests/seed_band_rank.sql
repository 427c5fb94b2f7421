{#-
    seed_band_rank(extreme): for singular tests, the rank of the lowest
    ('lowest') or top ('top') band read straight from the health_bands seed
    (stg_config__health_bands), not from dim_health_bands, so a test of a
    mart's band filter does not share the mart's route (band_rank_extreme).
-#}
{% macro seed_band_rank(extreme) -%}
    (
        select {{ 'min' if extreme == 'lowest' else 'max' }}(cast(seed_bands.rank as {{ dbt.type_int() }}))
        from {{ ref('stg_config__health_bands') }} as seed_bands
    )
{%- endmacro %}
