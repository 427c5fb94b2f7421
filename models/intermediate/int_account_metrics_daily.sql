-- Every metric the score needs, one row per account per customer day: one
-- double column per metric of seeds/health_metrics.csv (see
-- metrics_catalogue()) plus the renewal-window accumulations
-- (*_since_window_open, null outside the window). Null = not observed or
-- source switched off, never zero. Each column comes from the component
-- model of its source; all of them are 1:1 with int_account_days. Metrics
-- models that declare themselves (meta.health_component in their yml, e.g. a
-- sixth component) are joined by health_metrics_models_join().
-- Incremental: every import keeps the recomputed days only (the joins are on
-- the same account-day, so no other day can matter).
{{ health_incremental_config() }}
{%- set start = health_incremental_from(ref('int_build_plan')) | trim %}

with
{{ health_imports({
    'account_days': 'int_account_days',
    'usage_metrics': 'int_usage_metrics_daily',
    'value_metrics': 'int_value_metrics_daily',
    'billing_metrics': 'int_billing_metrics_daily',
    'support_metrics': 'int_support_metrics_daily',
    'sentiment_metrics': 'int_sentiment_metrics_daily',
}, incremental=[
    'account_days', 'usage_metrics', 'value_metrics', 'billing_metrics', 'support_metrics', 'sentiment_metrics'
], day_filter=health_incremental_filter('date_day', start)) }}

final as (
    select
        account_days.account_id,
        account_days.date_day,
        usage_metrics.core_actions_per_seat_week_28d,
        usage_metrics.weeks_active_of_4,
        usage_metrics.active_days_share_28d,
        usage_metrics.seat_utilization_28d,
        usage_metrics.usage_trend_7d_28d,
        value_metrics.value_events_28d,
        value_metrics.integration_events_28d,
        value_metrics.days_since_last_value_event,
        billing_metrics.days_past_due,
        billing_metrics.failed_payments_90d,
        billing_metrics.mrr_change_90d_pct,
        support_metrics.open_sev1_tickets,
        support_metrics.median_hours_to_resolve_high_sev_90d,
        support_metrics.reopened_tickets_90d,
        support_metrics.escalated_tickets_90d,
        support_metrics.bug_tickets_90d,
        sentiment_metrics.nps_latest_180d,
        sentiment_metrics.csat_latest_180d,
        sentiment_metrics.survey_response_rate_180d,
        sentiment_metrics.csm_pulse_score,
        sentiment_metrics.days_since_last_meeting,
        usage_metrics.core_actions_since_window_open,
        value_metrics.value_events_since_window_open,
        billing_metrics.failed_payments_since_window_open,
        support_metrics.high_sev_tickets_since_window_open,
        sentiment_metrics.meetings_held_since_window_open
    from account_days
    left join usage_metrics
        on {{ same_account_day('account_days', 'usage_metrics') }}
    left join value_metrics
        on {{ same_account_day('account_days', 'value_metrics') }}
    left join billing_metrics
        on {{ same_account_day('account_days', 'billing_metrics') }}
    left join support_metrics
        on {{ same_account_day('account_days', 'support_metrics') }}
    left join sentiment_metrics
        on {{ same_account_day('account_days', 'sentiment_metrics') }}
)

{{ health_metrics_models_join('final') }}
