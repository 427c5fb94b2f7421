{#-
    same_account_day(left, right, left_day, right_day): the join condition
    "the same account on the same day" between two relations at the
    account-day grain (the grain of every intermediate model, mart and
    backtest observation), so each such join reads the same. The day columns
    default to date_day; pass others (observation_date) by name.
-#}
{% macro same_account_day(left, right, left_day='date_day', right_day=none) -%}
{{ left }}.account_id = {{ right }}.account_id
and {{ left }}.{{ left_day }} = {{ right }}.{{ right_day or left_day }}
{%- endmacro %}

{#-
    same_keys(left, right, columns): the equi-join condition "the same
    values of `columns`" between two relations (left.c = right.c and ...),
    for the joins of the reports and the backtest on their grain (segment x
    month x component, signal x sample, slice x band, profile x component).
-#}
{% macro same_keys(left, right, columns) -%}
{%- for column in columns -%}
{{ 'and ' if not loop.first }}{{ left }}.{{ column }} = {{ right }}.{{ column }}
{% endfor -%}
{%- endmacro %}
