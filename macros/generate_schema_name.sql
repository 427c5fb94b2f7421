{#-
    Use the folder's custom schema name as is (staging, intermediate, marts,
    backtest, config) instead of dbt's default `<target>_<custom>`, so BI
    tools read stable names like `marts.fct_account_health_daily`.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
