{#-
    scoring_components(wide=false): the health components, in display order,
    as comma-separated text (no `return()`, so the sqlfluff templater can
    render it too); split it: `(scoring_components() | trim).split(',')`.
    Their one home is seeds/health_components.csv (read when dbt executes);
    while parsing, under sqlfluff and in unit tests it is SPEC §2's five.
    wide=true: only the components with `wide_column = true`, i.e. those
    with a `<component>_subscore` column in the contracted wide marts
    (fct_account_health_daily, account_health_current, the backtest); every
    component, wide or not, is scored and has its rows in the long mart
    fct_account_health_components.
-#}
{% macro scoring_components(wide=false) -%}
{%- set fallback = ['usage', 'value', 'billing', 'support', 'sentiment'] -%}
{%- set from_seed = health_seed_values(
    'health_components', 'component', 'display_order',
    'lower(cast(wide_column as ' ~ dbt.type_string() ~ ')) in (\'true\', \'t\', \'1\')' if wide else none
) if health_seed_values is defined else none -%}
{{- (from_seed if from_seed is not none else fallback) | join(',') -}}
{%- endmacro %}

{#-
    scoring_components_sql(wide=false): the same list as quoted SQL
    literals, for `in (...)` lists: 'usage', 'value', ...
-#}
{% macro scoring_components_sql(wide=false) -%}
'{{ (scoring_components(wide) | trim).split(',') | join("', '") }}'
{%- endmacro %}
