-- Business rule (SPEC §1 "Bad input"): staging never silently drops or keeps
-- a raw row. For every raw table: raw rows = clean rows + quarantined rows.
-- Returns one row per table where the counts do not add up.
with

quarantine as (
    select
        source_table,
        count(*) as n_rows
    from {{ ref('stg_quarantine') }}
    group by source_table
),

accounts as (
    {{ reconciliation_counts('accounts', 'stg_crm__accounts') }}
),

subscriptions as (
    {{ reconciliation_counts('subscriptions', 'stg_billing__subscriptions') }}
),

product_events as (
    {{ reconciliation_counts('product_events', 'stg_product__events') }}
),

invoices as (
    {{ reconciliation_counts('invoices', 'stg_billing__invoices') }}
),

payments as (
    {{ reconciliation_counts('payments', 'stg_billing__payments') }}
),

support_tickets as (
    {{ reconciliation_counts('support_tickets', 'stg_support__tickets') }}
),

survey_responses as (
    {{ reconciliation_counts('survey_responses', 'stg_surveys__responses') }}
),

csm_pulse as (
    {{ reconciliation_counts('csm_pulse', 'stg_crm__csm_pulse') }}
),

csm_activities as (
    {{ reconciliation_counts('csm_activities', 'stg_crm__csm_activities') }}
),

counts as (
    select * from accounts
    union all
    select * from subscriptions
    union all
    select * from product_events
    union all
    select * from invoices
    union all
    select * from payments
    union all
    select * from support_tickets
    union all
    select * from survey_responses
    union all
    select * from csm_pulse
    union all
    select * from csm_activities
),

final as (
    select
        counts.source_table,
        counts.raw_rows,
        counts.clean_rows,
        coalesce(quarantine.n_rows, 0) as quarantined_rows
    from counts
    left join quarantine
        on counts.source_table = quarantine.source_table
    where counts.raw_rows != counts.clean_rows + coalesce(quarantine.n_rows, 0)
)

select * from final
