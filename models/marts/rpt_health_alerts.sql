{#-
    Health alerts, one row per account x day x alert type (SPEC §5), raised
    on the day something changes (not every day a condition persists):
    - band_drop: the band's rank fell below the previous scored day's band;
    - fast_decline: score_change_28d reached var alert_fast_decline_28d_points
      (default -15) or lower, and had not the previous scored day;
    - cap_triggered: a cap (hard stop) holds that did not the previous scored
      day, or a different, tighter rule took over.
-#}
{%- set fast_decline_points = var('alert_fast_decline_28d_points', -15) -%}

with

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

health_bands as (
    select * from {{ ref('stg_config__health_bands') }}
),

bands as (
    select
        band,
        cast(rank as {{ dbt.type_int() }}) as band_rank
    from health_bands
),

with_previous as (
    select
        health_daily.*,
        previous_bands.band_rank as previous_band_rank,
        lag(health_daily.score_change_28d) over (
            partition by health_daily.account_id order by health_daily.date_day
        ) as previous_score_change_28d,
        lag(health_daily.cap_rule) over (
            partition by health_daily.account_id order by health_daily.date_day
        ) as previous_cap_rule
    from health_daily
    left join bands as previous_bands
        on health_daily.previous_band = previous_bands.band
),

band_drops as (
    select
        account_id,
        date_day,
        'band_drop' as alert_type,
        {{ dbt.concat(["'Band dropped from '", 'previous_band', "' to '", 'band']) }} as alert_detail
    from with_previous
    where band_rank < previous_band_rank
),

fast_declines as (
    select
        account_id,
        date_day,
        'fast_decline' as alert_type,
        {{ dbt.concat([
            "'Score fell '",
            'cast(-score_change_28d as ' ~ dbt.type_string() ~ ')',
            "' points in 28 days'"
        ]) }} as alert_detail
    from with_previous
    where
        score_change_28d <= {{ fast_decline_points }}
        and (previous_score_change_28d is null or previous_score_change_28d > {{ fast_decline_points }})
),

caps_triggered as (
    select
        account_id,
        date_day,
        'cap_triggered' as alert_type,
        {{ dbt.concat(["'Hard stop '", 'cap_rule', "' caps the score'"]) }} as alert_detail
    from with_previous
    where
        cap_rule is not null
        and (previous_cap_rule is null or previous_cap_rule <> cap_rule)
),

alerts as (
    select * from band_drops
    union all
    select * from fast_declines
    union all
    select * from caps_triggered
),

final as (
    select
        cast(alerts.date_day as date) as alert_date,
        cast(alerts.account_id as {{ dbt.type_string() }}) as account_id,
        cast(alerts.alert_type as {{ dbt.type_string() }}) as alert_type,
        cast(alerts.alert_detail as {{ dbt.type_string() }}) as alert_detail,
        cast(accounts.account_name as {{ dbt.type_string() }}) as account_name,
        cast(health_daily.segment as {{ dbt.type_string() }}) as segment,
        cast(accounts.csm_owner as {{ dbt.type_string() }}) as csm_owner,
        cast(health_daily.mrr as {{ type_double() }}) as mrr,
        cast(health_daily.arr as {{ type_double() }}) as arr,
        cast(health_daily.health_score as {{ type_double() }}) as health_score,
        cast(health_daily.health_score_uncapped as {{ type_double() }}) as health_score_uncapped,
        cast(health_daily.band as {{ dbt.type_string() }}) as band,
        cast(health_daily.previous_band as {{ dbt.type_string() }}) as previous_band,
        cast(health_daily.score_change_7d as {{ type_double() }}) as score_change_7d,
        cast(health_daily.score_change_28d as {{ type_double() }}) as score_change_28d,
        cast(health_daily.cap_rule as {{ dbt.type_string() }}) as cap_rule,
        cast(health_daily.primary_driver as {{ dbt.type_string() }}) as primary_driver,
        cast(health_daily.config_version as {{ dbt.type_string() }}) as config_version
    from alerts
    inner join health_daily
        on
            alerts.account_id = health_daily.account_id
            and alerts.date_day = health_daily.date_day
    left join accounts
        on alerts.account_id = accounts.account_id
)

select * from final
