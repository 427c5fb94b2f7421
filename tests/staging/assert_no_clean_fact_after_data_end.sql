-- Business rule (SPEC §1 "Bad input", contracts.md): a fact stamped after the
-- last day of data is "in the future of the data" and must be quarantined,
-- never reach a clean model. (Subscription end_date is a contract term and
-- may lie after the data; its start_date may not.) Returns offending rows.
{% set facts = [
    ('accounts', 'stg_crm__accounts', 'account_id', 'cast(created_at as date)'),
    ('subscriptions', 'stg_billing__subscriptions', 'subscription_id', 'start_date'),
    ('product_events', 'stg_product__events', 'event_id', 'event_date'),
    ('invoices', 'stg_billing__invoices', 'invoice_id', 'issued_at'),
    ('payments', 'stg_billing__payments', 'payment_id', 'cast(attempted_at as date)'),
    ('support_tickets', 'stg_support__tickets', 'ticket_id', 'cast(created_at as date)'),
    ('survey_responses', 'stg_surveys__responses', 'response_id', 'cast(sent_at as date)'),
    ('csm_pulse', 'stg_crm__csm_pulse', 'pulse_id', 'cast(recorded_at as date)'),
    ('csm_activities', 'stg_crm__csm_activities', 'activity_id', 'cast(occurred_at as date)'),
] -%}
with

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

facts as (
    {%- for source_table, clean_model, key_column, fact_date in facts %}
    select
        '{{ source_table }}' as source_table,
        {{ key_column }} as record_key,
        {{ fact_date }} as fact_date
    from {{ ref(clean_model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select facts.*
from facts
cross join bounds
where facts.fact_date > bounds.data_end_date
