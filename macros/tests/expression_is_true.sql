-- noqa: disable=LT02
{#- sqlfluff cannot infer the indentation of jinja-built test SQL: see macros/staging/quarantine.sql -#}
{#-
    expression_is_true: the boolean SQL expression holds on every row (rows
    where it is false are returned; a null result counts as a failure too,
    so write `x is null or ...` when nulls are fine). On a column, the
    expression is appended to the column: `column_name ~ ' ' ~ expression`.
-#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where
{%- if column_name is none %}
    not coalesce({{ expression }}, false)
{%- else %}
    not coalesce({{ column_name }} {{ expression }}, false)
{%- endif %}
{% endtest %}
