{#-
    published_at_timestamp(): the start of the current dbt run as a timestamp
    literal, the same in every model and test of one invocation (so a test can
    find the rows this run published). Lint time (sqlfluff) has no
    run_started_at: current_timestamp stands in.
-#}
{% macro published_at_timestamp() -%}
{%- if run_started_at is defined -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
{%- else -%}
    current_timestamp
{%- endif -%}
{%- endmacro %}
