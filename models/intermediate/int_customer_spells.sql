-- One row per customer spell: a run of consecutive customer days. A spell
-- ends on its first non-customer day (spell_end_date; null while the account
-- is still a customer at as_of_date). It is a churn only when no new
-- subscription starts within resubscribe_grace_days of that day and the whole
-- grace period lies inside the data (spell_end_date + grace <= as_of_date);
-- before that the ending is not (yet) a churn.
{%- set grace_days = var('resubscribe_grace_days') | int %}
with

spine as (
    select * from {{ ref('int_account_spine') }}
),

bounds as (
    select * from {{ ref('stg_data_bounds') }}
),

flagged as (
    select
        account_id,
        date_day,
        is_customer,
        mrr,
        case
            when
                is_customer
                and not coalesce(lag(is_customer) over (partition by account_id order by date_day), false)
                then 1
            else 0
        end as is_spell_start
    from spine
),

numbered as (
    select
        *,
        {{ metrics_rolling('sum', 'is_spell_start') }} as spell_number
    from flagged
),

spell_ranges as (
    select
        account_id,
        spell_number,
        min(date_day) as spell_start_date,
        max(date_day) as last_customer_date
    from numbered
    where is_customer
    group by account_id, spell_number
),

spells as (
    select
        spell_ranges.account_id,
        spell_ranges.spell_number,
        spell_ranges.spell_start_date,
        case
            when spell_ranges.last_customer_date < bounds.as_of_date
                then {{ metrics_add_days('spell_ranges.last_customer_date', 1) }}
        end as spell_end_date,
        lead(spell_ranges.spell_start_date) over (
            partition by spell_ranges.account_id order by spell_ranges.spell_number
        ) as next_spell_start_date,
        numbered.mrr as mrr_at_end,
        bounds.as_of_date
    from spell_ranges
    cross join bounds
    inner join numbered
        on {{ same_account_day('spell_ranges', 'numbered', 'last_customer_date', 'date_day') }}
),

classified as (
    select
        *,
        coalesce(
            spell_end_date is not null
            and (
                next_spell_start_date is null
                or next_spell_start_date > {{ metrics_add_days('spell_end_date', grace_days) }}
            )
            and {{ metrics_add_days('spell_end_date', grace_days) }} <= as_of_date,
            false
        ) as is_churned
    from spells
),

final as (
    select
        account_id,
        cast(spell_number as {{ dbt.type_int() }}) as spell_number,
        spell_start_date,
        spell_end_date,
        is_churned,
        case when is_churned then spell_end_date end as churn_date,
        mrr_at_end
    from classified
)

select * from final
