-- noqa: disable=LT02
{#- sqlfluff cannot infer the indentation of jinja-built test SQL: see macros/staging/quarantine.sql -#}
{#-
    equal_rowcount: the model and compare_model have the same number of rows
    (each optionally filtered by model_where / compare_where). Returns one row
    with both counts when they differ.
-#}
{% test equal_rowcount(model, compare_model, model_where=none, compare_where=none) %}
with

model_rows as (
    select count(*) as n_rows
    from {{ model }}
{%- if model_where %}
    where {{ model_where }}
{%- endif %}
),

compare_rows as (
    select count(*) as n_rows
    from {{ compare_model }}
{%- if compare_where %}
    where {{ compare_where }}
{%- endif %}
)

select
    model_rows.n_rows as model_rows,
    compare_rows.n_rows as compare_rows
from model_rows
cross join compare_rows
where model_rows.n_rows != compare_rows.n_rows
{% endtest %}
