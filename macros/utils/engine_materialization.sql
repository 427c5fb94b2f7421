{#-
    Engine choices of the incremental account-day models
    (health_incremental_config, macros/incremental/health_incremental.sql,
    which calls adapter.dispatch('health_incremental_<choice>') directly:
    sqlfluff's templater loads macros/incremental before this file).
    DuckDB, Postgres: incremental tables, unpartitioned (the pre-hook
    deletes the recomputed days before the append). Spark: plain
    tables unless var spark_incremental is true, then incremental with one
    date_day partition a day (insert_overwrite): on the tiny sample the day
    partitions made thousands of small files and metastore rows, so every
    read cost tens of seconds (docs/engines-spark.md).
-#}

{#- materialized: 'incremental' or 'table' -#}
{% macro default__health_incremental_materialization() -%}
    incremental
{%- endmacro %}

{% macro spark__health_incremental_materialization() -%}
    {{- 'incremental' if var('spark_incremental', false) else 'table' -}}
{%- endmacro %}

{#- partition_by: a list, or none -#}
{% macro default__health_incremental_partition_by() -%}
    {{- return(none) -}}
{%- endmacro %}

{% macro spark__health_incremental_partition_by() -%}
    {{- return(['date_day'] if var('spark_incremental', false) else none) -}}
{%- endmacro %}

{#-
    health_incremental_deletes: whether the pre-hook deletes the days an
    incremental run recomputes ('true' / 'false'; read with `| trim`). Not on
    Spark, where insert_overwrite replaces their partitions.
-#}
{% macro default__health_incremental_deletes() -%}
    true
{%- endmacro %}

{% macro spark__health_incremental_deletes() -%}
    false
{%- endmacro %}

{#-
    health_wide_view_materialization(): 'view' for a model whose SQL is long
    (int_metric_subscores_wide), 'table' where the engine cannot store it as
    a view: Spark's session-mode metastore (Derby) holds a view's SQL in
    32,700 characters.
-#}
{% macro health_wide_view_materialization() -%}
    {{- adapter.dispatch('health_wide_view_materialization', 'customer_health')() -}}
{%- endmacro %}

{% macro default__health_wide_view_materialization() -%}
    view
{%- endmacro %}

{% macro spark__health_wide_view_materialization() -%}
    table
{%- endmacro %}
