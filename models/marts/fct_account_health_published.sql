{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
    on_schema_change='fail'
) }}
{#-
    What was published, append-only (SPEC §5, issue 13): one row per account x
    customer day, written by the first build that scored that day and never
    rewritten afterwards. Later builds append only the account-days not yet
    here; a seed edit, a rebuild, `dbt build --full-refresh` (full_refresh =
    false) or new data never change a row already published, so each row keeps
    the score, band, driver and config_version the team was shown, and the
    scores of churned accounts stay frozen as they were.
    published_at is the start of the dbt run that published the row.
-#}
with

daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

already_published as (
    -- the rows already published; none on the first run
    select
        account_id,
        date_day
    from {{ this if is_incremental() else 'daily' }}
    where {{ 'true' if is_incremental() else 'false' }}
),

new_rows as (
    select
        daily.account_id,
        daily.date_day,
        daily.health_score,
        daily.band,
        daily.primary_driver,
        daily.config_version
    from daily
    left join already_published
        on {{ same_account_day('daily', 'already_published') }}
    where already_published.account_id is null
),

final as (
    select
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(date_day as date) as date_day,
        cast(health_score as {{ type_double() }}) as health_score,
        cast(band as {{ dbt.type_string() }}) as band,
        cast(primary_driver as {{ dbt.type_string() }}) as primary_driver,
        cast(config_version as {{ dbt.type_string() }}) as config_version,
        {{ published_at_timestamp() }} as published_at
    from new_rows
)

select * from final
