{#-
    count_where(condition): the number of rows of the group where the SQL
    condition holds (0 when none; null conditions do not count), the portable
    form of count_if / count(*) filter (where ...).
-#}
{% macro count_where(condition) -%}
    sum(case when {{ condition }} then 1 else 0 end)
{%- endmacro %}
