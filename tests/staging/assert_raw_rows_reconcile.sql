-- Business rule (SPEC §1 "Bad input"): staging never silently drops or keeps
-- a raw row. For every raw table: raw rows = clean rows + quarantined rows.
-- Returns one row per table where the counts do not add up.
{% set tables = [
    ('crm', 'accounts', 'account_id', 'stg_crm__accounts', true),
    ('billing', 'subscriptions', 'subscription_id', 'stg_billing__subscriptions', true),
    ('product', 'product_events', 'event_id', 'stg_product__events', true),
    ('billing', 'invoices', 'invoice_id', 'stg_billing__invoices', var('enable_invoices')),
    ('billing', 'payments', 'payment_id', 'stg_billing__payments', var('enable_payments')),
    ('support', 'support_tickets', 'ticket_id', 'stg_support__tickets', var('enable_support_tickets')),
    ('surveys', 'survey_responses', 'response_id', 'stg_surveys__responses', var('enable_survey_responses')),
    ('crm', 'csm_pulse', 'account_id', 'stg_crm__csm_pulse', var('enable_csm_pulse')),
    ('crm', 'csm_activities', 'activity_id', 'stg_crm__csm_activities', var('enable_csm_activities')),
] %}

with

quarantine as (
    select
        source_table,
        count(*) as n_rows
    from {{ ref('stg_quarantine') }}
    group by source_table
),

counts as (
{%- for source_name, table_name, key_column, clean_model, enabled in tables %}
    select
        '{{ table_name }}' as source_table,
        (
            select count(*)
            from ({{ staging_raw_source(source_name, table_name, [key_column], enabled=enabled) }}) as raw_rows
        ) as raw_rows,
        (select count(*) from {{ ref(clean_model) }}) as clean_rows
{%- if not loop.last %}
    union all
{%- endif %}
{%- endfor %}
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
