-- depends_on: {{ ref('stg_config__validation') }}
-- One recovery playbook and owner role per component. Keys trimmed and lower-
-- cased; read by every downstream model instead of the raw seed. Built only
-- after stg_config__validation passed.
with

seed_rows as (
    {{ config_seed_select('health_playbooks') }}
),

final as (
    select
        component,
        playbook,
        owner_role
    from seed_rows
)

select * from final
