{#-
    Health alerts, one row per account x day x alert type (SPEC §5), raised
    on the day something changes (not every day a condition persists):
    - band_drop / recovered: the account's confirmed band moved down / up.
      A band is confirmed once the score has stayed inside it, by at least
      var alert_band_margin_points (default 5) past each threshold that
      bounds it, on var alert_band_hold_days (default 3) consecutive scored
      days; the alert is raised on the day that confirms it, naming the
      previously confirmed band. The scale's ends (0 and the top band's
      max) are not thresholds. A dip that does not hold, or that stays
      within the margin of the threshold, alerts nobody (hysteresis);
      hold 1 and margin 0 alert on every day-to-day band change;
    - fast_decline: score_change_28d reached var alert_fast_decline_28d_points
      (default -15) or lower, and had not the previous scored day;
    - cap_triggered: a cap (hard stop) holds that did not the previous scored
      day, or a different, tighter rule took over.
-#}
{%- set fast_decline_points = var('alert_fast_decline_28d_points', -15) -%}
{%- set hold_days = var('alert_band_hold_days', 3) | int -%}
{%- set margin_points = var('alert_band_margin_points', 5) -%}
{%- set held_note = '' if hold_days == 1 else ' (held ' ~ hold_days ~ ' days)' -%}

with

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

health_bands as (
    select * from {{ ref('dim_health_bands') }}
),

with_previous as (
    select
        health_daily.*,
        lag(health_daily.score_change_28d) over (
            partition by health_daily.account_id order by health_daily.date_day
        ) as previous_score_change_28d,
        lag(health_daily.cap_rule) over (
            partition by health_daily.account_id order by health_daily.date_day
        ) as previous_cap_rule
    from health_daily
),

clear_days as (
    select
        health_daily.account_id,
        health_daily.date_day,
        health_daily.band,
        health_daily.band_rank,
        coalesce(
            health_daily.health_score is not null
            and (
                health_bands.band_rank = {{ band_rank_extreme('lowest') }}
                or health_daily.health_score >= health_bands.min_score + {{ margin_points }}
            )
            and (
                health_bands.band_rank = {{ band_rank_extreme('top') }}
                or health_daily.health_score < health_bands.max_score - {{ margin_points }}
            ),
            false
        ) as is_clear
    from health_daily
    left join health_bands
        on health_daily.band = health_bands.band
),

clear_islands as (
    select
        *,
        row_number() over (partition by account_id order by date_day)
        - row_number() over (partition by account_id, band, is_clear order by date_day) as island
    from clear_days
),

clear_runs as (
    select
        *,
        row_number() over (
            partition by account_id, band, is_clear, island order by date_day
        ) as clear_run_days
    from clear_islands
),

confirmations as (
    select
        account_id,
        date_day,
        band,
        band_rank,
        lag(band) over (partition by account_id order by date_day) as from_band,
        lag(band_rank) over (partition by account_id order by date_day) as from_band_rank
    from clear_runs
    where is_clear and clear_run_days = {{ hold_days }}
),

band_drops as (
    select
        account_id,
        date_day,
        'band_drop' as alert_type,
        from_band,
        {{ dbt.concat([
            "'Band dropped from '", 'from_band', "' to '", 'band', "'" ~ held_note ~ "'"
        ]) }} as alert_detail
    from confirmations
    where band_rank < from_band_rank
),

recoveries as (
    select
        account_id,
        date_day,
        'recovered' as alert_type,
        from_band,
        {{ dbt.concat([
            "'Band recovered from '", 'from_band', "' to '", 'band', "'" ~ held_note ~ "'"
        ]) }} as alert_detail
    from confirmations
    where band_rank > from_band_rank
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
        cast(null as {{ dbt.type_string() }}) as from_band,
        {{ dbt.concat(["'Hard stop '", 'cap_rule', "' caps the score'"]) }} as alert_detail
    from with_previous
    where
        cap_rule is not null
        and (previous_cap_rule is null or previous_cap_rule <> cap_rule)
),

alerts as (
    select * from band_drops
    union all
    select * from recoveries
    union all
    select * from fast_declines
    union all
    select * from caps_triggered
),

joined as (
    -- the alert with the account's scored day (the contract picks its columns)
    select
        health_daily.*,
        alerts.date_day as alert_date,
        alerts.alert_type,
        alerts.alert_detail,
        alerts.from_band,
        accounts.account_name,
        accounts.csm_owner,
        {{ hold_days }} as band_hold_days,
        {{ margin_points }} as band_margin_points
    from alerts
    inner join health_daily
        on {{ same_account_day('alerts', 'health_daily') }}
    left join accounts
        on alerts.account_id = accounts.account_id
),

final as (
    select
        {{ contract_columns() }}
    from joined
)

select * from final
