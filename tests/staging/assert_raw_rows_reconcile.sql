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
    {{ reconciliation_counts('crm', 'accounts', 'account_id', 'stg_crm__accounts') }}
),

subscriptions as (
    {{ reconciliation_counts('billing', 'subscriptions', 'subscription_id', 'stg_billing__subscriptions') }}
),

product_events as (
    {{ reconciliation_counts('product', 'product_events', 'event_id', 'stg_product__events') }}
),

invoices as (
    {{ reconciliation_counts(
        'billing', 'invoices', 'invoice_id', 'stg_billing__invoices', var('enable_invoices')
    ) }}
),

payments as (
    {{ reconciliation_counts(
        'billing', 'payments', 'payment_id', 'stg_billing__payments', var('enable_payments')
    ) }}
),

support_tickets as (
    {{ reconciliation_counts(
        'support', 'support_tickets', 'ticket_id', 'stg_support__tickets', var('enable_support_tickets')
    ) }}
),

survey_responses as (
    {{ reconciliation_counts(
        'surveys', 'survey_responses', 'response_id', 'stg_surveys__responses', var('enable_survey_responses')
    ) }}
),

csm_pulse as (
    {{ reconciliation_counts('crm', 'csm_pulse', 'account_id', 'stg_crm__csm_pulse', var('enable_csm_pulse')) }}
),

csm_activities as (
    {{ reconciliation_counts(
        'crm', 'csm_activities', 'activity_id', 'stg_crm__csm_activities', var('enable_csm_activities')
    ) }}
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
