-- Rule (SPEC §5 account_health_current): exactly one row per current
-- customer, i.e. per account that is a customer on as_of_date, and no row
-- for anyone else; every row is dated as_of_date.
with

account_days as (
    select * from {{ ref('int_account_days') }}
),

data_bounds as (
    select * from {{ ref('stg_data_bounds') }}
),

current_health as (
    select * from {{ ref('account_health_current') }}
),

current_customers as (
    select distinct account_days.account_id
    from account_days
    inner join data_bounds
        on account_days.date_day = data_bounds.as_of_date
),

rows_per_account as (
    select
        current_health.account_id,
        count(*) as row_count,
        min(current_health.as_of_date) as first_as_of_date,
        max(current_health.as_of_date) as last_as_of_date
    from current_health
    group by current_health.account_id
)

select
    coalesce(current_customers.account_id, rows_per_account.account_id) as account_id,
    current_customers.account_id is not null as is_current_customer,
    rows_per_account.row_count
from current_customers
full outer join rows_per_account
    on current_customers.account_id = rows_per_account.account_id
cross join data_bounds
where
    current_customers.account_id is null
    or rows_per_account.account_id is null
    or rows_per_account.row_count <> 1
    or rows_per_account.first_as_of_date <> data_bounds.as_of_date
    or rows_per_account.last_as_of_date <> data_bounds.as_of_date
