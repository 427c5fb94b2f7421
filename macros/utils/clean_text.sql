{#-
    clean_text(expression): the value as trimmed text, blank -> null. Every raw
    column goes through it before try_cast, so ' 12 ' parses and '' is missing.
-#}
{% macro clean_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
