{#-
    scoring_fixed(expression): the expression as an exact decimal with 9
    decimals (decimal(38, 9); a cast rounds on every engine). The scoring
    models sum, compare and rank fixed values only, so the result does not
    depend on the order in which an engine adds floating point numbers
    (threads, partitions) and ties such as 0.2 vs 0.20000000000000004 are
    exact ties, broken by the explicit tie order of each ranking. Nine
    decimals keep the points of five components within 5e-9 of 100.
    Dispatched: default (DuckDB) a plain cast, postgres__ below, spark__ in
    macros/utils/spark_compat.sql; all give DuckDB's value.
-#}
{% macro scoring_fixed(expression) -%}
    {{- adapter.dispatch('scoring_fixed', 'customer_health')(expression) -}}
{%- endmacro %}

{% macro default__scoring_fixed(expression) -%}
    cast({{ expression }} as {{ scoring_fixed_type() }})
{%- endmacro %}

{#- Postgres converts a double to numeric through 15 significant digits and
    then rounds again, which differs from DuckDB's single rounding of the
    binary value in the 9th decimal (about 1 value in 2,000). The same
    single rounding written out: x * 1e9 rounded half away from zero (in
    double precision for a double, exactly for a numeric), then / 1e9. -#}
{% macro postgres__scoring_fixed(expression) -%}
    {%- set scaled = '(' ~ expression ~ ') * 1000000000.0' -%}
    cast(
        cast(sign({{ scaled }}) * floor(abs({{ scaled }}) + 0.5) as numeric(38, 0)) / 1000000000
        as {{ scoring_fixed_type() }}
    )
{%- endmacro %}

{#- scoring_fixed_type(): the exact decimal type of scoring_fixed(). -#}
{% macro scoring_fixed_type() -%}
    decimal(38, 9)
{%- endmacro %}
