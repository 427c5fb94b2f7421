{#-
    product_events_rules(): the quarantine_base arguments of product events
    (a mapping: checks, key_expression, joins, final_columns), shared by
    base_product__events and stg_product__events_restage, which reads the row
    keys of raw rows the same way. Call it only when executing (it returns a
    value).
    event_id is nullable in raw: a missing id is replaced by a hash of the
    event's content, so two identical id-less rows count as one duplicate
    (and the key is never null). Unknown event types are kept (event_category
    'unknown'), never guessed.
-#}
{% macro product_events_rules() %}
{%- do return({
    'checks': [
        (
            'out_of_range_value',
            'quantity < 0',
            dbt.concat(["'quantity '", quarantine_text('quantity__raw'), "' is negative'"]),
        ),
    ],
    'key_expression': 'coalesce(event_id__raw, ' ~ health_surrogate_key([
        'account_id', 'user_id', 'event_type', 'occurred_at__raw', 'quantity__raw',
    ]) ~ ')',
    'joins': [{
        'name': 'event_types',
        'relation': ref('stg_config__event_types'),
        'columns': ['event_type', 'category'],
        'on': 'keyed.event_type = event_types.event_type',
        'select': ["coalesce(event_types.category, 'unknown') as event_category"],
    }],
    'final_columns': {
        'quantity': 'coalesce(quantity, 1.0)',
        'event_date': 'cast(occurred_at as date)',
    },
}) -%}
{% endmacro %}
