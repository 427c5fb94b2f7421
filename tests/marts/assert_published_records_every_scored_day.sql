-- Rule (SPEC §5 fct_account_health_published, issue 13): every score the
-- warehouse shows has been recorded as published, and the rows this run
-- published are exactly what fct_account_health_daily shows (score, band,
-- driver, config_version). Rows of earlier runs are not compared: they keep
-- what was shown then.
with

daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

published as (
    select * from {{ ref('fct_account_health_published') }}
),

never_published as (
    select
        daily.account_id,
        daily.date_day,
        'scored day missing from fct_account_health_published' as problem
    from daily
    left join published
        on {{ same_account_day('daily', 'published') }}
    where published.account_id is null
),

published_now_differs as (
    select
        published.account_id,
        published.date_day,
        'row published by this run differs from fct_account_health_daily' as problem
    from published
    inner join daily
        on {{ same_account_day('published', 'daily') }}
    where
        published.published_at = {{ published_at_timestamp() }}
        and (
            coalesce(published.health_score, -1) <> coalesce(daily.health_score, -1)
            or coalesce(published.band, '~') <> coalesce(daily.band, '~')
            or coalesce(published.primary_driver, '~') <> coalesce(daily.primary_driver, '~')
            or published.config_version <> daily.config_version
        )
),

final as (
    select * from never_published
    union all
    select * from published_now_differs
)

select * from final
