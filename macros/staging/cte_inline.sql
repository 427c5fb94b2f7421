{#-
    health_cte_not_materialized(): the keyword that keeps a CTE inlined where
    the engine would otherwise materialize it. DuckDB materializes a CTE that
    a query reads twice; quarantine_base reads raw_source and checked twice,
    and materializing them copies every raw row (all columns, spilled to disk
    on 48 M events) only to scan the copy twice. Inlined, the duplicate-key
    pass scans just the key columns of the stored table. Other engines:
    nothing (their default).
-#}
{% macro health_cte_not_materialized() %}
    {{- return(adapter.dispatch('health_cte_not_materialized', 'customer_health')()) -}}
{% endmacro %}

{% macro default__health_cte_not_materialized() %}{% endmacro %}

{% macro duckdb__health_cte_not_materialized() %}not materialized{% endmacro %}
