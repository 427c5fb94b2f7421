{#-
    The daily health score: one row per account x customer day up to
    as_of_date (SPEC §5). Scores come from int_health_scores_wide (the
    columns of int_health_scores_capped, read from the table itself); this
    model adds the band (health_bands: min inclusive, max exclusive, the top
    band's max inclusive), its history (previous band, days in band), the
    7/28-day score changes, the subscores and the primary driver.
    - previous_band: band on the account's previous scored day;
    - days_in_band: scored days in the current uninterrupted run of the band
      (1 on the day the band was entered);
    - score_change_Nd: health_score minus the score N days earlier, null when
      the account was not scored then.
    Incremental like int_health_scores_wide (macros/incremental): an
    incremental run recomputes the days from `start` on and continues the
    band history from the account's last stored day before it (`carried`:
    its band and days_in_band), so the rows equal a full refresh.
-#}
{{ health_incremental_config() }}
{%- set start = health_incremental_from(ref('int_build_plan')) | trim %}
{#- the wide subscore columns: components with wide_column in seeds/health_components.csv -#}
{%- set components = (scoring_components(wide=true) | trim).split(',') | map('trim') | list -%}
{#- every component may be the primary driver; the last name wins a tie, as max(component) did -#}
{%- set driver_components = (scoring_components() | trim).split(',') | map('trim') | sort(reverse=true) | list -%}
with
{{ health_imports({
    'account_days': 'int_account_days',
    'wide_scores': 'int_health_scores_wide',
    'bands': 'dim_health_bands',
    'config_version': 'int_config_version',
}, incremental=['account_days', 'wide_scores'], day_filter=health_incremental_filter('date_day', start)) }}

past_scores as (
    -- the scores the 7 / 28-day changes look back to: from 28 days before
    -- start (one narrow read of the table, not of the view)
    select
        account_id,
        date_day,
        health_score
    from {{ ref('int_health_scores_wide') }}
    where 1 = 1 {{ health_incremental_filter('date_day', health_incremental_shift(start, -28)) }}
),

subscores as (
    -- the component columns of the wide scores (one row per account-day),
    -- as the rows of int_component_subscores_weighted (a component outside
    -- the profile has no row there: no subscore, never the driver) would
    -- give them, without unpivoting and grouping again; and the score
    -- columns of int_health_scores_capped (a view over the same table)
    select
        account_id,
        date_day,
        profile,
        coverage,
        health_score_uncapped,
        cap_rule,
        override_reason,
        health_score,
        {%- for component in components %}
            case when {{ component }}__in_profile then {{ component }}__subscore end as {{ component }}_subscore,
        {%- endfor %}
        case
            {%- for component in driver_components %}
                when
                    {{ component }}__in_profile
                    and {{ component }}__driver_rank = 1
                    and {{ component }}__points_lost > 0
                    then '{{ component }}'
            {%- endfor %}
        end as primary_driver
    from wide_scores
),

scored as (
    select
        account_days.account_id,
        account_days.date_day,
        account_days.segment,
        account_days.is_onboarding,
        subscores.profile,
        cast(account_days.mrr as {{ type_double() }}) as mrr,
        {%- for component in components %}
            subscores.{{ component }}_subscore,
        {%- endfor %}
        subscores.coverage,
        subscores.health_score_uncapped,
        subscores.cap_rule,
        subscores.override_reason,
        subscores.health_score,
        subscores.primary_driver
    from account_days
    inner join subscores
        on {{ same_account_day('account_days', 'subscores') }}
),

banded as (
    select
        scored.*,
        bands.band,
        bands.band_rank
    from scored
    left join bands
        on {{ band_contains('bands', 'scored.health_score') }}
),

carried as (
    -- incremental runs: the last stored day before `start` of each account
    {%- if start not in ['none', 'all'] %}
    {{ health_last_stored_before(start, ['account_id', 'date_day', 'band', 'days_in_band']) }}
    {%- else %}
    -- noqa: disable=LT02
    select
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as date) as date_day,
        cast(null as {{ dbt.type_string() }}) as band,
        cast(null as {{ dbt.type_int() }}) as days_in_band
    where 1 = 0
    -- noqa: enable=LT02
    {%- endif %}
),

band_history as (
    select
        account_id,
        date_day,
        band,
        false as is_carried,
        0 as carried_days
    from banded
    union all
    select
        account_id,
        date_day,
        band,
        true as is_carried,
        days_in_band - 1 as carried_days
    from carried
),

with_previous as (
    select
        *,
        lag(band) over (partition by account_id order by date_day) as previous_band
    from band_history
),

band_runs as (
    select
        *,
        sum(
            case when previous_band is null or previous_band <> band then 1 else 0 end
        ) over (
            partition by account_id
            order by date_day
            rows between unbounded preceding and current row
        ) as band_run_number
    from with_previous
),

with_run_days as (
    select
        account_id,
        date_day,
        is_carried,
        previous_band,
        row_number() over (
            partition by account_id, band_run_number
            order by date_day
        ) + max(carried_days) over (partition by account_id, band_run_number) as days_in_band
    from band_runs
),

with_days_in_band as (
    select
        banded.*,
        with_run_days.previous_band,
        with_run_days.days_in_band
    from banded
    inner join with_run_days
        on
            banded.account_id = with_run_days.account_id
            and banded.date_day = with_run_days.date_day
            and not with_run_days.is_carried
),

with_changes as (
    select
        with_days_in_band.*,
        {{ health_round("with_days_in_band.health_score - score_7d_ago.health_score", 2) }} as score_change_7d,
        {{ health_round("with_days_in_band.health_score - score_28d_ago.health_score", 2) }} as score_change_28d
    from with_days_in_band
    left join past_scores as score_7d_ago
        on
            with_days_in_band.account_id = score_7d_ago.account_id
            and cast({{ dbt.dateadd('day', -7, 'with_days_in_band.date_day') }} as date) = score_7d_ago.date_day
    left join past_scores as score_28d_ago
        on
            with_days_in_band.account_id = score_28d_ago.account_id
            and cast({{ dbt.dateadd('day', -28, 'with_days_in_band.date_day') }} as date) = score_28d_ago.date_day
),

published as (
    select
        with_changes.account_id,
        with_changes.date_day,
        with_changes.segment,
        with_changes.profile,
        {{ health_round("with_changes.mrr", 2) }} as mrr,
        12 * {{ health_round("with_changes.mrr", 2) }} as arr,
        {%- for component in components %}
            cast(with_changes.{{ component }}_subscore as {{ type_double() }}) as {{ component }}_subscore,
        {%- endfor %}
        with_changes.coverage,
        with_changes.health_score_uncapped,
        with_changes.cap_rule,
        with_changes.override_reason,
        with_changes.health_score,
        with_changes.band,
        with_changes.band_rank,
        with_changes.previous_band,
        with_changes.days_in_band,
        with_changes.score_change_7d,
        with_changes.score_change_28d,
        with_changes.primary_driver,
        with_changes.is_onboarding,
        config_version.config_version
    from with_changes
    cross join config_version
),

final as (
    select
        {{ contract_columns() }}
    from published
)

select * from final
