-- noqa: disable=LT02
{#-
    Incremental staging of product events (docs/perf-notes/stg.md).

    base_product__events is restaged per row key: a daily run deletes the
    stored rows of the touched keys and inserts the restaged rows of every
    raw row with one of those keys, so dedup and copy numbering across days
    are those of a full build. The models:

    stg_product__events_state    this build's inputs of the verdicts: per
                                 raw bucket (staging_raw_bucket) the row
                                 count and digest of the raw rows, the clean
                                 account ids, the data end, the event_types
                                 seed and the code / storage types
    stg_product__events_state_built
                                 the same as of the last build that wrote
                                 base_product__events (a post-hook of the
                                 base model, same transaction as the base
                                 rows: never out of step with them)
    stg_product__events_plan     one row: incremental or full, and why
    stg_product__events_restage  the touched keys (restage_key) and the
                                 event days their stored rows had (old_day)
    base_product__events_day_digests
                                 the per-day digests of stg_product__events
                                 read by int_input_day_digests, kept by the
                                 same post-hook (recomputed days only)
-#}

{#- whether base_product__events can be restaged incrementally on this
    engine ('true' / 'false'; read with `| trim`): where the incremental
    account-day models delete and append (health_incremental_deletes,
    macros/utils/engine_materialization.sql: DuckDB, Postgres). Spark: a
    table, rebuilt. -#}
{% macro health_staging_incremental_enabled() -%}
    {{- adapter.dispatch('health_incremental_deletes', 'customer_health')() -}}
{%- endmacro %}

{#- the materialization of base_product__events -#}
{% macro staging_restage_materialization() -%}
    {{- 'incremental' if health_staging_incremental_enabled() | trim == 'true' else 'table' -}}
{%- endmacro %}

{#- a relation of the staging schema by name (no ref: the side tables and the
    previous build's tables are read as they are, not as dbt nodes) -#}
{% macro staging_relation(identifier) -%}
    {%- if return is not defined -%}
{#- sqlfluff's templater (no return(), no api): a stand-in -#}
{{ identifier }}
    {%- else -%}
    {%- do return(api.Relation.create(
        database=target.get('database'),
        schema=generate_schema_name('staging', none) | trim,
        identifier=identifier,
    )) -%}
    {%- endif -%}
{%- endmacro %}

{#- the relation when it exists in the database, else none -#}
{% macro staging_existing_relation(identifier) -%}
    {%- if execute is not sameas true -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set relation = staging_relation(identifier) -%}
    {%- do return(adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    )) -%}
{%- endmacro %}

{#- the mode of the staging plan of this build: 'incremental' or 'full'
    ('full' too when there is no plan yet, while parsing or linting) -#}
{% macro staging_restage_mode() -%}
    {%- if return is not defined -%}full{%- else -%}
    {%- set plan = staging_existing_relation('stg_product__events_plan') -%}
    {%- if plan is none -%}
        {%- do return('full') -%}
    {%- endif -%}
    {%- set mode = run_query('select max(mode) from ' ~ plan).columns[0].values()[0] -%}
    {%- do return('incremental' if mode == 'incremental' else 'full') -%}
    {%- endif -%}
{%- endmacro %}

{#- the raw row's bucket: its time column as a date (as staged: the native
    value, else the trimmed text try-cast), health_incremental_epoch() when it
    does not parse. The stored base row of that raw row has the same value in
    event_date (coalesced the same way), so both sides agree on it. -#}
{% macro staging_raw_bucket(table_name) -%}
    {%- if return is not defined -%}
    cast(occurred_at as date)
    {%- else -%}
    coalesce(
        cast({{ raw_input_value(table_name, raw_input(table_name)['time_column']) }} as date),
        {{ health_incremental_epoch() }}
    )
    {%- endif -%}
{%- endmacro %}

{#- the touched keys of this build (a subquery for `in`) -#}
{% macro staging_restage_keys() -%}
    (select restage_key from {{ staging_relation('stg_product__events_restage') }} where restage_key is not null)
{%- endmacro %}

{#- the pre-hook of base_product__events: on an incremental plan delete the
    stored rows of the touched keys; on a full plan over an existing table
    delete every row (the model then inserts all of them). -#}
{% macro staging_restage_delete() -%}
    {%- if execute is sameas true and this is not none and health_staging_incremental_enabled() | trim == 'true' and is_incremental() -%}
        {%- if staging_restage_mode() == 'incremental' -%}
            delete from {{ this }} where event_id in {{ staging_restage_keys() }}
        {%- else -%}
            delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- the columns of stg_product__events, in its order (the digest's columns) -#}
{% macro staging_event_digest_columns() -%}
    {%- do return([
        'event_id', 'account_id', 'user_id', 'event_type', 'event_category', 'occurred_at', 'event_date', 'quantity',
    ]) -%}
{%- endmacro %}

{#- the day digests of the clean rows of `relation` (a base_product__events
    table), as int_input_day_digests computes them for any input, on the days
    `day_filter` keeps (a condition on fact_day, or none) -#}
{% macro staging_event_day_digests(relation, day_filter=none) -%}
select
    'stg_product__events' as input_name,
    fact_day,
    count(*) as n_rows,
    {{ health_day_digest(staging_event_digest_columns()) }} as digest
from (
    select
        cast({{ health_incremental_earliest_day(['event_date']) }} as date) as fact_day,
        {{ staging_event_digest_columns() | join(', ') }}
    from {{ relation }}
    where quarantine_reason is null
) as clean_events
{%- if day_filter %}
where {{ day_filter }}
{%- endif %}
group by fact_day
{%- endmacro %}

{#- the post-hook of base_product__events (statements separated by `;`, run in
    the model's transaction): the state copy, then the day digests (recomputed
    days only on an incremental plan). Nothing on an engine without
    incremental staging. -#}
{% macro staging_restage_post_hooks() -%}
    {%- set hooks = [] -%}
    {%- if execute is sameas true and health_staging_incremental_enabled() | trim == 'true' -%}
        {%- set state = staging_relation('stg_product__events_state') -%}
        {%- set built = staging_relation('stg_product__events_state_built') -%}
        {%- set digests = staging_relation('base_product__events_day_digests') -%}
        {%- set restage = staging_relation('stg_product__events_restage') -%}
        {%- do hooks.append('drop table if exists ' ~ built) -%}
        {%- do hooks.append('create table ' ~ built ~ ' as select * from ' ~ state) -%}
        {%- if staging_restage_mode() == 'incremental' and staging_existing_relation(digests.identifier) is not none -%}
            {%- set days -%}
                fact_day in (
                    select old_day from {{ restage }} where old_day is not null
                    union
                    select {{ health_incremental_earliest_day(['event_date']) }}
                    from {{ this }}
                    where event_id in {{ staging_restage_keys() }}
                )
            {%- endset -%}
            {%- do hooks.append('delete from ' ~ digests ~ ' where ' ~ days) -%}
            {%- do hooks.append('insert into ' ~ digests ~ ' ' ~ staging_event_day_digests(this, days)) -%}
        {%- else -%}
            {%- do hooks.append('drop table if exists ' ~ digests) -%}
            {%- do hooks.append('create table ' ~ digests ~ ' as ' ~ staging_event_day_digests(this)) -%}
        {%- endif -%}
    {%- endif -%}
    {{- hooks | join(';\n') -}}
{%- endmacro %}

{#-
    health_staging_test_conditions(relation): the extra `where` conditions
    (a list of SQL strings) get_where_subquery adds to a generic data test on
    a staging relation. On an incremental staging plan, a test on
    base_product__events or stg_product__events checks only the rows of the
    keys this build restaged: every other row is the row an earlier build
    wrote and tested, from the same raw rows and verdict inputs (else its key
    would have been touched), and whole keys are restaged, so a key-level
    test (unique, row_id) on the restaged keys cannot meet an untouched row
    of the same key. var incremental_test_all_days true tests every row.
-#}
{% macro health_staging_test_conditions(relation) -%}
    {%- if execute is sameas true
        and relation.identifier in ['base_product__events', 'stg_product__events']
        and not var('incremental_test_all_days', false)
        and staging_restage_mode() == 'incremental' -%}
        {%- do return(['event_id in ' ~ staging_restage_keys()]) -%}
    {%- endif -%}
    {%- do return([]) -%}
{%- endmacro %}

{#-
    health_staging_test_restaged_only(model): true when `model` (the relation
    a generic test reads, as get_where_subquery wrapped it) holds only the rows
    of the keys this build restaged (health_staging_test_conditions applied).
    A sampled test (unique_key_sample) then checks every one of those rows:
    they are the only rows an earlier build has not tested, they are few, and
    the sample's hash of every stored key (a scan of all of them) is not paid.
-#}
{% macro health_staging_test_restaged_only(model) -%}
    {%- do return(execute is sameas true and (staging_restage_keys() | trim) in (model | string)) -%}
{%- endmacro %}

{#- for singular tests: `and <column> in (touched keys)` on an incremental
    staging plan, else nothing -#}
{% macro staging_restaged_filter(column) -%}
    {%- if execute is sameas true and not var('incremental_test_all_days', false)
        and staging_restage_mode() == 'incremental' -%}
        and {{ column }} in {{ staging_restage_keys() }}
    {%- endif -%}
{%- endmacro %}
