{#-
    Does the score beat a trivial rule? Every signal below ranks the same
    backtest observations (low value = churn risk), on all labelled dates
    and on the held-out dates of backtest_time_split:
    - health_score: the published score (caps and overrides applied);
    - health_score_uncapped: the weighted score before caps and overrides;
    - naive_core_actions_28d: the baseline, core actions (summed quantity)
      of the account in the 28 days ending on the observation date;
    - without_cap:<rule>: the uncapped score with every cap of health_caps
      whose condition holds that day applied except <rule> (overrides left
      out), and all_caps: with every cap; so a cap earns its place when
      all_caps beats without_cap:<rule>.
    Per signal: AUC, churn rate and lift of the riskiest decile (the 10 %
    lowest values; ties broken by observation_id) and the ARR-weighted lift
    (share of ARR churned in that decile / share of ARR churned overall).
    The fitted logistic-regression baseline is computed by calibrate.py on
    the same observations and split (numpy only).
-#}
{%- set double = type_double() -%}

with

observations as (
    select * from {{ ref('backtest_observations') }}
),

time_split as (
    select * from {{ ref('backtest_time_split') }}
),

metric_observations as (
    select * from {{ ref('backtest_metric_observations') }}
),

health_caps as (
    select * from {{ ref('stg_config__health_caps') }}
),

activity as (
    select * from {{ ref('int_product_activity_daily') }}
),

core_actions_28d as (
    select
        observations.observation_id,
        sum(activity.core_actions) as core_actions
    from observations
    inner join activity
        on
            observations.account_id = activity.account_id
            and observations.observation_date >= activity.date_day
            and {{ metrics_add_days('observations.observation_date', -28) }} < activity.date_day
    group by observations.observation_id
),

cap_conditions as (
    -- caps whose condition holds on the observation date
    select
        metric_observations.observation_id,
        health_caps.rule as cap_rule,
        cast(health_caps.cap as {{ double }}) as cap_value
    from metric_observations
    inner join health_caps
        on metric_observations.metric = health_caps.metric
    where
        {{ scoring_compare(
            'metric_observations.metric_value',
            'health_caps.operator',
            'cast(health_caps.threshold as ' ~ double ~ ')'
        ) }}
),

cap_rules as (
    select rule as cap_rule
    from health_caps
),

without_each_cap as (
    select
        observations.observation_id,
        cap_rules.cap_rule,
        min(case when cap_conditions.cap_rule != cap_rules.cap_rule then cap_conditions.cap_value end) as cap_value
    from observations
    cross join cap_rules
    left join cap_conditions
        on observations.observation_id = cap_conditions.observation_id
    group by observations.observation_id, cap_rules.cap_rule
),

all_caps as (
    select
        observation_id,
        min(cap_value) as cap_value
    from cap_conditions
    group by observation_id
),

signal_rows as (
    select
        'health_score' as signal,
        'score' as signal_type,
        1 as signal_order,
        observation_id,
        cast(health_score as {{ double }}) as signal_value
    from observations
    union all
    select
        'health_score_uncapped' as signal,
        'score' as signal_type,
        2 as signal_order,
        observation_id,
        cast(health_score_uncapped as {{ double }}) as signal_value
    from observations
    union all
    select
        'naive_core_actions_28d' as signal,
        'baseline' as signal_type,
        3 as signal_order,
        observations.observation_id,
        cast(coalesce(core_actions_28d.core_actions, 0) as {{ double }}) as signal_value
    from observations
    left join core_actions_28d
        on observations.observation_id = core_actions_28d.observation_id
    union all
    select
        'all_caps' as signal,
        'cap_ablation' as signal_type,
        4 as signal_order,
        observations.observation_id,
        {{ capped_at('observations.health_score_uncapped', 'all_caps.cap_value') }} as signal_value
    from observations
    left join all_caps
        on observations.observation_id = all_caps.observation_id
    union all
    select
        {{ dbt.concat(["'without_cap:'", 'without_each_cap.cap_rule']) }} as signal,
        'cap_ablation' as signal_type,
        5 as signal_order,
        observations.observation_id,
        {{ capped_at('observations.health_score_uncapped', 'without_each_cap.cap_value') }} as signal_value
    from observations
    inner join without_each_cap
        on observations.observation_id = without_each_cap.observation_id
),

samples as (
    select
        'all' as sample,
        observations.observation_id,
        observations.is_churned,
        cast(observations.arr as {{ double }}) as arr
    from observations
    union all
    select
        'holdout' as sample,
        observations.observation_id,
        observations.is_churned,
        cast(observations.arr as {{ double }}) as arr
    from observations
    inner join time_split
        on observations.observation_date = time_split.observation_date
    where time_split.time_split = 'holdout'
),

valued as (
    select
        signal_rows.signal,
        signal_rows.signal_type,
        signal_rows.signal_order,
        samples.sample,
        samples.observation_id,
        signal_rows.signal_value,
        samples.is_churned,
        samples.arr
    from signal_rows
    inner join samples
        on signal_rows.observation_id = samples.observation_id
    where signal_rows.signal_value is not null
),

deciles as (
    select
        signal,
        sample,
        is_churned,
        arr,
        ntile(10) over (
            partition by signal, sample order by signal_value asc, observation_id asc
        ) as risk_decile
    from valued
),

decile_stats as (
    select
        signal,
        sample,
        {{ count_where('risk_decile = 1') }} as decile_observations,
        {{ count_where('risk_decile = 1 and is_churned') }} as decile_churned,
        -- exact sums (scoring_fixed), as in the other backtest models: a sum of
        -- doubles depends on the order the engine adds the rows in
        cast(sum(case when risk_decile = 1 then {{ scoring_fixed('arr') }} else 0 end) as {{ double }})
            as decile_arr,
        cast(sum(case when risk_decile = 1 and is_churned then {{ scoring_fixed('arr') }} else 0 end) as {{ double }})
            as decile_arr_churned,
        cast(sum({{ scoring_fixed('arr') }}) as {{ double }}) as total_arr,
        cast(sum(case when is_churned then {{ scoring_fixed('arr') }} else 0 end) as {{ double }}) as total_arr_churned
    from deciles
    group by signal, sample
),

signal_stats as (
    select
        signal,
        sample,
        max(signal_type) as signal_type,
        max(signal_order) as signal_order,
        count(*) as observations,
        {{ count_where('is_churned') }} as churned
    from valued
    group by signal, sample
),

signal_auc as (
    {{ rank_auc(
        'valued', 'signal_value', 'is_churned', partition_by=['signal', 'sample'], lower_score_is_positive=true
    ) }}
),

final as (
    select
        signal_stats.signal,
        cast(signal_stats.signal_type as {{ dbt.type_string() }}) as signal_type,
        cast(signal_stats.signal_order as {{ dbt.type_int() }}) as signal_order,
        cast(signal_stats.sample as {{ dbt.type_string() }}) as sample,
        cast(signal_stats.observations as {{ dbt.type_bigint() }}) as observations,
        cast(signal_stats.churned as {{ dbt.type_bigint() }}) as churned,
        signal_auc.auc as auc_churn,
        cast(decile_stats.decile_observations as {{ dbt.type_bigint() }}) as top_decile_observations,
        {{ health_rate('decile_stats.decile_churned', 'decile_stats.decile_observations') }}
            as top_decile_churn_rate,
        ({{ health_rate('decile_stats.decile_churned', 'decile_stats.decile_observations') }})
        / nullif(cast(signal_stats.churned as {{ double }}) / signal_stats.observations, 0) as top_decile_lift,
        (decile_stats.decile_arr_churned / nullif(decile_stats.decile_arr, 0))
        / nullif(decile_stats.total_arr_churned / nullif(decile_stats.total_arr, 0), 0) as arr_weighted_lift
    from signal_stats
    left join signal_auc
        on {{ same_keys('signal_stats', 'signal_auc', ['signal', 'sample']) }}
    left join decile_stats
        on {{ same_keys('signal_stats', 'decile_stats', ['signal', 'sample']) }}
)

select * from final
