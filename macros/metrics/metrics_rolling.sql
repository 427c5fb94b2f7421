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

{#-
    metrics_running(aggregate, expression, seed): the running (to-date)
    `aggregate` (sum or max) of expression per account (metrics_rolling with
    no bound), continued from `seed`, the same aggregate of the rows before
    the first one read (null when none).
-#}
{% macro metrics_running(aggregate, expression, seed) -%}
    {%- if aggregate == 'sum' -%}
        coalesce({{ seed }}, 0) + {{ metrics_rolling('sum', expression) }}
    {%- elif aggregate == 'max' -%}
        coalesce(
            case when {{ metrics_rolling('max', expression) }} >= {{ seed }} then {{ metrics_rolling('max', expression) }} else {{ seed }} end,
            {{ metrics_rolling('max', expression) }}
        )
    {%- else -%}
        {{ exceptions.raise_compiler_error('metrics_running: sum or max, not ' ~ aggregate) }}
    {%- endif -%}
{%- endmacro %}
