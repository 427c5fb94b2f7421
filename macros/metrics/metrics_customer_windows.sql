{#-
    Activity windows see customer days only (docs/method.md, time). A day of
    the spine before the account was a customer, or between two spells, is
    not a day of zero activity: it is not in the window at all.
-#}

{#-
    metrics_customer_window_sum(expression, days): the sum of `expression`
    over the customer days (spine column is_customer) among the `days` rows
    ending on the row, per account, ordered by date_day. Use it over the
    contiguous int_account_spine, where rows are calendar days.
-#}
{% macro metrics_customer_window_sum(expression, days) -%}
    sum(case when is_customer then {{ expression }} else 0 end) over (
        partition by account_id order by date_day rows between {{ days - 1 }} preceding and current row
    )
{%- endmacro %}

{#- metrics_customer_days(days): customer days among the `days` calendar days ending on the row. -#}
{% macro metrics_customer_days(days) -%}
    {{ metrics_customer_window_sum('1', days) }}
{%- endmacro %}

{#-
    metrics_min_customer_days(): var window_min_customer_days (default 7),
    the customer days a 28-day window needs before its metric is computed.
-#}
{% macro metrics_min_customer_days() -%}
    {{ var('window_min_customer_days', 7) | int }}
{%- endmacro %}

{#-
    metrics_on_spine(facts, columns, spine_columns, expressions): the body of
    a metrics model's spine CTE, the customer-day spine join: every row of
    int_account_spine (imported as `spine`: account_id, date_day and the
    spine_columns) with the daily facts of `facts` on that account-day, each
    of `columns` 0 on a day without facts, plus any `expressions` (SQL
    `... as name`). The windows of metrics_customer_window_sum then run over
    its contiguous days. seeds (a relation with one row per account,
    optional) is left joined on account_id, so `expressions` can carry its
    columns (the seeds of metrics_running).
-#}
{% macro metrics_on_spine(facts, columns, spine_columns=[], expressions=[], seeds=none) -%}
    select
        spine.account_id,
        spine.date_day
        {%- for column in spine_columns %},
        spine.{{ column }}
        {%- endfor %}
        {%- for column in columns %},
        coalesce({{ facts }}.{{ column }}, 0) as {{ column }}
        {%- endfor %}
        {%- for expression in expressions %},
        {{ expression }}
        {%- endfor %}
    from spine
    left join {{ facts }}
        on
            spine.account_id = {{ facts }}.account_id
            and spine.date_day = {{ facts }}.date_day
    {%- if seeds is not none %}
    left join {{ seeds }}
        on spine.account_id = {{ seeds }}.account_id
    {%- endif %}
{%- endmacro %}
