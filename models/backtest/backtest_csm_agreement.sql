{#-
    The model's band against the CSM's gut (SPEC §6): a confusion matrix of
    band x the latest CSM pulse recorded in the week ending on the
    observation date. The lowest band reads as red, the highest as green,
    any band in between as yellow. Each cell also shows how often its
    accounts churned, so disagreements can be settled by outcomes.
-#}
with

observations as (
    select * from {{ ref('backtest_observations') }}
),

bands as (
    select * from {{ ref('dim_health_bands') }}
),

band_limits as (
    select
        min(band_rank) as lowest_rank,
        max(band_rank) as highest_rank
    from bands
),

pulses as (
    select
        'red' as csm_pulse,
        1 as pulse_rank
    union all
    select
        'yellow' as csm_pulse,
        2 as pulse_rank
    union all
    select
        'green' as csm_pulse,
        3 as pulse_rank
),

grid as (
    select
        bands.band,
        bands.band_rank,
        case
            when bands.band_rank = band_limits.lowest_rank then 'red'
            when bands.band_rank = band_limits.highest_rank then 'green'
            else 'yellow'
        end as band_as_pulse,
        pulses.csm_pulse,
        pulses.pulse_rank
    from bands
    cross join band_limits
    cross join pulses
),

pulsed as (
    select
        band_rank,
        csm_pulse,
        count(*) as observations,
        {{ count_where('is_churned') }} as churned
    from observations
    where csm_pulse is not null
    group by band_rank, csm_pulse
),

totals as (
    select sum(observations) as pulsed_observations
    from pulsed
),

final as (
    select
        {{ dbt.concat(['grid.band', "'|'", 'grid.csm_pulse']) }} as agreement_id,
        grid.band,
        grid.band_rank,
        grid.band_as_pulse,
        grid.csm_pulse,
        cast(grid.pulse_rank as {{ dbt.type_int() }}) as pulse_rank,
        grid.band_as_pulse = grid.csm_pulse as is_agreement,
        cast(coalesce(pulsed.observations, 0) as {{ dbt.type_bigint() }}) as observations,
        {{ health_rate('coalesce(pulsed.observations, 0)', 'totals.pulsed_observations') }}
            as share_of_pulsed_observations,
        cast(coalesce(pulsed.churned, 0) as {{ dbt.type_bigint() }}) as churned,
        {{ health_rate('pulsed.churned', 'pulsed.observations') }}
            as churn_rate
    from grid
    left join pulsed
        on {{ same_keys('grid', 'pulsed', ['band_rank', 'csm_pulse']) }}
    cross join totals
)

select * from final
