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
{% macro metrics_window_opening_join(account_days, opening) -%}
{{ account_days }}.account_id = {{ opening }}.account_id
and {{ metrics_add_days(account_days ~ '.renewal_window_start_date', -1) }} = {{ opening }}.date_day
{%- endmacro %}

{#- metrics_since_window_open(cumulative): windowed.<cumulative> - window_opening.<cumulative> (0 when none). -#}
{% macro metrics_since_window_open(cumulative, windowed='windowed', opening='window_opening') -%}
    {{ windowed }}.{{ cumulative }} - coalesce({{ opening }}.{{ cumulative }}, 0)
{%- endmacro %}
