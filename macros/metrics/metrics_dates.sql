{#-
    Date helpers for the daily metric models. All of them go through dbt's
    cross-database macros; the cast back to date matters because on DuckDB
    `date + interval` is a timestamp.
-#}

{#- metrics_add_days(date_expression, days): the date `days` days later (negative = earlier). -#}
{% macro metrics_add_days(date_expression, days) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{%- endmacro %}

{#- metrics_add_months(date_expression, months): the date `months` calendar months later (month ends clip). -#}
{% macro metrics_add_months(date_expression, months) -%}
    cast({{ dbt.dateadd('month', months, date_expression) }} as date)
{%- endmacro %}

{#- metrics_days_between(start_expression, end_expression): whole days from start to end (end - start). -#}
{% macro metrics_days_between(start_expression, end_expression) -%}
    {{ dbt.datediff(start_expression, end_expression, 'day') }}
{%- endmacro %}

{#-
    metrics_day_offsets(digits=5): a plain-SQL relation of integers
    `day_offset` = 0 .. 10^digits - 1 (cross join of decimal digits). Used to
    build the daily calendar without a compile-time query (dbt.date_spine runs
    one to count the days, which breaks for bounds read from a model).
-#}
{% macro metrics_day_offsets(digits=5) -%}
    select
        {%- for i in range(digits) %}
        d{{ i }}.digit * {{ 10 ** i }}{{ " +" if not loop.last }}
        {%- endfor %} as day_offset
    from
        {%- for i in range(digits) %}
        (
            select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
            union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
        ) as d{{ i }}{{ "" if loop.last else " cross join" }}
        {%- endfor %}
{%- endmacro %}

{#-
    The renewal-window deltas ("... since the renewal window opened"): a
    cumulative column of `windowed` minus its value on the day before the
    window opened (`window_opening`, the same relation joined by
    metrics_window_opening_join), null outside the window.

    metrics_window_opening_join(account_days, opening): join condition of the
    row of `opening` on the day before account_days.renewal_window_start_date.
-#}
{% macro metrics_window_opening_join(account_days, opening, start='none') -%}
{{ account_days }}.account_id = {{ opening }}.account_id
{%- if (start | trim) not in ['none', 'all', ''] %}
and case
    when {{ account_days }}.renewal_window_start_date < cast('{{ start | trim }}' as date)
        then {{ metrics_add_days("cast('" ~ (start | trim) ~ "' as date)", -1) }}
    else {{ metrics_add_days(account_days ~ '.renewal_window_start_date', -1) }}
end = {{ opening }}.date_day
{%- else %}
and {{ metrics_add_days(account_days ~ '.renewal_window_start_date', -1) }} = {{ opening }}.date_day
{%- endif %}
{%- endmacro %}

{#-
    metrics_since_window_open(cumulative): windowed.<cumulative> - window_opening.<cumulative> (0 when none).
    Incremental (start a date, macros/metrics/metrics_incremental.sql): a
    window opened before start is joined on start - 1 instead
    (metrics_window_opening_join) and continues from `carried`, the model's
    stored value of start - 1 (metrics_stored).
-#}
{% macro metrics_since_window_open(
    cumulative, windowed='windowed', opening='window_opening', start='none', carried=none, account_days='account_days'
) -%}
    {{ windowed }}.{{ cumulative }} - coalesce({{ opening }}.{{ cumulative }}, 0)
    {%- if (start | trim) not in ['none', 'all', ''] and carried is not none %}
    + case
        when {{ account_days }}.renewal_window_start_date < cast('{{ start | trim }}' as date) then {{ carried }}
        else 0
    end
    {%- endif -%}
{%- endmacro %}
