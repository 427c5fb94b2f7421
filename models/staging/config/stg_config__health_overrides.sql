-- depends_on: {{ ref('stg_config__validation') }}
-- Manual score caps or floors per account, each with a reason and an expiry.
-- Keys trimmed and lower-cased; read by every downstream model instead of the
-- raw seed. Built only after stg_config__validation passed.
with

seed_rows as (
    {{ config_seed_select('health_overrides') }}
),

final as (
    select
        account_id,
        score_cap,
        score_floor,
        reason,
        author,
        valid_from,
        expires_on
    from seed_rows
)

select * from final
