{{ config(materialized='table') }}
-- Product events with their quarantine verdict (see base_crm__accounts).
-- Materialized as a table: it dedupes millions of events and is read by both
-- stg_product__events and stg_quarantine.
-- event_id is nullable in raw: a missing id is replaced by a hash of the
-- event's content, so two identical id-less rows count as one duplicate.
-- Unknown event types are kept (event_category 'unknown'), never guessed.
{{ quarantine_base(
    'product_events',
    checks=[
        (
            'out_of_range_value',
            'quantity < 0',
            dbt.concat(["'quantity '", quarantine_text('quantity__raw'), "' is negative'"]),
        ),
    ],
    key_expression='coalesce(event_id__raw, ' ~ health_surrogate_key([
        'account_id', 'user_id', 'event_type', 'occurred_at__raw', 'quantity__raw',
    ]) ~ ')',
    joins=[{
        'name': 'event_types',
        'relation': ref('stg_config__event_types'),
        'columns': ['event_type', 'category'],
        'on': 'keyed.event_type = event_types.event_type',
        'select': ["coalesce(event_types.category, 'unknown') as event_category"],
    }],
    final_columns={
        'quantity': 'coalesce(quantity, 1.0)',
        'event_date': 'cast(occurred_at as date)',
    },
) }}
