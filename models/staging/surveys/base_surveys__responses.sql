-- Survey sends and answers with their quarantine verdict (see
-- base_crm__accounts). Scores must fit their scale: nps 0-10, csat 1-5.
{% set survey_types = ['nps', 'csat'] %}
{% set checks = [
    (
        'unknown_account',
        'accounts.account_id is null',
        dbt.concat(["'account_id '", quarantine_text('typed.account_id'), "' is not a clean account'"]),
    ),
    (
        'unparseable_value',
        unparseable_condition(['sent_at', 'responded_at', 'score'], required=['sent_at']),
        unparseable_detail(['sent_at', 'responded_at', 'score'], required=['sent_at']),
    ),
    (
        'unknown_enum_value',
        enum_condition('survey_type', survey_types),
        enum_detail('survey_type', survey_types),
    ),
    (
        'out_of_range_value',
        "(survey_type = 'nps' and (score < 0 or score > 10)) or (survey_type = 'csat' and (score < 1 or score > 5))",
        dbt.concat([
            "'score '", quarantine_text('score__raw'), "' is outside the '", "survey_type", "' scale'",
        ]),
    ),
    (
        'end_before_start',
        'responded_at < sent_at',
        dbt.concat([
            "'responded_at '", quarantine_text('responded_at__raw'), "' is before sent_at '",
            quarantine_text('sent_at__raw'),
        ]),
    ),
    (
        'future_timestamp',
        'cast(sent_at as date) > bounds.data_end_date',
        dbt.concat(["'sent_at '", quarantine_text('sent_at__raw'), "' is after the last day of data'"]),
    ),
] -%}

with

raw_source as (
    {{ staging_raw_source('surveys', 'survey_responses', [
        'response_id', 'account_id', 'user_id', 'survey_type', 'sent_at', 'responded_at', 'score',
    ], enabled=var('enable_survey_responses')) }}
),

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

cleaned as (
    select
        {{ clean_text('response_id') }} as response_id,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('user_id') }} as user_id,
        lower({{ clean_text('survey_type') }}) as survey_type,
        {{ clean_text('sent_at') }} as sent_at__raw,
        {{ clean_text('responded_at') }} as responded_at__raw,
        {{ clean_text('score') }} as score__raw
    from raw_source
),

typed as (
    select
        *,
        {{ try_cast('sent_at__raw', dbt.type_timestamp()) }} as sent_at,
        {{ try_cast('responded_at__raw', dbt.type_timestamp()) }} as responded_at,
        {{ try_cast('score__raw', type_double()) }} as score
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
    {{ number_key_copies('checked', 'response_id', [
        'account_id',
        'user_id',
        'survey_type',
        'sent_at__raw',
        'responded_at__raw',
        'score__raw',
    ]) }}
),

final as (
    select
        response_id,
        account_id,
        user_id,
        survey_type,
        sent_at,
        responded_at,
        score,
        response_id as record_key,
        account_id as quarantine_account_id,
        {{ key_quarantine_reason(['response_id', 'account_id'], 'key_copy_number', 'row_reason') }}
            as quarantine_reason,
        {{ key_quarantine_detail(['response_id', 'account_id'], 'key_copy_number', 'row_detail') }}
            as quarantine_detail
    from numbered
)

select * from final
