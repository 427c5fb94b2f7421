{#-
    try_cast(expression, data_type): cast that yields null instead of failing
    when the value does not convert. `dbt.safe_cast` is a plain cast on DuckDB,
    so staging uses this macro to detect unparseable raw values.
-#}
{% macro try_cast(expression, data_type) -%}
    {{ adapter.dispatch('try_cast', 'customer_health')(expression, data_type) }}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    {#- engines without a non-failing cast: fall back to dbt's safe_cast -#}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{% macro duckdb__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro spark__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro snowflake__try_cast(expression, data_type) -%}
    try_cast(cast({{ expression }} as varchar) as {{ data_type }})
{%- endmacro %}
