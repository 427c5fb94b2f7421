{#-
    The score of one account-day in one row (SPEC §4.2-4.5, §4.7): the
    component columns c__* per component c of scoring_components() and the
    score after caps and overrides. int_component_subscores_weighted (one row
    per component) and int_health_scores_capped are views over this table.
    Rules (as the long-form reference int_component_subscores_weighted_long
    and int_health_scores_capped_long, which the unit tests pin):
    - profile: segment -> segment_profiles.profile, `default` when the segment
      is not listed; an account-day whose profile has no weights is not scored;
    - component subscore = weighted mean (health_metrics.weight) of the
      component's observed metric subscores (int_metric_subscores_wide);
      null when none is observed;
    - profile weights renormalised over the observed components; coverage =
      observed share of the profile's configured weight; points contributed =
      100 x renormalised weight x subscore, lost = 100 x weight x (1 -
      subscore); driver_rank by points lost (ties: larger weight, then name);
      the renewal_* columns repeat this with the `renewal` profile;
    - exact arithmetic: weights, subscores, coverage and points are fixed
      decimals (scoring_fixed) before they are summed or ranked;
    - uncapped score = sum of points, 2 decimals; the tightest cap whose
      condition holds that day (ties: rule name), then active overrides:
      highest floor, then lowest cap (macro scoring_caps_overrides, shared
      with int_health_scores_capped_long).
    Incremental (macros/incremental): a daily build recomputes the days from
    int_build_plan.recompute_from on; config changes and --full-refresh
    recompute everything. config_version tells which configuration scored a row.
-#}
{{ health_incremental_config() }}

{%- set renewal_profile = var('renewal_profile', 'renewal') -%}
{%- set metrics = metrics_catalogue().split(',') | map('trim') | reject('equalto', '') | list -%}
{%- set components = (scoring_components() | trim).split(',') | map('trim') | list -%}
{%- set double = type_double() -%}
{%- set zero = scoring_fixed('0') -%}
{%- set score_columns = (scoring_score_columns() | trim).split(',') -%}
{%- set start = health_incremental_from(ref('int_build_plan')) | trim -%}
-- Generated per metric / per component columns: sqlfluff cannot lay out
-- the loop-rendered lines (indent, length, qualification), checked by dbt instead.
-- noqa: disable=LT02,LT05,RF02
{%- set cap_metric_value -%}
    case health_caps.metric
        {%- for m in metrics %}
        when '{{ m }}' then component_sums.{{ m }}__value
        {%- endfor %}
    end
{%- endset %}

with
{{ health_imports({
    'account_days': 'int_account_days',
    'metric_subscores': 'int_metric_subscores_wide',
    'build_plan': 'int_build_plan',
    'health_metrics': 'stg_config__health_metrics',
    'segment_profiles': 'stg_config__segment_profiles',
    'health_weights': 'stg_config__health_weights',
    'health_caps': 'stg_config__health_caps',
    'health_overrides': 'stg_config__health_overrides',
}, incremental=['account_days', 'metric_subscores'], day_filter=health_incremental_filter('date_day', start)) }}

metric_config as (
    {{ scoring_metric_config('health_metrics', metrics, double) }}
),

component_catalogue as (
    select
        {%- for c in components %}
        cast(sum(case when component = '{{ c }}' then 1 else 0 end) as {{ dbt.type_int() }})
            as {{ c }}__metrics_in_catalogue{{ "," if not loop.last }}
        {%- endfor %}
    from health_metrics
),

profile_weights as (
    select
        profile,
        {%- for c in components %}
        max(case when component = '{{ c }}' then 1 end) as {{ c }}__in_profile,
        max(case when component = '{{ c }}' then {{ scoring_fixed('weight') }} end) as {{ c }}__profile_weight
        {{- "," if not loop.last }}
        {%- endfor %}
    from health_weights
    group by profile
),

renewal_weights as (
    select
        {%- for c in components %}
        max(case when component = '{{ c }}' then {{ scoring_fixed('weight') }} end) as {{ c }}__renewal_weight
        {{- "," if not loop.last }}
        {%- endfor %}
    from health_weights
    where profile = '{{ renewal_profile }}'
),

component_sums as {{ health_cte_fence() }} (
    select
        metric_subscores.account_id,
        metric_subscores.date_day,
        {%- for c in components %}
        {%- set component_loop = loop %}
        {#- one observed-metric test feeds the three sums: weighted subscores, weights, metric count #}
        {%- for sum_name in ['weighted_sum', 'weight_sum', 'metrics_observed'] %}
        {%- set sum_loop = loop %}
        {%- for m in metrics %}
        {%- set weight = scoring_fixed('metric_config.' ~ m ~ '__weight') %}
        {%- set term = {
            'weighted_sum': weight ~ '\n                    * ' ~ scoring_fixed('metric_subscores.' ~ m ~ '__subscore'),
            'weight_sum': weight,
            'metrics_observed': '1',
        }[sum_name] %}
        coalesce(
            case
                when metric_config.{{ m }}__component = '{{ c }}' and metric_subscores.{{ m }}__subscore is not null
                    then {{ term }}
            end,
            0
        ){{ " +" if not loop.last }}
        {%- endfor %} as {{ c }}__{{ sum_name }},
        {%- endfor %}
        {%- endfor %}
        {#- the observed values for cap_conditions: metric_subscores (a wide view) is then read once, not
            materialised whole by the engine for a second reader -#}
        {%- for m in metrics %}
        metric_subscores.{{ m }}__value{{ "," if not loop.last }}
        {%- endfor %}
    from metric_subscores
    cross join metric_config
),

component_subscores as {{ health_cte_fence() }} (
    select
        account_days.account_id,
        account_days.date_day,
        profile_weights.profile,
        {%- for c in components %}
        profile_weights.{{ c }}__in_profile,
        case
            when profile_weights.{{ c }}__in_profile is not null and component_sums.{{ c }}__metrics_observed > 0
                then {{ scoring_fixed(health_divide(
                    'component_sums.' ~ c ~ '__weighted_sum', 'nullif(component_sums.' ~ c ~ '__weight_sum, 0)'
                )) }}
        end as {{ c }}__subscore,
        cast(coalesce(component_sums.{{ c }}__metrics_observed, 0) as {{ dbt.type_int() }}) as {{ c }}__metrics_observed,
        component_catalogue.{{ c }}__metrics_in_catalogue,
        profile_weights.{{ c }}__profile_weight,
        case
            when profile_weights.{{ c }}__in_profile is not null then renewal_weights.{{ c }}__renewal_weight
        end as {{ c }}__renewal_weight{{ "," if not loop.last }}
        {%- endfor %}
    from account_days
    left join segment_profiles
        on account_days.segment = segment_profiles.segment
    inner join profile_weights
        on coalesce(segment_profiles.profile, 'default') = profile_weights.profile
    left join component_sums
        on
            account_days.account_id = component_sums.account_id
            and account_days.date_day = component_sums.date_day
    cross join component_catalogue
    cross join renewal_weights
),

weight_totals as {{ health_cte_fence() }} (
    select
        *,
        {%- for c in components %}
        coalesce(case when {{ c }}__in_profile is not null then {{ c }}__profile_weight end, {{ zero }})
        {{- " +" if not loop.last }}
        {%- endfor %} as profile_weight_total,
        {%- for c in components %}
        coalesce(case when {{ c }}__subscore is not null then {{ c }}__profile_weight end, {{ zero }})
        {{- " +" if not loop.last }}
        {%- endfor %} as observed_weight_total,
        {%- for c in components %}
        coalesce({{ c }}__renewal_weight, {{ zero }}){{ " +" if not loop.last }}
        {%- endfor %} as renewal_weight_total,
        {%- for c in components %}
        coalesce(case when {{ c }}__subscore is not null then {{ c }}__renewal_weight end, {{ zero }})
        {{- " +" if not loop.last }}
        {%- endfor %} as renewal_observed_weight_total
    from component_subscores
),

renormalised as {{ health_cte_fence() }} (
    select
        *,
        {%- for c in components %}
        case
            when {{ c }}__in_profile is null then null
            when {{ c }}__subscore is not null and observed_weight_total > 0
                then {{ scoring_fixed(health_divide(c ~ '__profile_weight', 'observed_weight_total')) }}
            else {{ zero }}
        end as {{ c }}__weight_renormalised,
        case
            when {{ c }}__subscore is not null and renewal_observed_weight_total > 0
                then {{ scoring_fixed(health_divide(c ~ '__renewal_weight', 'renewal_observed_weight_total')) }}
            when {{ c }}__renewal_weight is not null then {{ zero }}
        end as {{ c }}__renewal_weight_renormalised,
        {%- endfor %}
        {{ scoring_fixed(health_divide('observed_weight_total', 'nullif(profile_weight_total, 0)')) }} as coverage,
        {{ scoring_fixed(health_divide('renewal_observed_weight_total', 'nullif(renewal_weight_total, 0)')) }} as renewal_coverage
    from weight_totals
),

points as {{ health_cte_fence() }} (
    select
        *,
        {%- for c in components %}
        {{ scoring_fixed('100 * ' ~ c ~ '__weight_renormalised * coalesce(' ~ c ~ '__subscore, 0)') }}
            as {{ c }}__points_contributed,
        {{ scoring_fixed('100 * ' ~ c ~ '__weight_renormalised * (1 - coalesce(' ~ c ~ '__subscore, 1))') }}
            as {{ c }}__points_lost,
        {{ scoring_fixed('100 * ' ~ c ~ '__renewal_weight_renormalised * coalesce(' ~ c ~ '__subscore, 0)') }}
            as {{ c }}__renewal_points_contributed,
        {{ scoring_fixed('100 * ' ~ c ~ '__renewal_weight_renormalised * (1 - coalesce(' ~ c ~ '__subscore, 1))') }}
            as {{ c }}__renewal_points_lost{{ "," if not loop.last }}
        {%- endfor %}
    from renormalised
),

ranked as (
    select
        *,
        {%- for c in components %}
        {%- for rank, lost, weight in [
            ('driver_rank', '__points_lost', '__profile_weight'),
            ('renewal_driver_rank', '__renewal_points_lost', '__renewal_weight')
        ] %}
        case
            when {{ c }}__in_profile is not null then cast(1
                {%- for d in components if d != c %}
                + case
                    when {{ d }}__in_profile is not null and {{ scoring_sorts_before(
                        {'name': d, 'keys': [d ~ lost, d ~ weight]},
                        {'name': c, 'keys': [c ~ lost, c ~ weight]}
                    ) }} then 1
                    else 0
                end
                {%- endfor %} as {{ dbt.type_int() }})
        end as {{ c }}__{{ rank }},
        {%- endfor %}
        {%- endfor %}
        case
            when {% for c in components %}{{ c }}__subscore is not null{{ " or " if not loop.last }}{% endfor %}
                then {{ health_round(health_wide_sum(components, '__points_contributed', zero), 2) }}
        end as health_score_uncapped,
        case
            when
                ({% for c in components %}{{ c }}__subscore is not null{{ " or " if not loop.last }}{% endfor %})
                and ({% for c in components %}{{ c }}__renewal_points_contributed is not null{{ " or " if not loop.last }}{% endfor %})
                then {{ health_round(health_wide_sum(components, '__renewal_points_contributed', zero), 2) }}
        end as renewal_score_uncapped
    from points
),

cap_conditions as (
    select
        component_sums.account_id,
        component_sums.date_day,
        health_caps.rule as cap_rule,
        cast(health_caps.cap as {{ double }}) as cap_value
    from component_sums
    inner join health_caps
        on {{ scoring_compare(cap_metric_value, 'health_caps.operator', 'cast(health_caps.threshold as ' ~ double ~ ')') }}
),

{{ scoring_caps_overrides('ranked', 'cap_conditions', 'health_overrides', double) }},

final as (
    select
        account_id,
        date_day,
        profile,
        coverage,
        renewal_coverage,
        {%- for c in components %}
        {%- for column in ['in_profile', 'subscore', 'metrics_observed', 'metrics_in_catalogue', 'profile_weight',
            'weight_renormalised', 'points_contributed', 'points_lost', 'driver_rank', 'renewal_weight',
            'renewal_weight_renormalised', 'renewal_points_contributed', 'renewal_points_lost',
            'renewal_driver_rank'] %}
        {%- if column == 'in_profile' %}
        {{ c }}__in_profile is not null as {{ c }}__in_profile,
        {%- else %}
        {{ c }}__{{ column }},
        {%- endif %}
        {%- endfor %}
        {%- endfor %}
        {%- for column in score_columns if column not in ['account_id', 'date_day', 'profile', 'coverage', 'renewal_coverage'] %}
        {{ column }},
        {%- endfor %}
        build_plan.config_version
    from capped
    cross join build_plan
)

select * from final
