{#-
    type_double(): an 8-byte floating point type. dbt.type_float() renders
    `float`, which is a 4-byte REAL on DuckDB; scores and money need double.
-#}
{% macro type_double() -%}
    {{ adapter.dispatch('type_double', 'customer_health')() }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
