{#-
    The per-account-day state behind the health alerts (rpt_health_alerts,
    SPEC §5): one row per fct_account_health_daily row, with what an alert
    on that day depends on and the alert conditions of the day:
    - is_clear: the score sits inside its band by at least var
      alert_band_margin_points past each threshold that bounds it (the
      scale's ends are not thresholds);
    - clear_run_days: rows in the account's current uninterrupted run of
      the same (band, is_clear), counted over its scored days in order;
    - a band is confirmed on a clear day whose run reaches exactly var
      alert_band_hold_days; confirmed_band / _rank: the last band confirmed
      on or before the day;
    - band_alert_type / from_band: band_drop / recovered on a confirming day
      whose band ranks below / above the previously confirmed band;
    - is_fast_decline: score_change_28d reached var
      alert_fast_decline_28d_points or lower and had not the previous row;
    - is_cap_triggered: a cap holds that did not the previous row, or a
      different rule took over.
    Incremental (health_alert_incremental_config): an incremental run recomputes
    the days from `start` and continues from the account's last stored row
    before it (`carried`: score_change_28d and cap_rule for the day-to-day
    conditions, band / is_clear / clear_run_days for the run, confirmed_band
    for the next confirmation), so every row equals a full refresh: a row is
    a function of the account's fct rows up to its day, and those before
    `start` do not change (int_build_plan). The rows depend on the alert
    vars (not in config_version): alert_rule stores them, and a run with
    other vars recomputes every day (health_alert_start).
-#}
{{ health_alert_incremental_config() }}
{%- set start = health_alert_start(ref('int_build_plan')) | trim %}
{%- set fast_decline_points = var('alert_fast_decline_28d_points', -15) -%}
{%- set hold_days = var('alert_band_hold_days', 3) | int -%}
{%- set margin_points = var('alert_band_margin_points', 5) -%}
with
{{ health_imports({
    'health_daily': 'fct_account_health_daily',
    'health_bands': 'dim_health_bands',
}, incremental=['health_daily'], day_filter=health_incremental_filter('date_day', start)) }}

clear_days as (
    select
        health_daily.account_id,
        health_daily.date_day,
        health_daily.band,
        health_daily.band_rank,
        health_daily.score_change_28d,
        health_daily.cap_rule,
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

carried as (
    -- incremental runs: the last stored row before `start` of each account
    {%- if start not in ['none', 'all'] %}
    {{ health_last_stored_before(start, [
        'account_id', 'date_day', 'band', 'band_rank', 'score_change_28d', 'cap_rule',
        'is_clear', 'clear_run_days', 'confirmed_band', 'confirmed_band_rank',
    ]) }}
    {%- else %}
    -- noqa: disable=LT02
    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as date) as date_day,
        cast(null as {{ dbt.type_string() }}) as band,
        cast(null as {{ dbt.type_int() }}) as band_rank,
        cast(null as {{ type_double() }}) as score_change_28d,
        cast(null as {{ dbt.type_string() }}) as cap_rule,
        cast(null as {{ dbt.type_boolean() }}) as is_clear,
        cast(null as {{ dbt.type_int() }}) as clear_run_days,
        cast(null as {{ dbt.type_string() }}) as confirmed_band,
        cast(null as {{ dbt.type_int() }}) as confirmed_band_rank
    where 1 = 0
    -- noqa: enable=LT02
    {%- endif %}
),

history as (
    -- the recomputed rows after the carried row (it is the first of its account)
    select
        account_id,
        date_day,
        band,
        band_rank,
        score_change_28d,
        cap_rule,
        is_clear,
        false as is_carried,
        0 as carried_run_days,
        false as has_carried_confirmation,
        cast(null as {{ dbt.type_string() }}) as carried_confirmed_band,
        cast(null as {{ dbt.type_int() }}) as carried_confirmed_band_rank
    from clear_days
    union all
    select
        account_id,
        date_day,
        band,
        band_rank,
        score_change_28d,
        cap_rule,
        is_clear,
        true as is_carried,
        clear_run_days - 1 as carried_run_days,
        confirmed_band is not null or confirmed_band_rank is not null as has_carried_confirmation,
        confirmed_band as carried_confirmed_band,
        confirmed_band_rank as carried_confirmed_band_rank
    from carried
),

islands as (
    select
        *,
        lag(score_change_28d) over (partition by account_id order by date_day) as previous_score_change_28d,
        lag(cap_rule) over (partition by account_id order by date_day) as previous_cap_rule,
        row_number() over (partition by account_id order by date_day)
        - row_number() over (partition by account_id, band, is_clear order by date_day) as island
    from history
),

runs as (
    select
        *,
        row_number() over (partition by account_id, band, is_clear, island order by date_day)
        + max(carried_run_days) over (partition by account_id, band, is_clear, island) as clear_run_days
    from islands
),

confirmations as (
    select
        *,
        not is_carried and is_clear and clear_run_days = {{ hold_days }} as is_confirmation
    from runs
),

confirmation_groups as (
    -- a group starts at each confirmation (or the carried last confirmation)
    select
        *,
        sum(case when is_confirmation or has_carried_confirmation then 1 else 0 end) over (
            partition by account_id
            order by date_day
            rows between unbounded preceding and current row
        ) as confirmation_group
    from confirmations
),

confirmed as (
    select
        *,
        max(case when is_carried then carried_confirmed_band when is_confirmation then band end) over (
            partition by account_id, confirmation_group
        ) as confirmed_band,
        max(case when is_carried then carried_confirmed_band_rank when is_confirmation then band_rank end) over (
            partition by account_id, confirmation_group
        ) as confirmed_band_rank
    from confirmation_groups
),

with_previous_confirmed as (
    select
        *,
        lag(confirmed_band) over (partition by account_id order by date_day) as previous_confirmed_band,
        lag(confirmed_band_rank) over (partition by account_id order by date_day) as previous_confirmed_band_rank
    from confirmed
),

alert_states as (
    select
        account_id,
        date_day,
        band,
        band_rank,
        score_change_28d,
        cap_rule,
        is_clear,
        cast(clear_run_days as {{ dbt.type_int() }}) as clear_run_days,
        confirmed_band,
        cast(confirmed_band_rank as {{ dbt.type_int() }}) as confirmed_band_rank,
        case
            when is_confirmation and band_rank < previous_confirmed_band_rank then 'band_drop'
            when is_confirmation and band_rank > previous_confirmed_band_rank then 'recovered'
        end as band_alert_type,
        case
            when is_confirmation and band_rank <> previous_confirmed_band_rank then previous_confirmed_band
        end as from_band,
        coalesce(
            score_change_28d <= {{ fast_decline_points }}
            and (previous_score_change_28d is null or previous_score_change_28d > {{ fast_decline_points }}),
            false
        ) as is_fast_decline,
        coalesce(
            cap_rule is not null
            and (previous_cap_rule is null or previous_cap_rule <> cap_rule),
            false
        ) as is_cap_triggered,
        cast('{{ health_alert_rule() }}' as {{ dbt.type_string() }}) as alert_rule
    from with_previous_confirmed
    where not is_carried
),

final as (
    select * from alert_states
)

select * from final
