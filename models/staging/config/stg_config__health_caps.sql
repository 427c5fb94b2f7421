-- depends_on: {{ ref('stg_config__validation') }}
-- Hard stops: when metric <operator> threshold holds on a day, the score is
-- capped at cap. Keys trimmed and lower-cased; read by every downstream model
-- instead of the raw seed. Built only after stg_config__validation passed.
with

seed_rows as (
    {{ config_seed_select('health_caps') }}
),

final as (
    select
        rule,
        metric,
        operator,
        threshold,
        cap,
        description
    from seed_rows
)

select * from final
