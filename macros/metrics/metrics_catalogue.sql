{#-
    metrics_catalogue(): the metric columns of int_account_metrics_daily that
    the scoring reads, as comma-separated text (macros that `return` a list
    would break the sqlfluff templater). Their home is the seeds: every
    `metric` of seeds/health_metrics.csv (scored) then every `metric` of
    seeds/health_caps.csv not scored (a cap reads the value), in seed order,
    read when dbt executes. metrics_builtin() is the parse-time fallback.
    int_account_metrics_unpivoted unpivots exactly these (those the metrics
    layer computes); a seed row whose metric no metrics model computes fails
    the test `assert_every_seed_metric_is_computed`.
-#}
{% macro metrics_catalogue() -%}
{%- set scored = health_seed_values('health_metrics', 'metric') if health_seed_values is defined else none -%}
{%- set capped = health_seed_values('health_caps', 'metric') if health_seed_values is defined else none -%}
{%- if scored is none or capped is none -%}
{{ metrics_builtin() }}
{%- else -%}
{%- set metrics = [] -%}
{%- for metric in scored + capped -%}
{%- if metric not in metrics %}{% do metrics.append(metric) %}{% endif -%}
{%- endfor -%}
{{ metrics | join(',') }}
{%- endif -%}
{%- endmacro %}

{#-
    metrics_builtin(): the metric columns the shipped metrics models compute
    (the five int_<component>_metrics_daily models), comma-separated: the
    parse-time fallback of metrics_catalogue() (so unit tests see these
    columns), and the metrics a cap may read without being scored. It matches
    the shipped seeds: weeks_active_of_4 is still computed by
    int_usage_metrics_daily for a seed that wants it, but is not listed here.
-#}
{% macro metrics_builtin() -%}
    core_actions_per_seat_week_28d,
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
    columns_of (a relation, optional): when dbt executes, metrics that are not
    a column of it are left out (a seed metric no metrics model computes is
    then named by the test assert_every_seed_metric_is_computed, instead of
    failing the build on an unknown column).
-#}
{% macro metrics_unpivot(relation, key_columns, metric_columns, columns_of=none) -%}
    {%- if metric_columns is string -%}
        {%- set metric_columns = metric_columns.split(',') | map('trim') | reject('equalto', '') | list -%}
    {%- endif -%}
    {%- if columns_of is not none and execute is defined and execute and model.resource_type != 'unit_test' -%}
        {%- set present = adapter.get_columns_in_relation(columns_of) | map(attribute='name') | map('lower') | list -%}
        {%- if present -%}
            {%- set metric_columns = metric_columns | select('in', present) | list -%}
        {%- endif -%}
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

