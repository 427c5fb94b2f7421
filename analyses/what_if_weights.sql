{#-
    What if we used the candidate weights? Scores every current account (the
    customers on as_of_date) under the live weights and under a candidate
    weights file side by side, with the band each would give and whether the
    account would change band. Both scores are the weighted mean of the
    observed subscores (weights renormalised over the components with data,
    SPEC §4.3), before caps and overrides; the published score (with them)
    is shown for reference.
    The candidate comes from `calibrate` (output/health_weights.candidate.csv):
      dbt compile -s what_if_weights --vars '{what_if_weights_file: output/health_weights.candidate.csv}'
    On DuckDB the CSV is read directly; elsewhere load it as a table and pass
    --vars '{what_if_weights_relation: my_schema.candidate_weights}'.
-#}
{%- set weights_relation = var('what_if_weights_relation', none) -%}
{%- set weights_file = var('what_if_weights_file', 'output/health_weights.candidate.csv') -%}

with

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

data_bounds as (
    select * from {{ ref('stg_data_bounds') }}
),

live_weights as (
    select * from {{ ref('stg_config__health_weights') }}
),

bands as (
    select * from {{ ref('dim_health_bands') }}
),

candidate_weights as (
    {% if weights_relation -%}
        select
            profile,
            component,
            cast(weight as {{ type_double() }}) as weight
        from {{ weights_relation }}
    {%- else -%}
        select
            profile,
            component,
            cast(weight as {{ type_double() }}) as weight
        from {{ backtest_weights_file(weights_file) }}
    {%- endif %}
),

current_accounts as (
    select health_daily.*
    from health_daily
    inner join data_bounds
        on health_daily.date_day = data_bounds.as_of_date
),

component_values as (
    {% for component in (scoring_components(wide=true) | trim).split(',') %}
        select
            account_id,
            profile,
            '{{ component }}' as component,
            {{ component }}_subscore as subscore
        from current_accounts
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

weighted as (
    select
        component_values.account_id,
        sum(case when component_values.subscore is not null then live_weights.weight * component_values.subscore end)
        / nullif(sum(case when component_values.subscore is not null then live_weights.weight end), 0)
        * 100 as live_score,
        sum(
            case
                when component_values.subscore is not null
                    then candidate_weights.weight * component_values.subscore
            end
        )
        / nullif(sum(case when component_values.subscore is not null then candidate_weights.weight end), 0)
        * 100 as candidate_score
    from component_values
    left join live_weights
        on {{ same_keys('component_values', 'live_weights', ['profile', 'component']) }}
    left join candidate_weights
        on {{ same_keys('component_values', 'candidate_weights', ['profile', 'component']) }}
    group by component_values.account_id
),

final as (
    select
        current_accounts.account_id,
        current_accounts.segment,
        current_accounts.profile,
        current_accounts.arr,
        current_accounts.health_score as published_score,
        current_accounts.cap_rule,
        round(weighted.live_score, 2) as live_score,
        live_band.band as live_band,
        round(weighted.candidate_score, 2) as candidate_score,
        candidate_band.band as candidate_band,
        round(weighted.candidate_score - weighted.live_score, 2) as score_change,
        coalesce(live_band.band <> candidate_band.band, false) as changes_band
    from current_accounts
    inner join weighted
        on current_accounts.account_id = weighted.account_id
    left join bands as live_band
        on {{ band_contains('live_band', 'weighted.live_score') }}
    left join bands as candidate_band
        on {{ band_contains('candidate_band', 'weighted.candidate_score') }}
)

select * from final
order by changes_band desc, abs(score_change) desc, account_id
