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

    The alerts and their account-day columns are built incrementally in
    int_health_alerts (conditions: int_health_alert_states); this table adds
    the account's current name and CSM (dim_accounts: current state, so it is
    rebuilt in full, from the few alert rows) and the hold / margin vars.
-#}
{%- set hold_days = var('alert_band_hold_days', 3) | int -%}
{%- set margin_points = var('alert_band_margin_points', 5) -%}

with

health_alerts as (
    select * from {{ ref('int_health_alerts') }}
),

accounts as (
    select * from {{ ref('dim_accounts') }}
),

joined as (
    -- the alert with the account's current name and CSM (the contract picks its columns)
    select
        health_alerts.*,
        health_alerts.date_day as alert_date,
        accounts.account_name,
        accounts.csm_owner,
        {{ hold_days }} as band_hold_days,
        {{ margin_points }} as band_margin_points
    from health_alerts
    left join accounts
        on health_alerts.account_id = accounts.account_id
),

final as (
    select
        {{ contract_columns() }}
    from joined
)

select * from final
