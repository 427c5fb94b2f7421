-- noqa: disable=LT02
{#- sqlfluff cannot infer the indentation of jinja-built test SQL: see macros/staging/quarantine.sql -#}
{#-
    unique_combination_of_columns: no two rows share the same values of the
    listed columns (nulls compare equal here, as in a group by). Returns one
    row per duplicated combination with its count.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select
{%- for column in combination_of_columns %}
    {{ column }},
{%- endfor %}
    count(*) as n_rows
from {{ model }}
group by
{%- for column in combination_of_columns %}
    {{ column }}{{ "," if not loop.last }}
{%- endfor %}
having count(*) > 1
{% endtest %}
