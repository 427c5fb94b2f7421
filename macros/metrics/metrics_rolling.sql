{#-
    Rolling and to-date windows per account over the account-day grain
    (rows ordered by date_day; over int_account_spine a row is a calendar
    day), written once for every metrics model.

    metrics_rolling(aggregate, expression, days): aggregate(expression) over
    the `days` rows ending on the row; days none = every row up to and
    including it (the running / to-date value: cumulative counts, the latest
    event date, deltas summed into open counts).
-#}
{% macro metrics_rolling(aggregate, expression, days=none) -%}
    {{ aggregate }}({{ expression }}) over (
        partition by account_id
        order by date_day rows between {{ 'unbounded' if days is none else (days | int) - 1 }} preceding and current row
    )
{%- endmacro %}
