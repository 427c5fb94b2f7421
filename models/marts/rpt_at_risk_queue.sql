{#-
    The weekly CS work list (SPEC §5): current customers whose score is below
    the watch threshold, i.e. the min_score of the band ranked just above the
    lowest band in health_bands (not a hard-coded number).
    Ranked by revenue at risk = ARR x (100 - health_score) / 100, highest
    first (low health on a large account comes first), then by the fastest
    28-day decline, then account_id. next_action is the primary driver's
    playbook; when a cap (hard stop) holds, clearing it comes first: the
    playbook of the cap metric's component, whose owner then owns the action.
-#}
with

current_health as (
    select * from {{ ref('account_health_current') }}
),

health_bands as (
    select * from {{ ref('stg_config__health_bands') }}
),

health_caps as (
    select * from {{ ref('stg_config__health_caps') }}
),

health_metrics as (
    select * from {{ ref('stg_config__health_metrics') }}
),

health_playbooks as (
    select * from {{ ref('stg_config__health_playbooks') }}
),

cap_playbooks as (
    select
        health_caps.rule as cap_rule,
        health_playbooks.component as cap_component,
        health_playbooks.playbook as cap_playbook,
        health_playbooks.owner_role as cap_owner_role
    from health_caps
    inner join health_metrics
        on health_caps.metric = health_metrics.metric
    inner join health_playbooks
        on health_metrics.component = health_playbooks.component
),

ranked_bands as (
    select
        cast(min_score as {{ type_double() }}) as min_score,
        row_number() over (order by cast(rank as {{ dbt.type_int() }}) asc) as rank_order
    from health_bands
),

watch_threshold as (
    select min_score as watch_threshold
    from ranked_bands
    where rank_order = 2
),

at_risk as (
    select
        current_health.*,
        cap_playbooks.cap_component,
        cap_playbooks.cap_playbook,
        cap_playbooks.cap_owner_role,
        watch_threshold.watch_threshold,
        round(current_health.arr * (100 - current_health.health_score) / 100, 2) as revenue_at_risk
    from current_health
    inner join watch_threshold
        on current_health.health_score < watch_threshold.watch_threshold
    left join cap_playbooks
        on current_health.cap_rule = cap_playbooks.cap_rule
),

queued as (
    select
        *,
        row_number() over (
            order by revenue_at_risk desc, score_change_28d asc nulls last, account_id asc
        ) as queue_rank,
        case
            when cap_rule is null then playbook
            when cap_component = primary_driver or playbook is null
                then {{ dbt.concat(["'Clear the hard stop '", 'cap_rule', "': '", "coalesce(cap_playbook, '')"]) }}
            else {{ dbt.concat([
                "'Clear the hard stop '", 'cap_rule', "': '", "coalesce(cap_playbook, '')",
                "'. Then: '", 'playbook'
            ]) }}
        end as next_action,
        case
            when cap_rule is not null and cap_owner_role is not null then cap_owner_role
            else playbook_owner_role
        end as owner_role
    from at_risk
),

final as (
    select
        cast(queue_rank as {{ dbt.type_int() }}) as queue_rank,
        cast(as_of_date as date) as as_of_date,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_name as {{ dbt.type_string() }}) as account_name,
        cast(segment as {{ dbt.type_string() }}) as segment,
        cast(csm_owner as {{ dbt.type_string() }}) as csm_owner,
        cast(owner_role as {{ dbt.type_string() }}) as owner_role,
        cast(mrr as {{ type_double() }}) as mrr,
        cast(arr as {{ type_double() }}) as arr,
        cast(health_score as {{ type_double() }}) as health_score,
        cast(health_score_uncapped as {{ type_double() }}) as health_score_uncapped,
        cast(band as {{ dbt.type_string() }}) as band,
        cast(watch_threshold as {{ type_double() }}) as watch_threshold,
        cast(revenue_at_risk as {{ type_double() }}) as revenue_at_risk,
        cast(score_change_7d as {{ type_double() }}) as score_change_7d,
        cast(score_change_28d as {{ type_double() }}) as score_change_28d,
        cast(trend as {{ dbt.type_string() }}) as trend,
        cast(days_in_band as {{ dbt.type_int() }}) as days_in_band,
        cast(primary_driver as {{ dbt.type_string() }}) as primary_driver,
        cast(primary_driver_points_lost as {{ type_double() }}) as primary_driver_points_lost,
        cast(cap_rule as {{ dbt.type_string() }}) as cap_rule,
        cast(override_reason as {{ dbt.type_string() }}) as override_reason,
        cast(playbook as {{ dbt.type_string() }}) as playbook,
        cast(next_action as {{ dbt.type_string() }}) as next_action,
        cast(next_renewal_date as date) as next_renewal_date,
        cast(days_to_renewal as {{ dbt.type_int() }}) as days_to_renewal,
        cast(config_version as {{ dbt.type_string() }}) as config_version
    from queued
)

select * from final
