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
        {{ scoring_score_columns() | trim | replace(',', ',\n        ') }}
    from health_scores
)

select * from final
