{#-
    band_rank_extreme(extreme): the band_rank of the lowest ('lowest', the
    at-risk band of the queues and the driver summary) or the top ('top',
    expansion, time to healthy) band of dim_health_bands, as a scalar
    subquery, so "the lowest band" and "the top band" are defined once.
-#}
{% macro band_rank_extreme(extreme) -%}
    {%- if extreme not in ['lowest', 'top'] -%}
        {{ exceptions.raise_compiler_error("band_rank_extreme: extreme is 'lowest' or 'top', not " ~ extreme) }}
    {%- endif -%}
    (select {{ 'min' if extreme == 'lowest' else 'max' }}(band_rank) from {{ ref('dim_health_bands') }})
{%- endmacro %}
