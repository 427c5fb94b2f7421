-- Support tickets with their quarantine verdict (see base_crm__accounts).
-- Only created_at is checked against the end of the data; response and
-- resolution times may be loaded a little fresher than product events.
{% set checks = [
    (
        'unknown_account',
        'accounts.account_id is null',
        dbt.concat(["'account_id '", quarantine_text('typed.account_id'), "' is not a clean account'"]),
    ),
    (
        'unparseable_value',
        unparseable_condition(
            ['created_at', 'first_response_at', 'resolved_at', 'severity', 'reopen_count', 'is_escalated', 'is_bug'],
            required=['created_at', 'severity'],
        ),
        unparseable_detail(
            ['created_at', 'first_response_at', 'resolved_at', 'severity', 'reopen_count', 'is_escalated', 'is_bug'],
            required=['created_at', 'severity'],
        ),
    ),
    (
        'out_of_range_value',
        'severity < 1 or severity > 4',
        dbt.concat(["'severity '", quarantine_text('severity__raw'), "' is not between 1 and 4'"]),
    ),
    (
        'out_of_range_value',
        'reopen_count < 0',
        dbt.concat(["'reopen_count '", quarantine_text('reopen_count__raw'), "' is negative'"]),
    ),
    (
        'end_before_start',
        'resolved_at < created_at',
        dbt.concat([
            "'resolved_at '", quarantine_text('resolved_at__raw'), "' is before created_at '",
            quarantine_text('created_at__raw'),
        ]),
    ),
    (
        'end_before_start',
        'first_response_at < created_at',
        dbt.concat([
            "'first_response_at '", quarantine_text('first_response_at__raw'), "' is before created_at '",
            quarantine_text('created_at__raw'),
        ]),
    ),
    (
        'future_timestamp',
        'cast(created_at as date) > bounds.data_end_date',
        dbt.concat(["'created_at '", quarantine_text('created_at__raw'), "' is after the last day of data'"]),
    ),
] -%}

with

raw_source as (
    {{ staging_raw_source('support', 'support_tickets', [
        'ticket_id', 'account_id', 'created_at', 'first_response_at', 'resolved_at', 'severity', 'status',
        'reopen_count', 'is_escalated', 'is_bug',
    ], enabled=var('enable_support_tickets')) }}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

cleaned as (
    select
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('created_at') }} as created_at__raw,
        {{ clean_text('first_response_at') }} as first_response_at__raw,
        {{ clean_text('resolved_at') }} as resolved_at__raw,
        {{ clean_text('severity') }} as severity__raw,
        lower({{ clean_text('status') }}) as status,
        {{ clean_text('reopen_count') }} as reopen_count__raw,
        lower({{ clean_text('is_escalated') }}) as is_escalated__raw,
        lower({{ clean_text('is_bug') }}) as is_bug__raw
    from raw_source
),

typed as (
    select
        *,
        {{ try_cast('created_at__raw', dbt.type_timestamp()) }} as created_at,
        {{ try_cast('first_response_at__raw', dbt.type_timestamp()) }} as first_response_at,
        {{ try_cast('resolved_at__raw', dbt.type_timestamp()) }} as resolved_at,
        {{ try_cast('severity__raw', dbt.type_int()) }} as severity,
        {{ try_cast('reopen_count__raw', dbt.type_int()) }} as reopen_count,
        {{ try_cast('is_escalated__raw', dbt.type_boolean()) }} as is_escalated,
        {{ try_cast('is_bug__raw', dbt.type_boolean()) }} as is_bug
    from cleaned
),

checked as (
    select
        typed.*,
        {{ quarantine_reason_case(checks) }} as row_reason,
        {{ quarantine_detail_case(checks) }} as row_detail
    from typed
    left join accounts
        on typed.account_id = accounts.account_id
    cross join bounds
),

numbered as (
    {{ number_key_copies('checked', 'ticket_id', [
        'account_id',
        'created_at__raw',
        'first_response_at__raw',
        'resolved_at__raw',
        'severity__raw',
        'status',
        'reopen_count__raw',
        'is_escalated__raw',
        'is_bug__raw',
    ]) }}
),

final as (
    select
        ticket_id,
        account_id,
        created_at,
        first_response_at,
        resolved_at,
        severity,
        status,
        reopen_count,
        is_escalated,
        is_bug,
        ticket_id as record_key,
        account_id as quarantine_account_id,
        {{ key_quarantine_reason(['ticket_id', 'account_id'], 'key_copy_number', 'row_reason') }}
            as quarantine_reason,
        {{ key_quarantine_detail(['ticket_id', 'account_id'], 'key_copy_number', 'row_detail') }}
            as quarantine_detail
    from numbered
)

select * from final
