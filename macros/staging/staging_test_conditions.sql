{#-
    health_staging_test_conditions(relation): the extra `where` conditions
    (a list of SQL strings) get_where_subquery adds to a generic data test on
    a staging relation on a daily incremental run; none yet.
-#}
{% macro health_staging_test_conditions(relation) -%}
    {%- do return([]) -%}
{%- endmacro %}
