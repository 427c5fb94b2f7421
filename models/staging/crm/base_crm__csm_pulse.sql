-- CSM pulse readings with their quarantine verdict (see base_crm__accounts).
-- Raw pulses have no id: the key is (account_id, recorded_at) and pulse_id
-- is its surrogate hash, so one account cannot have two readings at once.
{% set pulses = ['red', 'yellow', 'green'] %}
{% set checks = [
    (
        'unknown_account',
        'accounts.account_id is null',
        dbt.concat(["'account_id '", quarantine_text('keyed.account_id'), "' is not a clean account'"]),
    ),
    (
        'unparseable_value',
        unparseable_condition(['recorded_at']),
        unparseable_detail(['recorded_at']),
    ),
    (
        'unknown_enum_value',
        enum_condition('pulse', pulses),
        enum_detail('pulse', pulses),
    ),
    (
        'future_timestamp',
        'cast(recorded_at as date) > bounds.data_end_date',
        dbt.concat(["'recorded_at '", quarantine_text('recorded_at__raw'), "' is after the last day of data'"]),
    ),
] -%}

with

raw_source as (
    {{ staging_raw_source('crm', 'csm_pulse', [
        'account_id', 'recorded_at', 'pulse', 'recorded_by', 'note',
    ], enabled=var('enable_csm_pulse')) }}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

cleaned as (
    select
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('recorded_at') }} as recorded_at__raw,
        lower({{ clean_text('pulse') }}) as pulse,
        {{ clean_text('recorded_by') }} as recorded_by,
        {{ clean_text('note') }} as note
    from raw_source
),

typed as (
    select
        *,
        {{ try_cast('recorded_at__raw', dbt.type_timestamp()) }} as recorded_at
    from cleaned
),

keyed as (
    select
        typed.*,
        {{ health_surrogate_key([
            'account_id',
            'coalesce(cast(recorded_at as ' ~ dbt.type_string() ~ '), recorded_at__raw)',
        ]) }} as pulse_id
    from typed
),

checked as (
    select
        keyed.*,
        {{ quarantine_reason_case(checks) }} as row_reason,
        {{ quarantine_detail_case(checks) }} as row_detail
    from keyed
    left join accounts
        on keyed.account_id = accounts.account_id
    cross join bounds
),

numbered as (
    {{ number_key_copies('checked', 'pulse_id', ['pulse', 'recorded_by', 'note']) }}
),

final as (
    select
        pulse_id,
        account_id,
        recorded_at,
        pulse,
        recorded_by,
        note,
        case
            when account_id is not null and recorded_at__raw is not null
                then {{ dbt.concat(["account_id", "'|'", "recorded_at__raw"]) }}
        end as record_key,
        account_id as quarantine_account_id,
        {{ key_quarantine_reason(['account_id', 'recorded_at__raw'], 'key_copy_number', 'row_reason') }}
            as quarantine_reason,
        {{ key_quarantine_detail(['account_id', 'recorded_at__raw'], 'key_copy_number', 'row_detail') }}
            as quarantine_detail
    from numbered
)

select * from final
