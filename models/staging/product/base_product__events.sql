{{ config(
    materialized=staging_restage_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ staging_restage_delete() }}",
    post_hook="{{ staging_restage_post_hooks() }}",
) }}
-- depends_on: {{ ref('stg_product__events_restage') }}
-- depends_on: {{ ref('stg_config__event_types') }}
-- Product events with their quarantine verdict (see base_crm__accounts).
-- Materialized as a table: it dedupes millions of events and is read by both
-- stg_product__events and stg_quarantine. The rules: macros/staging/product_events.sql.
-- Incremental on a daily run (macros/staging/incremental_staging.sql,
-- docs/perf-notes/stg.md): the stored rows of the touched keys
-- (stg_product__events_restage) are deleted by the pre-hook and every raw row
-- with one of those keys is restaged here; a full plan restages everything.
{%- set incremental = execute is sameas true and this is not none and is_incremental()
    and staging_restage_mode() == 'incremental' %}
{%- set rules = product_events_rules() if execute is sameas true else {} %}
{{ quarantine_base('product_events', restage={
    'keys': staging_restage_keys(),
    'raw_where': '(' ~ clean_text('event_id') ~ ' in ' ~ staging_restage_keys() ~ ' or ' ~ clean_text('event_id') ~ ' is null)',
} if incremental else none, **rules) }}
