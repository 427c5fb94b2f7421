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

{#-
    health_round(expression, digits): expression rounded half away from zero
    to `digits` decimals, as a double. The value is fixed to 9 decimals first
    (decimal(38, 9)), so a score that is 72.345 in decimal rounds to 72.35 on
    every engine, whether its binary double is a hair below or above (sums of
    doubles differ in the last bit by summation order), and Postgres, which has
    no round(double precision, integer), gets round(numeric, integer).
    Plain SQL on every engine (decimal(38, 9) is standard), not dispatched, so
    sqlfluff sees the columns it reads; in this file because sqlfluff's
    templater only sees macros of files loaded before (type_double above).
-#}
{% macro health_round(expression, digits) -%}
    cast(round(cast({{ expression }} as decimal(38, 9)), {{ digits }}) as {{ type_double() }})
{%- endmacro %}

{#-
    health_rate(numerator, denominator): numerator / denominator as a double
    (a churn rate, a share of observations), null when the denominator is
    not positive (no observations), so every rate of the backtest and the
    data-quality report divides the same way. In this file for the same
    reason as health_round.
-#}
{% macro health_rate(numerator, denominator) -%}
    case when {{ denominator }} > 0 then cast({{ numerator }} as {{ type_double() }}) / {{ denominator }} end
{%- endmacro %}
