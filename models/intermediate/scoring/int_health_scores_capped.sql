{#-
    One row per account x customer day: the weighted score and what caps and
    overrides made of it (SPEC §4.4-4.5): the score columns of
    int_health_scores_wide (a view). Rules: see int_health_scores_wide.
-#}
{{ config(materialized='view') }}

with

health_scores as (
    select * from {{ ref('int_health_scores_wide') }}
),

final as (
    select
        account_id,
        date_day,
        profile,
        coverage,
        health_score_uncapped,
        cap_rule,
        cap_value,
        health_score_after_caps,
        override_reason,
        override_floor,
        override_cap,
        health_score,
        renewal_coverage,
        renewal_score_uncapped,
        renewal_score
    from health_scores
)

select * from final
