-- Business rule (SPEC §1 "Bad input", contracts.md): a fact stamped after the
-- last day of data is "in the future of the data" and must be quarantined,
-- never reach a clean model. (Subscription end_date is a contract term and
-- may lie after the data; its start_date may not.) Returns offending rows.
with

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

facts as (
    select 'accounts' as source_table, account_id as record_key, cast(created_at as date) as fact_date
    from {{ ref('stg_crm__accounts') }}
    union all
    select 'subscriptions', subscription_id, start_date
    from {{ ref('stg_billing__subscriptions') }}
    union all
    select 'product_events', event_id, event_date
    from {{ ref('stg_product__events') }}
    union all
    select 'invoices', invoice_id, issued_at
    from {{ ref('stg_billing__invoices') }}
    union all
    select 'payments', payment_id, cast(attempted_at as date)
    from {{ ref('stg_billing__payments') }}
    union all
    select 'support_tickets', ticket_id, cast(created_at as date)
    from {{ ref('stg_support__tickets') }}
    union all
    select 'survey_responses', response_id, cast(sent_at as date)
    from {{ ref('stg_surveys__responses') }}
    union all
    select 'csm_pulse', pulse_id, cast(recorded_at as date)
    from {{ ref('stg_crm__csm_pulse') }}
    union all
    select 'csm_activities', activity_id, cast(occurred_at as date)
    from {{ ref('stg_crm__csm_activities') }}
)

select facts.*
from facts
cross join bounds
where facts.fact_date > bounds.data_end_date
