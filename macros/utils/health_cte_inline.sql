{#-
    health_cte_inline(): written after `as` of an import CTE that a model
    reads several times (`health_scores as {{ health_cte_inline() }} (`), so
    that each reference scans the relation itself. DuckDB (like Postgres 12+)
    materialises a CTE referenced more than once: all its rows and columns
    held in memory (or spilled) before the first reader starts, e.g. the whole
    wide score table for the five per-component selects of
    int_component_subscores_weighted. `not materialized` keeps the plain
    scans, which read only the columns each one needs. Spark always inlines:
    nothing there. The opposite of health_cte_fence (computed CTE chains).
-#}
{#- sqlfluff's stand-in adapter (no `type`) lints the plain CTE -#}
{% macro health_cte_inline() -%}
    {%- if adapter.type is defined %}{{ adapter.dispatch('health_cte_inline', 'customer_health')() }}{% endif -%}
{%- endmacro %}

{% macro default__health_cte_inline() %}{% endmacro %}
{% macro duckdb__health_cte_inline() %}not materialized{% endmacro %}
{% macro postgres__health_cte_inline() %}not materialized{% endmacro %}
