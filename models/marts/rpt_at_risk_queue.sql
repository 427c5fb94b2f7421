{#-
    The weekly CS work list (SPEC §5): current customers whose score is below
    the watch threshold, i.e. the min_score of the band ranked just above the
    lowest band in health_bands (not a hard-coded number).
    Ranked by revenue at risk = ARR x (100 - health_score) / 100, highest
    first (low health on a large account comes first), then by the fastest
    28-day decline, then account_id.
    driver_type / driver say what binds the score today, in the order the
    score is made (int_health_scores_capped):
    - override: an active manual override moved the score (driver
      'override'; its reason, author and expiry come along);
    - cap: a cap (hard stop) lowered the score below the uncapped score
      (driver = the cap rule);
    - component: otherwise the primary driver (the component losing most
      points).
    next_action follows the driver: a binding cap puts clearing it first
    (the playbook of the cap metric's component, whose owner then owns the
    action), then the driver's playbook; a binding override asks for the
    override to be reviewed before its expiry, then the playbook; a cap
    whose condition holds without binding is added after the playbook.
    owner_role is the role owning the first step; csm_owner stays the CSM.
-#}
with

current_health as (
    select * from {{ ref('account_health_current') }}
),

health_bands as (
    select * from {{ ref('dim_health_bands') }}
),

health_caps as (
    select * from {{ ref('stg_config__health_caps') }}
),

health_metrics as (
    select * from {{ ref('stg_config__health_metrics') }}
),

health_playbooks as (
    select * from {{ ref('dim_health_components') }}
),

health_scores as (
    select * from {{ ref('int_health_scores_capped') }}
),

health_overrides as (
    select * from {{ ref('stg_config__health_overrides') }}
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
        row_number() over (order by band_rank asc) as rank_order
    from health_bands
),

watch_threshold as (
    select min_score as watch_threshold
    from ranked_bands
    where rank_order = 2
),

active_overrides as (
    select
        current_health.account_id,
        min(health_overrides.expires_on) as override_expires_on,
        min(health_overrides.author) as override_author
    from current_health
    inner join health_overrides
        on
            current_health.account_id = health_overrides.account_id
            and (health_overrides.valid_from is null or current_health.as_of_date >= health_overrides.valid_from)
            and current_health.as_of_date <= health_overrides.expires_on
    group by current_health.account_id
),

at_risk as (
    select
        current_health.*,
        cap_playbooks.cap_component,
        cap_playbooks.cap_playbook,
        cap_playbooks.cap_owner_role,
        watch_threshold.watch_threshold,
        active_overrides.override_expires_on,
        active_overrides.override_author,
        {{ health_round("current_health.arr * (100 - current_health.health_score) / 100", 2) }} as revenue_at_risk,
        case
            when
                current_health.override_reason is not null
                and abs(health_scores.health_score - health_scores.health_score_after_caps) >= 0.005
                then 'override'
            when
                current_health.cap_rule is not null
                and health_scores.health_score_uncapped - health_scores.health_score_after_caps >= 0.005
                then 'cap'
            else 'component'
        end as driver_type
    from current_health
    inner join watch_threshold
        on current_health.health_score < watch_threshold.watch_threshold
    left join cap_playbooks
        on current_health.cap_rule = cap_playbooks.cap_rule
    left join health_scores
        on {{ same_account_day('current_health', 'health_scores', 'as_of_date', 'date_day') }}
    left join active_overrides
        on current_health.account_id = active_overrides.account_id
),

queued as (
    select
        *,
        row_number() over (
            order by revenue_at_risk desc, score_change_28d asc nulls last, account_id asc
        ) as queue_rank,
        case
            when driver_type = 'override' then 'override'
            when driver_type = 'cap' then cap_rule
            else primary_driver
        end as driver,
        case
            when driver_type = 'cap' and (cap_component = primary_driver or playbook is null)
                then {{ dbt.concat(["'Clear the hard stop '", 'cap_rule', "': '", "coalesce(cap_playbook, '')"]) }}
            when driver_type = 'cap'
                then {{ dbt.concat([
                    "'Clear the hard stop '", 'cap_rule', "': '", "coalesce(cap_playbook, '')",
                    "'. Then: '", 'playbook'
                ]) }}
            when driver_type = 'override'
                then {{ dbt.concat([
                    "'Review the manual override ('", 'override_reason', "', until '",
                    'cast(override_expires_on as ' ~ dbt.type_string() ~ ')', "')'",
                    "case when playbook is null then '' else " ~ dbt.concat(["'. Then: '", 'playbook']) ~ " end"
                ]) }}
            when cap_rule is not null and playbook is not null
                then {{ dbt.concat([
                    'playbook', "'. Also clear the hard stop '", 'cap_rule', "': '", "coalesce(cap_playbook, '')"
                ]) }}
            when cap_rule is not null
                then {{ dbt.concat(["'Clear the hard stop '", 'cap_rule', "': '", "coalesce(cap_playbook, '')"]) }}
            else playbook
        end as next_action,
        case
            when driver_type = 'cap' and cap_owner_role is not null then cap_owner_role
            when playbook_owner_role is null and cap_owner_role is not null then cap_owner_role
            else playbook_owner_role
        end as owner_role
    from at_risk
),

final as (
    select
        {{ contract_columns() }}
    from queued
)

select * from final
