{#-
    scoring_components(): the five health components of SPEC §2, in display
    order, as comma-separated text (no `return()`, so the sqlfluff templater
    can render it too); split it: `scoring_components().split(',')`. Used to
    pivot component rows into the *_subscore columns of the marts (config
    validation rejects any other component name).
-#}
{% macro scoring_components() -%}
    usage,value,billing,support,sentiment
{%- endmacro %}
