{#-
    One row: does the score separate? (SPEC §6). AUC and KS of the health
    score for churn, churn rate of the lowest and highest band with
    observations and their ratio, whether churn falls band by band, CSM pulse
    agreement, and the observation counts every figure rests on.
    Significance: a 95 % interval of the AUC from the Hanley-McNeil standard
    error, counting distinct accounts (churned / retained) rather than
    observations, because an account observed on many dates is not that
    many independent cases. The score separates (`has_signal`) only when
    the interval lies above 0.5 and churn falls band by band.
-#}
{%- set double = type_double() -%}

with

observations as (
    select * from {{ ref('backtest_observations') }}
),

observation_dates as (
    select * from {{ ref('backtest_observation_dates') }}
),

band_separation as (
    select * from {{ ref('backtest_band_separation') }}
),

csm_agreement as (
    select * from {{ ref('backtest_csm_agreement') }}
),

score_auc as (
    {{ rank_auc('observations', 'health_score', 'is_churned', lower_score_is_positive=true) }}
),

score_ks as (
    {{ ks_statistic('observations', 'health_score', 'is_churned') }}
),

totals as (
    select
        count(*) as observations,
        count(distinct account_id) as accounts,
        count(distinct observation_date) as observation_dates,
        min(observation_date) as first_observation_date,
        max(observation_date) as last_observation_date,
        {{ count_where('is_churned') }} as churned,
        {{ count_where('is_downgraded') }} as downgraded,
        {{ count_where('is_expanded') }} as expanded,
        sum({{ scoring_fixed('arr_churned') }}) as arr_churned,
        count(distinct config_version) as config_versions,
        max(config_version) as config_version
    from observations
),

grid as (
    select
        max(label_end_date) as label_end_date,
        sum(case when is_labelled then 0 else customers end) as censored_observations,
        sum(case when is_labelled then 0 else 1 end) as censored_observation_dates
    from observation_dates
),

overall_bands as (
    select
        band,
        band_rank,
        churn_rate,
        lag(churn_rate) over (order by band_rank) as previous_band_churn_rate,
        row_number() over (order by band_rank) as rank_from_lowest,
        row_number() over (order by band_rank desc) as rank_from_highest
    from band_separation
    where slice_type = 'overall' and observations > 0
),

band_extremes as (
    select
        max(case when rank_from_lowest = 1 then band end) as lowest_band,
        max(case when rank_from_lowest = 1 then churn_rate end) as lowest_band_churn_rate,
        max(case when rank_from_highest = 1 then band end) as highest_band,
        max(case when rank_from_highest = 1 then churn_rate end) as highest_band_churn_rate,
        count(*) as bands_with_observations,
        {{ count_where('churn_rate > previous_band_churn_rate') }} as monotonicity_breaks
    from overall_bands
),

account_counts as (
    select
        count(distinct case when is_churned then account_id end) as churned_accounts,
        count(distinct case when not is_churned then account_id end) as retained_accounts
    from observations
),

auc_parts as (
    select
        score_auc.auc,
        score_auc.auc / (2 - score_auc.auc) as q1,
        2 * score_auc.auc * score_auc.auc / (1 + score_auc.auc) as q2,
        cast(account_counts.churned_accounts as {{ double }}) as n1,
        cast(account_counts.retained_accounts as {{ double }}) as n2,
        account_counts.churned_accounts
    from score_auc
    cross join account_counts
),

auc_error as (
    select
        auc,
        churned_accounts,
        case
            when n1 > 0 and n2 > 0
                then sqrt(
                        (auc * (1 - auc) + (n1 - 1) * (q1 - auc * auc) + (n2 - 1) * (q2 - auc * auc)) / (n1 * n2)
                    )
        end as auc_se
    from auc_parts
),

agreement as (
    select
        sum(observations) as pulsed_observations,
        sum(case when is_agreement then observations else 0 end) as agreeing_observations
    from csm_agreement
),

final as (
    select
        cast(totals.observations as {{ dbt.type_bigint() }}) as observations,
        cast(totals.accounts as {{ dbt.type_bigint() }}) as accounts,
        cast(totals.observation_dates as {{ dbt.type_bigint() }}) as observation_dates,
        totals.first_observation_date,
        totals.last_observation_date,
        grid.label_end_date,
        cast({{ var('backtest_interval_days') | int }} as {{ dbt.type_int() }}) as interval_days,
        cast({{ var('backtest_horizon_days') | int }} as {{ dbt.type_int() }}) as horizon_days,
        cast({{ var('resubscribe_grace_days') | int }} as {{ dbt.type_int() }}) as grace_days,
        cast(coalesce(grid.censored_observation_dates, 0) as {{ dbt.type_bigint() }}) as censored_observation_dates,
        cast(coalesce(grid.censored_observations, 0) as {{ dbt.type_bigint() }}) as censored_observations,
        cast(coalesce(totals.churned, 0) as {{ dbt.type_bigint() }}) as churned,
        cast(coalesce(totals.downgraded, 0) as {{ dbt.type_bigint() }}) as downgraded,
        cast(coalesce(totals.expanded, 0) as {{ dbt.type_bigint() }}) as expanded,
        {{ health_rate('totals.churned', 'totals.observations') }}
            as base_churn_rate,
        {{ health_rate('totals.downgraded', 'totals.observations') }}
            as base_downgrade_rate,
        {{ health_rate('totals.expanded', 'totals.observations') }}
            as base_expansion_rate,
        cast(coalesce(totals.arr_churned, 0) as {{ double }}) as arr_churned,
        score_auc.auc as auc_churn,
        auc_error.auc - 1.96 * auc_error.auc_se as auc_churn_ci_low,
        auc_error.auc + 1.96 * auc_error.auc_se as auc_churn_ci_high,
        cast(coalesce(auc_error.churned_accounts, 0) as {{ dbt.type_bigint() }}) as churned_accounts,
        coalesce(auc_error.auc - 1.96 * auc_error.auc_se > 0.5, false) as is_separation_significant,
        coalesce(
            auc_error.auc - 1.96 * auc_error.auc_se > 0.5
            and band_extremes.bands_with_observations >= 2
            and band_extremes.monotonicity_breaks = 0,
            false
        ) as has_signal,
        cast(
            case
                when coalesce(auc_error.churned_accounts, 0) < 10 then 'too_few_churned'
                when not coalesce(auc_error.auc - 1.96 * auc_error.auc_se > 0.5, false) then 'no_significant_separation'
                when not coalesce(
                        band_extremes.bands_with_observations >= 2 and band_extremes.monotonicity_breaks = 0, false
                    ) then 'not_monotonic'
                else 'separates'
            end as {{ dbt.type_string() }}
        ) as signal_verdict,
        score_ks.ks as ks_churn,
        band_extremes.lowest_band,
        band_extremes.lowest_band_churn_rate,
        band_extremes.highest_band,
        band_extremes.highest_band_churn_rate,
        case
            when band_extremes.highest_band_churn_rate > 0
                then band_extremes.lowest_band_churn_rate / band_extremes.highest_band_churn_rate
        end as churn_rate_ratio_lowest_vs_highest,
        cast(coalesce(band_extremes.bands_with_observations, 0) as {{ dbt.type_int() }}) as bands_with_observations,
        coalesce(band_extremes.bands_with_observations >= 2 and band_extremes.monotonicity_breaks = 0, false)
            as is_churn_monotonic,
        cast(coalesce(agreement.pulsed_observations, 0) as {{ dbt.type_bigint() }}) as pulsed_observations,
        {{ health_rate('agreement.agreeing_observations', 'agreement.pulsed_observations') }} as csm_agreement_rate,
        cast(totals.config_versions as {{ dbt.type_int() }}) as config_versions,
        totals.config_version
    from totals
    cross join grid
    cross join band_extremes
    cross join agreement
    cross join score_auc
    cross join score_ks
    cross join auc_error
)

select * from final
