-- One row per clean account (stg_crm__accounts) with its scoring profile
-- (segment_profiles; `default` when the segment is not listed): the account
-- attributes the marts share instead of reading staging.
with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

segment_profiles as (
    select * from {{ ref('stg_config__segment_profiles') }}
),

final as (
    select
        cast(accounts.account_id as {{ dbt.type_string() }}) as account_id,
        cast(accounts.account_name as {{ dbt.type_string() }}) as account_name,
        cast(accounts.segment as {{ dbt.type_string() }}) as segment,
        cast(accounts.industry as {{ dbt.type_string() }}) as industry,
        cast(accounts.region as {{ dbt.type_string() }}) as region,
        cast(accounts.csm_owner as {{ dbt.type_string() }}) as csm_owner,
        accounts.created_at,
        cast(coalesce(segment_profiles.profile, 'default') as {{ dbt.type_string() }}) as profile
    from accounts
    left join segment_profiles
        on accounts.segment = segment_profiles.segment
)

select * from final
