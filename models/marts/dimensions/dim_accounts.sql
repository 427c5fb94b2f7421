-- One row per clean account (stg_crm__accounts): the account attributes the
-- marts share instead of reading staging.
with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

final as (
    -- the columns of stg_crm__accounts, pinned by this model's contract
    select accounts.*
    from accounts
)

select * from final
