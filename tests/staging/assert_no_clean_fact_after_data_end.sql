-- Business rule (SPEC §1 "Bad input", contracts.md): a fact stamped after the
-- last day of data is "in the future of the data" and must be quarantined,
-- never reach a clean model. (Subscription end_date is a contract term and
-- may lie after the data; its start_date may not.) Returns offending rows.
with

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

facts as (
    select
        'accounts' as source_table,
        account_id as record_key,
        cast(created_at as date) as fact_date
    from {{ ref('stg_crm__accounts') }}
    union all
    select
        'subscriptions' as source_table,
        subscription_id as record_key,
        start_date as fact_date
    from {{ ref('stg_billing__subscriptions') }}
    union all
    select
        'product_events' as source_table,
        event_id as record_key,
        event_date as fact_date
    from {{ ref('stg_product__events') }}
    union all
    select
        'invoices' as source_table,
        invoice_id as record_key,
        issued_at as fact_date
    from {{ ref('stg_billing__invoices') }}
    union all
    select
        'payments' as source_table,
        payment_id as record_key,
        cast(attempted_at as date) as fact_date
    from {{ ref('stg_billing__payments') }}
    union all
    select
        'support_tickets' as source_table,
        ticket_id as record_key,
        cast(created_at as date) as fact_date
    from {{ ref('stg_support__tickets') }}
    union all
    select
        'survey_responses' as source_table,
        response_id as record_key,
        cast(sent_at as date) as fact_date
    from {{ ref('stg_surveys__responses') }}
    union all
    select
        'csm_pulse' as source_table,
        pulse_id as record_key,
        cast(recorded_at as date) as fact_date
    from {{ ref('stg_crm__csm_pulse') }}
    union all
    select
        'csm_activities' as source_table,
        activity_id as record_key,
        cast(occurred_at as date) as fact_date
    from {{ ref('stg_crm__csm_activities') }}
)

select facts.*
from facts
cross join bounds
where facts.fact_date > bounds.data_end_date
