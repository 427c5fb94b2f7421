{#-
    Band transition matrix, month over month: for every account that was a
    customer at one month end, its band then against its band at the next
    month end ('not_a_customer' when it no longer was). Counts and row
    shares, over all month pairs. A stable score keeps most accounts on the
    diagonal; churn should come mostly out of the lowest band.
    Run: dbt compile -s band_transition_matrix, then run the compiled SQL.
-#}
with

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

scored_days as (
    select distinct date_day
    from health_daily
),

month_ends as (
    -- the last scored day of each month (the last month may be partial)
    select
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as snapshot_month,
        max(date_day) as snapshot_date
    from scored_days
    group by cast({{ dbt.date_trunc('month', 'date_day') }} as date)
),

month_pairs as (
    select
        snapshot_month,
        snapshot_date,
        lead(snapshot_date) over (order by snapshot_month) as next_snapshot_date
    from month_ends
),

transitions as (
    select
        month_pairs.snapshot_month,
        from_day.account_id,
        from_day.band as from_band,
        from_day.band_rank as from_band_rank,
        coalesce(to_day.band, 'not_a_customer') as to_band,
        to_day.band_rank as to_band_rank
    from month_pairs
    inner join health_daily as from_day
        on month_pairs.snapshot_date = from_day.date_day
    left join health_daily as to_day
        on
            from_day.account_id = to_day.account_id
            and month_pairs.next_snapshot_date = to_day.date_day
    where month_pairs.next_snapshot_date is not null
),

counted as (
    select
        from_band,
        from_band_rank,
        to_band,
        to_band_rank,
        count(*) as transitions
    from transitions
    group by from_band, from_band_rank, to_band, to_band_rank
),

final as (
    select
        from_band,
        from_band_rank,
        to_band,
        to_band_rank,
        transitions,
        cast(transitions as {{ type_double() }})
        / sum(transitions) over (partition by from_band) as share_of_from_band,
        case
            when to_band_rank is null then 'left'
            when to_band_rank > from_band_rank then 'up'
            when to_band_rank < from_band_rank then 'down'
            else 'same'
        end as direction
    from counted
)

select * from final
order by from_band_rank, coalesce(to_band_rank, 0)
