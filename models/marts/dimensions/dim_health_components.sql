-- One row per health component (seeds/health_components.csv) with its
-- recovery playbook (seeds/health_playbooks.csv): the component lookup the
-- marts, their tests and the backtest share instead of reading staging.
with

components as (
    select * from {{ ref('stg_config__health_components') }}
),

playbooks as (
    select * from {{ ref('stg_config__health_playbooks') }}
),

final as (
    select
        components.component,
        components.display_order,
        components.wide_column,
        components.description,
        playbooks.playbook,
        playbooks.owner_role
    from components
    left join playbooks
        on components.component = playbooks.component
)

select * from final
