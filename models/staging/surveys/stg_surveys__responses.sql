-- One row per clean survey send; rejected rows are in stg_quarantine. Empty
-- when var('enable_survey_responses') is false.
with

base as (
    select * from {{ ref('base_surveys__responses') }}
),

final as (
    select
        response_id,
        account_id,
        user_id,
        survey_type,
        sent_at,
        responded_at,
        score
    from base
    where quarantine_reason is null
)

select * from final
