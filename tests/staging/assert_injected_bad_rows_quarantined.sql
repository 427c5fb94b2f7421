-- depends_on: {{ ref('stg_quarantine') }}
-- Business rule (SPEC §1 "Bad input"): every bad row is quarantined with the
-- right machine-readable reason, and no good row is lost. Checked against the
-- generator's audit table raw_audit.injected_bad_rows (source_table,
-- record_key, reason), which exists only for generated sample data: without
-- it this test selects nothing. Returns
--   * each injected row missing from stg_quarantine with that reason, and
--   * each table whose quarantine holds more rows than were injected (a
--     good row was rejected).
-- Injected rows whose key is the problem have a null record_key: those are
-- matched by count per (table, reason).
{%- set audit = none %}
{%- if execute is defined and execute %}
{%- set audit = adapter.get_relation(
    database=var('raw_database') or target.database,
    schema='raw_audit',
    identifier='injected_bad_rows',
) %}
{%- endif %}
{%- if audit is none %}
select
    cast(null as {{ dbt.type_string() }}) as source_table,
    cast(null as {{ dbt.type_string() }}) as record_key,
    cast(null as {{ dbt.type_string() }}) as reason,
    cast(null as {{ dbt.type_string() }}) as problem
where 1 = 0
{%- else %}
with

injected as (
    select
        source_table,
        record_key,
        reason
    from {{ audit }}
),

quarantine as (
    select
        source_table,
        record_key,
        reason
    from {{ ref('stg_quarantine') }}
),

keyed_missing as (
    select
        injected.source_table,
        injected.record_key,
        injected.reason,
        'injected bad row not quarantined with this reason' as problem
    from injected
    where
        injected.record_key is not null
        and not exists (
            select 1
            from quarantine
            where
                quarantine.source_table = injected.source_table
                and quarantine.record_key = injected.record_key
                and quarantine.reason = injected.reason
        )
),

injected_counts as (
    select
        source_table,
        reason,
        count(*) as n_injected
    from injected
    group by source_table, reason
),

quarantine_counts as (
    select
        source_table,
        reason,
        count(*) as n_quarantined
    from quarantine
    group by source_table, reason
),

count_mismatch as (
    select
        coalesce(injected_counts.source_table, quarantine_counts.source_table) as source_table,
        cast(null as {{ dbt.type_string() }}) as record_key,
        coalesce(injected_counts.reason, quarantine_counts.reason) as reason,
        {{ dbt.concat([
            "'injected '",
            "cast(coalesce(injected_counts.n_injected, 0) as " ~ dbt.type_string() ~ ")",
            "' rows, quarantined '",
            "cast(coalesce(quarantine_counts.n_quarantined, 0) as " ~ dbt.type_string() ~ ")",
        ]) }} as problem
    from injected_counts
    full outer join quarantine_counts
        on {{ same_keys('injected_counts', 'quarantine_counts', ['source_table', 'reason']) }}
    where coalesce(injected_counts.n_injected, 0) != coalesce(quarantine_counts.n_quarantined, 0)
)

select * from keyed_missing
union all
select * from count_mismatch
{%- endif %}
