{#-
    why_score_moved(account_id=none, date_a=none, date_b=none): a select that
    answers "why did this account's score move between date A and date B?",
    one row per component plus a caps/overrides row and a total row.
    For each component c with renormalised weight w and subscore s:
        points(c) = 100 x w x s            (0 when c is not observed)
        points_change = points_b - points_a
                      = subscore_effect + weight_effect, where
        subscore_effect = 100 x w_b x (s_b - s_a)  (the signal moved)
        weight_effect   = 100 x (w_b - w_a) x s_a  (coverage or config moved)
    The components' points add up to health_score_uncapped; the
    caps_and_overrides row is health_score - health_score_uncapped; the total
    row is health_score. Defaults: date_b = as_of_date, date_a = date_b - 28
    days, account_id = every account (give one for a dashboard).
    Reads the marts only, so a BI tool can run the compiled SQL
    (analyses/why_score_moved.sql) with its own parameters.
-#}
{% macro why_score_moved(account_id=none, date_a=none, date_b=none) -%}
    {%- if date_b -%}
        {%- set date_b_sql = "cast('" ~ date_b ~ "' as date)" -%}
    {%- else -%}
        {%- set date_b_sql = "(select max(as_of_date) from " ~ ref('stg_data_bounds') ~ ")" -%}
    {%- endif -%}
    {%- if date_a -%}
        {%- set date_a_sql = "cast('" ~ date_a ~ "' as date)" -%}
    {%- else -%}
        {%- set date_a_sql = "cast(" ~ dbt.dateadd('day', -28, date_b_sql) ~ " as date)" -%}
    {%- endif -%}
    {%- if account_id -%}
        {%- set account_filter = "health_daily.account_id = '" ~ account_id ~ "'" -%}
    {%- else -%}
        {%- set account_filter = "1 = 1" -%}
    {%- endif %}
with

health_daily as (
    select * from {{ ref('fct_account_health_daily') }}
),

health_components as (
    select * from {{ ref('fct_account_health_components') }}
),

compared_dates as (
    select
        {{ date_a_sql }} as date_a,
        {{ date_b_sql }} as date_b
),

accounts as (
    select distinct health_daily.account_id
    from health_daily
    cross join compared_dates
    where
        health_daily.date_day in (compared_dates.date_a, compared_dates.date_b)
        and {{ account_filter }}
),

component_grid as (
    select
        accounts.account_id,
        compared_dates.date_a,
        compared_dates.date_b,
        components.component
    from accounts
    cross join compared_dates
    cross join (
        select distinct component
        from health_components
    ) as components
),

component_sides as (
    select
        component_grid.account_id,
        component_grid.date_a,
        component_grid.date_b,
        component_grid.component,
        side_a.subscore as subscore_a,
        side_b.subscore as subscore_b,
        coalesce(side_a.weight_renormalised, 0) as weight_a,
        coalesce(side_b.weight_renormalised, 0) as weight_b,
        coalesce(side_a.points_contributed, 0) as points_a,
        coalesce(side_b.points_contributed, 0) as points_b
    from component_grid
    left join health_components as side_a
        on
            component_grid.account_id = side_a.account_id
            and component_grid.date_a = side_a.date_day
            and component_grid.component = side_a.component
    left join health_components as side_b
        on
            component_grid.account_id = side_b.account_id
            and component_grid.date_b = side_b.date_day
            and component_grid.component = side_b.component
),

component_rows as (
    select
        account_id,
        date_a,
        date_b,
        component as explained_by,
        1 as row_order,
        subscore_a,
        subscore_b,
        weight_a,
        weight_b,
        points_a,
        points_b,
        points_b - points_a as points_change,
        100 * weight_b * (coalesce(subscore_b, 0) - coalesce(subscore_a, 0)) as subscore_effect,
        100 * (weight_b - weight_a) * coalesce(subscore_a, 0) as weight_effect
    from component_sides
),

score_sides as (
    select
        accounts.account_id,
        compared_dates.date_a,
        compared_dates.date_b,
        day_a.health_score as score_a,
        day_b.health_score as score_b,
        day_a.health_score - day_a.health_score_uncapped as adjustment_a,
        day_b.health_score - day_b.health_score_uncapped as adjustment_b,
        day_a.cap_rule as cap_rule_a,
        day_b.cap_rule as cap_rule_b
    from accounts
    cross join compared_dates
    left join health_daily as day_a
        on
            accounts.account_id = day_a.account_id
            and compared_dates.date_a = day_a.date_day
    left join health_daily as day_b
        on
            accounts.account_id = day_b.account_id
            and compared_dates.date_b = day_b.date_day
),

{#- the two score-level rows: caps/overrides adjustment, then the total score #}
{%- set score_rows = [
    ('adjustment_rows', 'caps_and_overrides', 2, 'coalesce(adjustment_a, 0)', 'coalesce(adjustment_b, 0)'),
    ('total_rows', 'health_score', 3, 'score_a', 'score_b'),
] %}
{%- for cte, explained_by, row_order, points_a, points_b in score_rows %}
{{ cte }} as (
    select
        account_id,
        date_a,
        date_b,
        '{{ explained_by }}' as explained_by,
        {{ row_order }} as row_order,
        cast(null as {{ dbt.type_float() }}) as subscore_a,
        cast(null as {{ dbt.type_float() }}) as subscore_b,
        cast(null as {{ dbt.type_float() }}) as weight_a,
        cast(null as {{ dbt.type_float() }}) as weight_b,
        {{ points_a }} as points_a,
        {{ points_b }} as points_b,
        {{ points_b }} - {{ points_a }} as points_change,
        cast(null as {{ dbt.type_float() }}) as subscore_effect,
        cast(null as {{ dbt.type_float() }}) as weight_effect
    from score_sides
),
{% endfor %}
final as (
    select * from component_rows
    union all
    select * from adjustment_rows
    union all
    select * from total_rows
)

select * from final
order by account_id, row_order, points_change, explained_by
{%- endmacro %}
