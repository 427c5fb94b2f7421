{#-
    The health alerts (SPEC §5), one row per account x day x alert type, with
    the columns of the account's scored day that rpt_health_alerts publishes
    (everything but the account's current name and CSM): the alert
    conditions of int_health_alert_states, one row per condition that holds,
    joined to fct_account_health_daily on the same account-day.
    Incremental (health_alert_incremental_config, date_day = the alert day): a row
    is a function of the same account-day's state and score rows, both
    recomputed from `start` on, so the days from `start` are recomputed and
    the rows before are kept, as in a full refresh; a run with other alert
    vars than the stored alert_rule recomputes every day (health_alert_start).
-#}
{{ health_alert_incremental_config() }}
{%- set start = health_alert_start(ref('int_build_plan')) | trim %}
{%- set hold_days = var('alert_band_hold_days', 3) | int -%}
{%- set held_note = '' if hold_days == 1 else ' (held ' ~ hold_days ~ ' days)' -%}
with
{{ health_imports({
    'alert_states': 'int_health_alert_states',
    'health_daily': 'fct_account_health_daily',
}, incremental=['alert_states', 'health_daily'], day_filter=health_incremental_filter('date_day', start)) }}

band_alerts as (
    select
        account_id,
        date_day,
        band_alert_type as alert_type,
        from_band,
        case
            when band_alert_type = 'band_drop'
                then {{ dbt.concat([
                    "'Band dropped from '", 'from_band', "' to '", 'band', "'" ~ held_note ~ "'"
                ]) }}
            else {{ dbt.concat([
                "'Band recovered from '", 'from_band', "' to '", 'band', "'" ~ held_note ~ "'"
            ]) }}
        end as alert_detail
    from alert_states
    where band_alert_type is not null
),

fast_declines as (
    select
        account_id,
        date_day,
        'fast_decline' as alert_type,
        cast(null as {{ dbt.type_string() }}) as from_band,
        {{ dbt.concat([
            "'Score fell '",
            health_decimal_text('-score_change_28d', 1),
            "' points in 28 days'"
        ]) }} as alert_detail
    from alert_states
    where is_fast_decline
),

caps_triggered as (
    select
        account_id,
        date_day,
        'cap_triggered' as alert_type,
        cast(null as {{ dbt.type_string() }}) as from_band,
        {{ dbt.concat(["'Hard stop '", 'cap_rule', "' caps the score'"]) }} as alert_detail
    from alert_states
    where is_cap_triggered
),

alerts as (
    select * from band_alerts
    union all
    select * from fast_declines
    union all
    select * from caps_triggered
),

joined as (
    select
        alerts.account_id,
        alerts.date_day,
        cast(alerts.alert_type as {{ dbt.type_string() }}) as alert_type,
        cast(alerts.alert_detail as {{ dbt.type_string() }}) as alert_detail,
        alerts.from_band,
        health_daily.segment,
        health_daily.mrr,
        health_daily.arr,
        health_daily.health_score,
        health_daily.health_score_uncapped,
        health_daily.band,
        health_daily.previous_band,
        health_daily.score_change_7d,
        health_daily.score_change_28d,
        health_daily.cap_rule,
        health_daily.primary_driver,
        health_daily.config_version,
        cast('{{ health_alert_rule() }}' as {{ dbt.type_string() }}) as alert_rule
    from alerts
    inner join health_daily
        on {{ same_account_day('alerts', 'health_daily') }}
),

final as (
    select * from joined
)

select * from final
