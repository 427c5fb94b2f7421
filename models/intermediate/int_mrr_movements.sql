-- One row per account per day on which its MRR or customer status changed,
-- comparing the day with the day before (a non-customer day has MRR 0).
-- movement_type: new (first customer day ever), reactivation (first day of a
-- later spell), churn (first non-customer day after a spell; whether it was
-- final is int_customer_spells.is_churned), expansion / downgrade (MRR up /
-- down between two customer days). Status changes are listed even when the
-- MRR is 0 on both sides.
with

spine as (
    select * from {{ ref('int_account_spine') }}
),

with_previous as (
    select
        account_id,
        date_day,
        is_customer,
        mrr,
        coalesce(lag(is_customer) over (partition by account_id order by date_day), false) as was_customer,
        lag(mrr) over (partition by account_id order by date_day) as previous_mrr
    from spine
),

with_spell_starts as (
    select
        *,
        {{ metrics_rolling('sum', 'case when is_customer and not was_customer then 1 else 0 end') }} as spells_started
    from with_previous
),

classified as (
    select
        account_id,
        date_day,
        case when was_customer then coalesce(previous_mrr, 0) else 0 end as mrr_before,
        case when is_customer then coalesce(mrr, 0) else 0 end as mrr_after,
        case
            when is_customer and not was_customer and spells_started = 1 then 'new'
            when is_customer and not was_customer then 'reactivation'
            when was_customer and not is_customer then 'churn'
            when is_customer and was_customer and mrr > previous_mrr then 'expansion'
            when is_customer and was_customer and mrr < previous_mrr then 'downgrade'
        end as movement_type
    from with_spell_starts
),

final as (
    select
        account_id,
        date_day,
        cast(mrr_before as {{ type_double() }}) as mrr_before,
        cast(mrr_after as {{ type_double() }}) as mrr_after,
        cast(mrr_after - mrr_before as {{ type_double() }}) as mrr_change,
        movement_type
    from classified
    where movement_type is not null
)

select * from final
