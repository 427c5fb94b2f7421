-- Every rejected raw row, with a machine-readable reason (first matching
-- reason of docs/contracts.md wins) and a human-readable detail. Together with
-- the clean staging models it accounts for every raw row:
-- raw rows = clean rows + quarantined rows, per table (tests/staging).
-- The verdicts themselves are assigned once, in the base_* models.
-- Materialized as a table: it is small (the rejected rows only), while as a
-- view every test and reader of it rescanned all product events.
{{ config(materialized='table') }}
with

accounts as (
    {{ quarantine_rows('accounts', ref('base_crm__accounts')) }}
),

subscriptions as (
    {{ quarantine_rows('subscriptions', ref('base_billing__subscriptions')) }}
),

product_events as (
    {{ quarantine_rows('product_events', ref('base_product__events')) }}
),

invoices as (
    {{ quarantine_rows('invoices', ref('base_billing__invoices')) }}
),

payments as (
    {{ quarantine_rows('payments', ref('base_billing__payments')) }}
),

support_tickets as (
    {{ quarantine_rows('support_tickets', ref('base_support__tickets')) }}
),

survey_responses as (
    {{ quarantine_rows('survey_responses', ref('base_surveys__responses')) }}
),

csm_pulse as (
    {{ quarantine_rows('csm_pulse', ref('base_crm__csm_pulse')) }}
),

csm_activities as (
    {{ quarantine_rows('csm_activities', ref('base_crm__csm_activities')) }}
),

final as (
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
)

select * from final
