{#-
    build_start_date(): the UTC date the dbt invocation started, as a SQL date
    literal. Used only to ignore raw timestamps beyond the build itself when
    finding the end of the data; scores never depend on it otherwise.
    (The fallback only serves linters that render templates without dbt.)
-#}
{% macro build_start_date() %}
cast('{{ run_started_at.date().isoformat() if run_started_at is defined else "9999-12-31" }}' as date)
{%- endmacro %}
