{#-
    metrics_catalogue(): the metric columns of int_account_metrics_daily that
    the scoring and the caps can read, named as the `metric` column of
    seeds/health_metrics.csv (the seed picks which are scored: days_past_due
    feeds a cap, weeks_active_of_4 waits for a seed that wants it), rendered
    as comma-separated text (macros that `return` a list would break
    the sqlfluff templater).
    int_account_metrics_unpivoted unpivots exactly these. A seed row whose
    metric is not listed here (and computed in a component model) fails the
    test `assert_every_seed_metric_is_computed`.
-#}
{% macro metrics_catalogue() -%}
    core_actions_per_seat_week_28d,
    weeks_active_of_4,
    active_days_share_28d,
    seat_utilization_28d,
    usage_trend_7d_28d,
    value_events_28d,
    integration_events_28d,
    days_since_last_value_event,
    days_past_due,
    failed_payments_90d,
    mrr_change_90d_pct,
    open_sev1_tickets,
    median_hours_to_resolve_high_sev_90d,
    reopened_tickets_90d,
    escalated_tickets_90d,
    bug_tickets_90d,
    nps_latest_180d,
    csat_latest_180d,
    survey_response_rate_180d,
    csm_pulse_score,
    days_since_last_meeting
{%- endmacro %}

{#-
    metrics_window_accumulations(): the renewal-window columns of
    int_account_metrics_daily (activity summed since the account entered its
    renewal window; null outside the window or when the source is off).
-#}
{% macro metrics_window_accumulations() -%}
    core_actions_since_window_open,
    value_events_since_window_open,
    failed_payments_since_window_open,
    high_sev_tickets_since_window_open,
    meetings_held_since_window_open
{%- endmacro %}

{#-
    metrics_unpivot(relation, key_columns, metric_columns): one
    `select <keys>, '<metric>' as metric, <metric> as metric_value` per
    metric column, glued with union all (portable; no engine UNPIVOT).
    metric_columns is a list or comma-separated text (metrics_catalogue()).
    Null values are kept: null means "not observed".
-#}
{% macro metrics_unpivot(relation, key_columns, metric_columns) -%}
    {%- if metric_columns is string -%}
        {%- set metric_columns = metric_columns.split(',') | map('trim') | reject('equalto', '') | list -%}
    {%- endif -%}
    {%- for metric in metric_columns %}
    select
        {%- for key in key_columns %}
        {{ key }},
        {%- endfor %}
        '{{ metric }}' as metric,
        {{ metric }} as metric_value
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

