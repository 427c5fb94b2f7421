{#-
    band_contains(band, score): the join condition "score falls in band" for
    a row of dim_health_bands (min_score inclusive, max_score exclusive, the
    top band's max_score inclusive), so every band lookup reads the same.
-#}
{% macro band_contains(band, score) -%}
{{ score }} >= {{ band }}.min_score
and ({{ score }} < {{ band }}.max_score or ({{ score }} = {{ band }}.max_score and {{ band }}.is_top_band))
{%- endmacro %}
