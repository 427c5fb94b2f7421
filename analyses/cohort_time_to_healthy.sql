{#-
    Do newer cohorts reach "healthy" faster? (methodology: pair the score
    with cohort analysis.) One row per cohort month (the month an account's
    first customer spell began): how many accounts, what share reached the
    top band within 30 / 60 / 90 days, and the median days it took those
    that did. A share only counts accounts followed for that many days
    (still a customer, or churned after it, on the last scored day), so a
    young cohort is not penalised for time it has not had yet. Accounts that
    were already customers when the data starts (no real start date, no
    28-day history) are left out.
    Run: dbt compile -s cohort_time_to_healthy, then run the compiled SQL
    (target/compiled/.../analyses/cohort_time_to_healthy.sql).
-#}
{%- set warmup_days = var('backtest_warmup_days', 28) | int -%}

with

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

customer_spells as (
    select * from {{ ref('int_customer_spells') }}
),

data_bounds as (
    select * from {{ ref('stg_data_bounds') }}
),

first_spells as (
    select
        customer_spells.account_id,
        customer_spells.spell_start_date,
        customer_spells.spell_end_date,
        cast({{ dbt.date_trunc('month', 'customer_spells.spell_start_date') }} as date) as cohort_month
    from customer_spells
    cross join data_bounds
    where
        customer_spells.spell_number = 1
        and customer_spells.spell_start_date
        > cast({{ dbt.dateadd('day', warmup_days, 'data_bounds.data_start_date') }} as date)
),

first_healthy as (
    select
        first_spells.account_id,
        min(health_daily.date_day) as first_healthy_date
    from first_spells
    inner join health_daily
        on
            first_spells.account_id = health_daily.account_id
            and first_spells.spell_start_date <= health_daily.date_day
            and (first_spells.spell_end_date is null or first_spells.spell_end_date > health_daily.date_day)
    where health_daily.band_rank = {{ band_rank_extreme('top') }}
    group by first_spells.account_id
),

followed as (
    select
        first_spells.account_id,
        first_spells.cohort_month,
        first_healthy.first_healthy_date,
        {{ dbt.datediff(
            'first_spells.spell_start_date',
            'first_healthy.first_healthy_date',
            'day'
        ) }} as days_to_healthy,
        {{ dbt.datediff(
            'first_spells.spell_start_date',
            'coalesce(first_spells.spell_end_date, data_bounds.as_of_date)',
            'day'
        ) }} as days_followed
    from first_spells
    cross join data_bounds
    left join first_healthy
        on first_spells.account_id = first_healthy.account_id
),

flagged as (
    select
        cohort_month,
        days_to_healthy,
        {% for days in [30, 60, 90] -%}
            case when days_followed >= {{ days }} or days_to_healthy <= {{ days }} then 1 else 0 end
                as is_followed_{{ days }}d,
            case when days_to_healthy <= {{ days }} then 1 else 0 end as is_healthy_{{ days }}d,
        {% endfor -%}
        case when days_to_healthy is not null then 1 else 0 end as is_healthy_ever
    from followed
),

final as (
    select
        cohort_month,
        count(*) as accounts,
        {% for days in [30, 60, 90] -%}
            sum(is_followed_{{ days }}d) as accounts_followed_{{ days }}d,
            cast(sum(is_healthy_{{ days }}d) as {{ type_double() }})
            / nullif(sum(is_followed_{{ days }}d), 0) as share_healthy_within_{{ days }}d,
        {% endfor -%}
        sum(is_healthy_ever) as accounts_reached_healthy,
        {{ metrics_median('days_to_healthy') }} as median_days_to_healthy
    from flagged
    group by cohort_month
)

select * from final
order by cohort_month
