{#-
    The data-quality summary of a build (issue 12; printed by `health.py
    build` / `run` and shown in the report). One row per check, keyed by
    check_id (stable across builds of the same inputs and config):
    - rows__<table>: rows read (= clean + quarantined, tested in staging),
      clean and quarantined per raw table; status `off` for a switched-off
      optional table;
    - quarantine__<table>__<reason>: quarantined rows per table and reason;
    - unknown_event_types (total) and unknown_event_type__<type>: clean
      events whose event_type is not in the event_types seed (kept and
      counted as category `unknown`, never guessed), count and share;
    - segment_fallback (total) and segment_fallback__<segment>: accounts
      whose segment is not in segment_profiles and so use `default`;
    - metric__<metric>: per catalogue metric, the customer days with a
      value; `warn` when it is null for every account-day or takes a single
      value for all of them (it cannot separate accounts);
    - data_bounds__*: first and last day of data and the scored as_of_date,
      with how the last day was chosen (plus any rule / coverage column
      stg_data_bounds provides).
    row_count is what the check counts, total_count its base, share their
    ratio.
-#}
{%- set off_values = ['false', '0', 'no', 'off'] -%}
{%- set tables = [
    ('accounts', 'stg_crm__accounts', none),
    ('subscriptions', 'stg_billing__subscriptions', none),
    ('product_events', 'stg_product__events', none),
    ('invoices', 'stg_billing__invoices', 'enable_invoices'),
    ('payments', 'stg_billing__payments', 'enable_payments'),
    ('support_tickets', 'stg_support__tickets', 'enable_support_tickets'),
    ('survey_responses', 'stg_surveys__responses', 'enable_survey_responses'),
    ('csm_pulse', 'stg_crm__csm_pulse', 'enable_csm_pulse'),
    ('csm_activities', 'stg_crm__csm_activities', 'enable_csm_activities'),
] -%}
{%- set bound_columns = [] -%}
{%- if execute and adapter.get_columns_in_relation is defined -%}
    {%- for column in adapter.get_columns_in_relation(ref('stg_data_bounds')) -%}
        {%- if column.name | lower not in ['data_start_date', 'data_end_date', 'as_of_date'] -%}
            {%- do bound_columns.append(column.name | lower) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}
{%- set string = dbt.type_string() -%}
{%- set double = type_double() -%}
{#- any further column of stg_data_bounds (a rule, a coverage) is shown as name=value -#}
{%- set bound_parts = [] -%}
{%- for column in bound_columns -%}
    {%- do bound_parts.append("'" ~ ('; ' if loop.first else ', ') ~ column ~ "='") -%}
    {%- do bound_parts.append("coalesce(cast(" ~ column ~ " as " ~ string ~ "), 'null')") -%}
{%- endfor -%}
with

clean_accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

clean_subscriptions as (
    select * from {{ ref('stg_billing__subscriptions') }}
),

clean_product_events as (
    select * from {{ ref('stg_product__events') }}
),

clean_invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

clean_payments as (
    select * from {{ ref('stg_billing__payments') }}
),

clean_support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

clean_survey_responses as (
    select * from {{ ref('stg_surveys__responses') }}
),

clean_csm_pulse as (
    select * from {{ ref('stg_crm__csm_pulse') }}
),

clean_csm_activities as (
    select * from {{ ref('stg_crm__csm_activities') }}
),

quarantine as (
    select * from {{ ref('stg_quarantine') }}
),

segment_profiles as (
    select * from {{ ref('stg_config__segment_profiles') }}
),

health_metrics as (
    select * from {{ ref('stg_config__health_metrics') }}
),

metrics_unpivoted as (
    select * from {{ ref('int_account_metrics_unpivoted') }}
),

bounds as (
    select * from {{ ref('stg_data_bounds') }}
),

config_version as (
    select * from {{ ref('int_config_version') }}
),

clean_counts as (
    {%- for table_name, model_name, enable_var in tables %}
        select
            '{{ table_name }}' as source_table,
            count(*) as clean_rows,
            {{ 'false' if enable_var and (var(enable_var) | string | lower) in off_values else 'true' }} as is_enabled
        from clean_{{ table_name }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

quarantine_reasons as (
    select
        source_table,
        reason,
        count(*) as quarantined_rows
    from quarantine
    group by source_table, reason
),

quarantine_totals as (
    select
        source_table,
        sum(quarantined_rows) as quarantined_rows
    from quarantine_reasons
    group by source_table
),

table_rows as (
    select
        clean_counts.source_table,
        clean_counts.is_enabled,
        clean_counts.clean_rows,
        coalesce(quarantine_totals.quarantined_rows, 0) as quarantined_rows,
        clean_counts.clean_rows + coalesce(quarantine_totals.quarantined_rows, 0) as read_rows
    from clean_counts
    left join quarantine_totals
        on clean_counts.source_table = quarantine_totals.source_table
),

row_checks as (
    select
        {{ dbt.concat(["'rows__'", 'source_table']) }} as check_id,
        'rows' as check_group,
        source_table,
        'clean' as subject,
        case
            when not is_enabled then 'off'
            when quarantined_rows > 0 then 'warn'
            else 'ok'
        end as status,
        clean_rows as row_count,
        read_rows as total_count,
        case
            when not is_enabled then 'switched off (enable_* var false): its components have no data'
            else {{ dbt.concat([
                "'read '", 'cast(read_rows as ' ~ string ~ ')',
                "', clean '", 'cast(clean_rows as ' ~ string ~ ')',
                "', quarantined '", 'cast(quarantined_rows as ' ~ string ~ ')'
            ]) }}
        end as detail
    from table_rows
),

reason_checks as (
    select
        {{ dbt.concat(["'quarantine__'", 'quarantine_reasons.source_table', "'__'", 'quarantine_reasons.reason']) }}
            as check_id,
        'quarantine' as check_group,
        quarantine_reasons.source_table,
        quarantine_reasons.reason as subject,
        'warn' as status,
        quarantine_reasons.quarantined_rows as row_count,
        table_rows.read_rows as total_count,
        {{ dbt.concat([
            'cast(quarantine_reasons.quarantined_rows as ' ~ string ~ ')',
            "' rows quarantined as '", 'quarantine_reasons.reason',
            "' (see stg_quarantine)'"
        ]) }} as detail
    from quarantine_reasons
    inner join table_rows
        on quarantine_reasons.source_table = table_rows.source_table
),

event_total as (
    select count(*) as events
    from clean_product_events
),

unknown_types as (
    select
        event_type,
        count(*) as unknown_events
    from clean_product_events
    where event_category = 'unknown'
    group by event_type
),

unknown_type_checks as (
    {{ dq_breakdown(
        'unknown_event_type__', 'unknown_event_types', 'unknown_event_type', 'product_events',
        'unknown_types', 'event_type', 'unknown_events', 'event_total', 'events',
        item_detail=[
            "'event_type '", "coalesce(unknown_types.event_type, '(none)')",
            "' is not in seeds/event_types.csv: '", 'cast(unknown_types.unknown_events as ' ~ string ~ ')',
            "' events kept as category unknown (add it to the seed to score it)'"
        ],
        summary_detail=' event type(s) not in seeds/event_types.csv',
        subject="coalesce(unknown_types.event_type, '(none)')"
    ) }}
),

account_total as (
    select count(*) as accounts
    from clean_accounts
),

fallback_segments as (
    select
        coalesce(accounts.segment, '(none)') as segment,
        count(*) as fallback_accounts
    from clean_accounts as accounts
    left join segment_profiles
        on accounts.segment = segment_profiles.segment
    where segment_profiles.segment is null
    group by coalesce(accounts.segment, '(none)')
),

segment_checks as (
    {{ dq_breakdown(
        'segment_fallback__', 'segment_fallback', 'segment_fallback', 'accounts',
        'fallback_segments', 'segment', 'fallback_accounts', 'account_total', 'accounts',
        item_detail=[
            "'segment '", 'fallback_segments.segment', "' is not in seeds/segment_profiles.csv: '",
            'cast(fallback_segments.fallback_accounts as ' ~ string ~ ')',
            "' accounts scored with the default profile'"
        ],
        summary_detail=' segment(s) fell back to the default profile'
    ) }}
),

metric_stats as (
    select
        metric,
        count(*) as account_days,
        count(metric_value) as observed_days,
        count(distinct metric_value) as distinct_values,
        min(metric_value) as min_value
    from metrics_unpivoted
    group by metric
),

metric_checks as (
    select
        {{ dbt.concat(["'metric__'", 'health_metrics.metric']) }} as check_id,
        'metric' as check_group,
        cast(null as {{ string }}) as source_table,
        health_metrics.metric as subject,
        case
            when coalesce(metric_stats.observed_days, 0) = 0 then 'warn'
            when metric_stats.distinct_values = 1 then 'warn'
            else 'ok'
        end as status,
        coalesce(metric_stats.observed_days, 0) as row_count,
        coalesce(metric_stats.account_days, 0) as total_count,
        case
            when coalesce(metric_stats.observed_days, 0) = 0
                then 'null for every account: the metric is left out of its component (or takes its missing_value)'
            when metric_stats.distinct_values = 1
                then {{ dbt.concat([
                    "'constant for every account ('", 'cast(metric_stats.min_value as ' ~ string ~ ')',
                    "'): it cannot separate accounts'"
                ]) }}
            else {{ dbt.concat([
                'cast(metric_stats.distinct_values as ' ~ string ~ ')',
                "' distinct values'"
            ]) }}
        end as detail
    from health_metrics
    left join metric_stats
        on health_metrics.metric = metric_stats.metric
),

bound_checks as (
    {%- set bound_details = [
        ('data_start_date', "'first day of data (earliest product event or subscription start)'"),
        ('data_end_date', dbt.concat(
            ["'last day of data, chosen by stg_data_bounds'", "' (facts after it are quarantined as future_timestamp)'"]
            + bound_parts
        )),
        ('as_of_date', "'as_of_date: set by var as_of_date'" if var('as_of_date')
            else "'as_of_date: the last day of data (var as_of_date not set)'"),
    ] %}
    {%- for bound, detail in bound_details %}
        select
            'data_bounds__{{ bound }}' as check_id,
            'data_bounds' as check_group,
            cast(null as {{ string }}) as source_table,
            cast({{ bound }} as {{ string }}) as subject,
            'info' as status,
            cast(null as {{ dbt.type_bigint() }}) as row_count,
            cast(null as {{ dbt.type_bigint() }}) as total_count,
            {{ detail }} as detail
        from bounds
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

checks as (
    select * from row_checks
    union all
    select * from reason_checks
    union all
    select * from unknown_type_checks
    union all
    select * from segment_checks
    union all
    select * from metric_checks
    union all
    select * from bound_checks
),

final as (
    select
        cast(checks.check_id as {{ string }}) as check_id,
        cast(checks.check_group as {{ string }}) as check_group,
        cast(checks.source_table as {{ string }}) as source_table,
        cast(checks.subject as {{ string }}) as subject,
        cast(checks.status as {{ string }}) as status,
        cast(checks.row_count as {{ dbt.type_bigint() }}) as row_count,
        cast(checks.total_count as {{ dbt.type_bigint() }}) as total_count,
        cast(
            {{ health_rate('checks.row_count', 'checks.total_count') }}
            as {{ double }}
        ) as share,
        cast(checks.detail as {{ string }}) as detail,
        cast(config_version.config_version as {{ string }}) as config_version
    from checks
    cross join config_version
)

select * from final
