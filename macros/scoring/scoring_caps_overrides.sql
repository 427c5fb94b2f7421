{#-
    scoring_caps_overrides(scores, cap_conditions, health_overrides, double):
    the CTEs (ranked_caps, tightest_caps, active_overrides, after_caps,
    after_floors, capped; written after a comma, none after the last) that
    turn the uncapped scores into the final ones (SPEC §4.4-4.5). Written once
    for the wide path (int_health_scores_wide) and the long-form reference
    (int_health_scores_capped_long), whose unit tests pin it.
    - scores: a CTE with account_id, date_day, health_score_uncapped and
      renewal_score_uncapped (and any columns to carry through);
    - cap_conditions: a CTE with account_id, date_day, cap_rule, cap_value:
      one row per cap rule whose condition holds that day;
    - the tightest cap wins (ties: rule name): min(score, cap);
    - overrides active on valid_from <= day <= expires_on: the highest
      score_floor raises, then the lowest score_cap lowers (the cap wins a
      conflict); reasons listed by valid_from, reason;
    - the renewal score gets the same caps and overrides.
    `capped` holds scores.*, cap_rule, cap_value, override_reason,
    override_floor, override_cap, <score>_after_caps, <score>_after_floor
    and health_score, renewal_score.
-#}
{% macro scoring_caps_overrides(scores, cap_conditions, health_overrides, double) -%}
{%- set kinds = ['health_score', 'renewal_score'] -%}
ranked_caps as (
    select
        account_id,
        date_day,
        cap_rule,
        cap_value,
        row_number() over (
            partition by account_id, date_day
            order by cap_value asc, cap_rule asc
        ) as cap_order
    from {{ cap_conditions }}
),

tightest_caps as (
    select
        account_id,
        date_day,
        cap_rule,
        cap_value
    from ranked_caps
    where cap_order = 1
),

active_overrides as (
    select
        {{ scores }}.account_id,
        {{ scores }}.date_day,
        max(cast({{ health_overrides }}.score_floor as {{ double }})) as override_floor,
        min(cast({{ health_overrides }}.score_cap as {{ double }})) as override_cap,
        {{ dbt.listagg(
            health_overrides ~ '.reason',
            "'; '",
            'order by ' ~ health_overrides ~ '.valid_from, ' ~ health_overrides ~ '.reason'
        ) }} as override_reason
    from {{ scores }}
    inner join {{ health_overrides }}
        on
            {{ scores }}.account_id = {{ health_overrides }}.account_id
            and ({{ health_overrides }}.valid_from is null or {{ scores }}.date_day >= {{ health_overrides }}.valid_from)
            and {{ scores }}.date_day <= {{ health_overrides }}.expires_on
    group by {{ scores }}.account_id, {{ scores }}.date_day
),

after_caps as (
    select
        {{ scores }}.*,
        tightest_caps.cap_rule,
        tightest_caps.cap_value,
        active_overrides.override_reason,
        active_overrides.override_floor,
        active_overrides.override_cap,
        {%- for kind in kinds %}
        case
            when tightest_caps.cap_value < {{ scores }}.{{ kind }}_uncapped then tightest_caps.cap_value
            else {{ scores }}.{{ kind }}_uncapped
        end as {{ kind }}_after_caps{{ "," if not loop.last }}
        {%- endfor %}
    from {{ scores }}
    left join tightest_caps
        on
            {{ scores }}.account_id = tightest_caps.account_id
            and {{ scores }}.date_day = tightest_caps.date_day
    left join active_overrides
        on
            {{ scores }}.account_id = active_overrides.account_id
            and {{ scores }}.date_day = active_overrides.date_day
),

after_floors as (
    select
        *,
        {%- for kind in kinds %}
        case
            when override_floor > {{ kind }}_after_caps then override_floor
            else {{ kind }}_after_caps
        end as {{ kind }}_after_floor{{ "," if not loop.last }}
        {%- endfor %}
    from after_caps
),

capped as (
    select
        *,
        {%- for kind in kinds %}
        case
            when override_cap < {{ kind }}_after_floor then override_cap
            else {{ kind }}_after_floor
        end as {{ kind }}{{ "," if not loop.last }}
        {%- endfor %}
    from after_floors
)
{%- endmacro %}

{#-
    scoring_score_columns(): the columns of int_health_scores_capped (and of
    its long-form reference), in order, as comma-separated text.
-#}
{% macro scoring_score_columns() -%}
    account_id,date_day,profile,coverage,health_score_uncapped,cap_rule,cap_value,health_score_after_caps,
    {{- '' }}override_reason,override_floor,override_cap,health_score,renewal_coverage,renewal_score_uncapped,renewal_score
{%- endmacro %}
