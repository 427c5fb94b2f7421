{#-
    metrics_median(expression): the median (continuous percentile 0.5) of an
    expression, as an aggregate. Engines spell it differently, so it is
    dispatched.
-#}
{% macro metrics_median(expression) -%}
    {{ adapter.dispatch('metrics_median', 'customer_health')(expression) }}
{%- endmacro %}

{% macro default__metrics_median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__metrics_median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{% macro spark__metrics_median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}
