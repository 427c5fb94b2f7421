{#-
    Which signal carries the weight? The churn AUC and KS of each component
    subscore on its own, next to the health score (capped and uncapped), so a
    data team sees which component separates churners and which is noise
    (AUC near 0.5). Each signal is judged on the observations where it was
    observed; a null subscore (no data) is left out, not read as bad.
-#}
{%- set double = type_double() -%}
{#- one signal per component with a wide subscore column (seeds/health_components.csv), then the scores -#}
{%- set signals = [] -%}
{%- for component in (scoring_components(wide=true) | trim).split(',') -%}
    {%- do signals.append((component, 'component', component ~ '_subscore')) -%}
{%- endfor -%}
{%- do signals.append(('health_score', 'score', 'health_score')) -%}
{%- do signals.append(('health_score_uncapped', 'score', 'health_score_uncapped')) -%}

with

observations as (
    select * from {{ ref('backtest_observations') }}
),

signal_values as (
    {% for signal, signal_type, column in signals %}
        select
            '{{ signal }}' as signal,
            '{{ signal_type }}' as signal_type,
            {{ loop.index }} as signal_order,
            cast({{ column }} as {{ double }}) as signal_value,
            is_churned
        from observations
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

signal_stats as (
    select
        signal,
        signal_type,
        signal_order,
        count(*) as observations,
        count(signal_value) as observed,
        avg(case when is_churned then {{ scoring_fixed('signal_value') }} end) as mean_signal_churned,
        avg(case when not is_churned then {{ scoring_fixed('signal_value') }} end) as mean_signal_retained
    from signal_values
    group by signal, signal_type, signal_order
),

signal_auc as (
    {{ rank_auc('signal_values', 'signal_value', 'is_churned', partition_by=['signal'], lower_score_is_positive=true) }}
),

signal_ks as (
    {{ ks_statistic('signal_values', 'signal_value', 'is_churned', partition_by=['signal']) }}
),

final as (
    select
        signal_stats.signal,
        signal_stats.signal_type,
        cast(signal_stats.signal_order as {{ dbt.type_int() }}) as signal_order,
        cast(signal_stats.observed as {{ dbt.type_bigint() }}) as observations,
        {{ health_rate('signal_stats.observed', 'signal_stats.observations') }} as observed_share,
        cast(coalesce(signal_auc.n_positive, 0) as {{ dbt.type_bigint() }}) as churned,
        signal_auc.auc as auc_churn,
        signal_ks.ks as ks_churn,
        cast(signal_stats.mean_signal_churned as {{ double }}) as mean_signal_churned,
        cast(signal_stats.mean_signal_retained as {{ double }}) as mean_signal_retained
    from signal_stats
    left join signal_auc
        on signal_stats.signal = signal_auc.signal
    left join signal_ks
        on signal_stats.signal = signal_ks.signal
)

select * from final
