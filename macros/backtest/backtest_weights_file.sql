{#-
    A table expression reading a weights CSV (profile, component, weight),
    e.g. the candidate that `calibrate` writes, for analyses/what_if_weights.
    DuckDB reads the file in place; other engines cannot read a local file
    from SQL, so they must load it as a table and pass the relation instead.
-#}
{% macro backtest_weights_file(path) -%}
    {{ adapter.dispatch('backtest_weights_file', 'customer_health')(path) }}
{%- endmacro %}

{% macro default__backtest_weights_file(path) -%}
    {#- only when the analysis is compiled for real: `dbt parse` (and every other
        command that merely parses analyses) must work with no vars -#}
    {%- if execute -%}
    {{ exceptions.raise_compiler_error(
        "backtest_weights_file: " ~ target.type ~ " cannot read the CSV " ~ path ~ " from SQL. "
        ~ "Load it as a table and pass --vars '{what_if_weights_relation: <schema>.<table>}'."
    ) }}
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__backtest_weights_file(path) -%}
    read_csv('{{ path }}', header = true, all_varchar = true)
{%- endmacro %}
