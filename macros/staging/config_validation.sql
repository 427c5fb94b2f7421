-- noqa: disable=LT02
{#-
    Validation of the configuration seeds (SPEC §1 "Bad input", §2).

    config_seed_select(seed)  the seed with trimmed / lower-cased keys; used by
                              the stg_config__* models AND by the checks, so
                              both see the same values.
    config_checks(out)        the table of checks: appends one dict per
                              check (name, seed, kind and its arguments) to
                              the list `out`; the kinds are rows, unique,
                              known and missing (one macro each below).
    config_check_names()      comma-separated names of every check.
    config_check_sql(check)   one check: a select of (check_name, seed_file,
                              row_key, problem, fix), one row per problem.
    config_validation_sql()   every check, union all.
    raise_on_config_problems() runs config_validation_sql() (when dbt
                              executes) and fails the build with one readable
                              line per problem: file, row, problem, fix.
    The components are the rows of seeds/health_components.csv.
-#}

{% macro config_seed_select(seed) %}
{%- if seed == 'health_components' %}
select
    lower(trim(component)) as component,
    display_order,
    wide_column,
    description
from {{ ref('health_components') }}
{%- elif seed == 'health_weights' %}
select
    lower(trim(profile)) as profile,
    lower(trim(component)) as component,
    weight
from {{ ref('health_weights') }}
{%- elif seed == 'health_metrics' %}
select
    lower(trim(metric)) as metric,
    lower(trim(component)) as component,
    lower(trim(direction)) as direction,
    coalesce(lower(trim(threshold_type)), 'absolute') as threshold_type,
    low,
    high,
    weight,
    missing_value,
    description
from {{ ref('health_metrics') }}
{%- elif seed == 'health_bands' %}
select
    lower(trim(band)) as band,
    min_score,
    max_score,
    rank,
    trim(color) as color,
    action
from {{ ref('health_bands') }}
{%- elif seed == 'health_caps' %}
select
    lower(trim(rule)) as rule,
    lower(trim(metric)) as metric,
    trim(operator) as operator,
    threshold,
    cap,
    description
from {{ ref('health_caps') }}
{%- elif seed == 'health_overrides' %}
select
    trim(account_id) as account_id,
    score_cap,
    score_floor,
    reason,
    author,
    valid_from,
    expires_on
from {{ ref('health_overrides') }}
{%- elif seed == 'health_playbooks' %}
select
    lower(trim(component)) as component,
    playbook,
    lower(trim(owner_role)) as owner_role
from {{ ref('health_playbooks') }}
{%- elif seed == 'segment_profiles' %}
select
    lower(trim(segment)) as segment,
    lower(trim(profile)) as profile
from {{ ref('segment_profiles') }}
{%- elif seed == 'event_types' %}
{#- a missing column reads as null here, so the seed's data tests run; the
    gate (raise_on_config_problems) reports it with the file and the fix -#}
select
    lower(trim(cast({{ config_optional_column('event_types', 'event_type') }} as {{ dbt.type_string() }})))
        as event_type,
    lower(trim(cast({{ config_optional_column('event_types', 'category') }} as {{ dbt.type_string() }})))
        as category,
    cast({{ config_optional_column('event_types', 'description') }} as {{ dbt.type_string() }}) as description
from {{ ref('event_types') }}
{%- else %}
{{ exceptions.raise_compiler_error("config_seed_select: unknown seed '" ~ seed ~ "'") }}
{%- endif %}
{% endmacro %}

{#-
    Columns a seed must have (SPEC §2); others are optional. A missing one
    fails the build with the file, the column and the fix (checked by
    raise_on_config_problems before any query reads the seed).
-#}
{% macro config_required_columns() -%}
{{ return({'event_types': ['event_type', 'category']}) }}
{%- endmacro %}

{#-
    config_optional_column(seed, column): the column when the seed file has
    it, else a typed null, so an optional column (event_types.description)
    may be left out of the CSV. Decided on the loaded seed when dbt executes;
    in a unit test it is the column (the fixture lists every column).
-#}
{% macro config_optional_column(seed, column) -%}
{%- set present = [] %}
{%- if execute is defined and execute and model.resource_type != 'unit_test' %}
{%- set relation = load_relation(ref(seed)) %}
{%- if relation is not none %}
{%- for col in adapter.get_columns_in_relation(relation) %}
{%- if col.name | lower == column %}{% do present.append(col.name) %}{% endif %}
{%- endfor %}
{%- endif %}
{%- else %}
{#- parsing, or a unit test: its fixtures (SQL text) list every column -#}
{%- do present.append(column) %}
{%- endif %}
{%- if present -%}
{{ column }}
{%- else -%}
cast(null as {{ dbt.type_string() }})
{%- endif -%}
{%- endmacro %}

{#- one message line per required column missing from a loaded seed -#}
{% macro config_missing_column_lines() %}
{%- set lines = [] %}
{%- set required = config_required_columns() %}
{%- for seed in required %}
{%- set relation = load_relation(ref(seed)) %}
{%- if relation is not none %}
{%- set have = [] %}
{%- for col in adapter.get_columns_in_relation(relation) %}{% do have.append(col.name | lower) %}{% endfor %}
{%- for column in required[seed] %}
{%- if column not in have %}
{%- do lines.append(
    "  - seeds/" ~ seed ~ ".csv, header: column '" ~ column ~ "' is missing; fix: add a '"
    ~ column ~ "' column (required: " ~ required[seed] | join(', ') ~ "; found: " ~ have | join(', ') ~ ")"
) %}
{%- endif %}
{%- endfor %}
{%- endif %}
{%- endfor %}
{{ return(lines) }}
{%- endmacro %}

{#-
    The table of checks. One dict per check: name, seed (its file is named in
    the messages), kind, and the kind's arguments. Messages are templates:
    text with {expression} holes, rendered by cfg_msg(). Kinds:
      rows     the rows of `from` (SQL; SEED stands for the seed's select)
               matching `where`; `problem_sql` replaces `problem` where the
               message is a SQL expression of its own
      unique   `columns` repeated (and blank, when or_blank); "listed N times"
      known    `column` not among `references` (value lists, or
               {seed, column} pairs read from a seed); blank counts as unknown
               unless null_is_unknown is false
      missing  `required` values (a list, or {seed, column, where}) with no
               row in `present` ({seed, column, where})
    A name may appear twice: its entries are one check (union all).
-#}
{% macro config_checks(out) %}
{%- set components = {'seed': 'health_components', 'column': 'component'} %}
{%- set component_list = (scoring_components() | trim).split(',') if scoring_components is defined
    else ['usage', 'value', 'billing', 'support', 'sentiment'] %}
{%- set use_components = 'use one of ' ~ component_list | join(', ') %}
{%- set builtin_metrics = (metrics_builtin() if metrics_builtin is defined else '').split(',')
    | map('trim') | reject('equalto', '') | list %}
{%- set weight_key = "profile '{profile}', component '{component}'" %}
{%- set override_key = "account_id '{account_id}', valid_from {valid_from}" %}
{%- set ordered_bands = "select band, min_score, max_score, rank,"
    ~ " lag(max_score) over (order by min_score, max_score, band) as previous_max,"
    ~ " lead(min_score) over (order by min_score, max_score, band) as next_min,"
    ~ " row_number() over (order by min_score, max_score, band) as score_order,"
    ~ " row_number() over (order by rank, min_score, band) as rank_order,"
    ~ " count(*) over (partition by band) as n_band,"
    ~ " count(*) over (partition by rank) as n_rank"
    ~ " from SEED" %}
{%- do out.extend([
    {'name': 'components_unique', 'seed': 'health_components', 'kind': 'unique', 'columns': ['component'],
     'or_blank': true, 'key': "component '{component}'", 'fix': 'keep one row per component, with a name'},
    {'name': 'components_valid_values', 'seed': 'health_components', 'kind': 'rows',
     'where': 'display_order is null or wide_column is null', 'key': "component '{component}'",
     'problem': 'display_order {display_order} and wide_column {wide_column} must both be set',
     'fix': 'give every component a display_order (its place in the marts) and wide_column true or false'},

    {'name': 'weights_sum_to_one', 'seed': 'health_weights', 'kind': 'rows',
     'from': 'select profile, sum(weight) as total_weight from SEED group by profile',
     'where': 'abs(total_weight - 1.0) > 0.0001 or total_weight is null', 'key': "profile '{profile}'",
     'problem': 'weights sum to {round(total_weight * 10000) / 10000}',
     'fix': "make the component weights of '{profile}' add up to 1.00"},
    {'name': 'weights_known_components', 'seed': 'health_weights', 'kind': 'known', 'column': 'component',
     'references': [components], 'key': weight_key, 'problem': "unknown component '{component}'",
     'fix': use_components},
    {'name': 'weights_valid_values', 'seed': 'health_weights', 'kind': 'rows',
     'where': 'profile is null or weight is null or weight < 0 or weight > 1', 'key': weight_key,
     'problem': 'weight {weight} is missing or outside 0..1, or the profile is blank',
     'fix': 'give every row a profile name and a weight between 0 and 1'},
    {'name': 'weights_unique', 'seed': 'health_weights', 'kind': 'unique', 'columns': ['profile', 'component'],
     'key': weight_key, 'fix': 'keep one row per profile and component'},
    {'name': 'weights_required_profiles', 'seed': 'health_weights', 'kind': 'missing',
     'required': ['default', 'renewal'], 'present': {'seed': 'health_weights', 'column': 'profile'},
     'key': "profile '{required_value}'", 'problem': 'required profile is missing',
     'fix': "add the five component weights of profile '{required_value}'"},

    {'name': 'metrics_known_components', 'seed': 'health_metrics', 'kind': 'known', 'column': 'component',
     'references': [components], 'key': "metric '{metric}'", 'problem': "unknown component '{component}'",
     'fix': use_components},
    {'name': 'metrics_valid_direction', 'seed': 'health_metrics', 'kind': 'known', 'column': 'direction',
     'references': [['higher_is_better', 'lower_is_better']], 'key': "metric '{metric}'",
     'problem': "unknown direction '{direction}'", 'fix': 'use higher_is_better or lower_is_better'},
    {'name': 'metrics_low_differs_from_high', 'seed': 'health_metrics', 'kind': 'rows',
     'where': 'low is null or high is null or low >= high', 'key': "metric '{metric}'",
     'problem': 'low {low} and high {high} must both be set and differ',
     'fix': 'set low to the value scoring 0 and high to the value scoring 1 (low < high; direction says which end is good)'},
    {'name': 'metrics_valid_threshold_type', 'seed': 'health_metrics', 'kind': 'rows',
     'where': "threshold_type not in ('absolute', 'percentile') or (threshold_type = 'percentile' and (low < 0 or high > 100))",
     'key': "metric '{metric}'", 'problem': "threshold_type '{threshold_type}' with low {low} and high {high} is not valid",
     'fix': 'use threshold_type absolute (low/high in the metric unit) or percentile (low/high percentile levels between 0 and 100)'},
    {'name': 'metrics_valid_weight', 'seed': 'health_metrics', 'kind': 'rows',
     'where': 'weight is null or weight < 0', 'key': "metric '{metric}'",
     'problem': 'weight {weight} is missing or negative', 'fix': 'give the metric a weight >= 0 within its component'},
    {'name': 'metrics_unique', 'seed': 'health_metrics', 'kind': 'unique', 'columns': ['metric'], 'or_blank': true,
     'key': "metric '{metric}'", 'fix': 'keep one row per metric, with a name'},
    {'name': 'metrics_cover_weighted_components', 'seed': 'health_metrics', 'kind': 'missing',
     'required': {'seed': 'health_weights', 'column': 'component',
                  'where': 'weight > 0 and component in (' ~ config_reference_select(components) ~ ')'},
     'present': {'seed': 'health_metrics', 'column': 'component', 'where': 'weight > 0'},
     'key': "component '{required_value}'", 'problem': 'the component has weight in health_weights but no metric with weight > 0',
     'fix': "add a metric for '{required_value}' or set its weights to 0"},

    {'name': 'bands_cover_0_to_100', 'seed': 'health_bands', 'kind': 'rows', 'from': ordered_bands,
     'where': 'min_score is null or max_score is null or min_score >= max_score'
        ~ ' or (previous_max is null and min_score != 0)'
        ~ ' or (previous_max is not null and min_score != previous_max)'
        ~ ' or (next_min is null and max_score != 100)',
     'key': "band '{band}'",
     'problem_sql': dbt.concat([
        "'['", cfg_txt('min_score'), "', '", cfg_txt('max_score'), "') '",
        "case when previous_max is null and min_score != 0 then 'does not start at 0'"
        ~ " when previous_max is not null and min_score > previous_max then 'leaves a gap after the previous band'"
        ~ " when previous_max is not null and min_score < previous_max then 'overlaps the previous band'"
        ~ " when next_min is null and max_score != 100 then 'does not end at 100'"
        ~ " else 'is empty or inverted (min_score >= max_score)' end",
     ]),
     'fix': 'make the bands tile 0-100: the lowest starts at 0, each min_score equals the previous max_score, the top ends at 100'},
    {'name': 'bands_cover_0_to_100', 'seed': 'health_bands', 'kind': 'rows',
     'from': 'select count(*) as n_rows from SEED', 'where': 'n_rows = 0', 'key': '(all rows)',
     'problem': 'no band is defined', 'fix': 'add bands covering 0-100, e.g. at_risk [0,40), watch [40,70), healthy [70,100]'},
    {'name': 'bands_valid_values', 'seed': 'health_bands', 'kind': 'rows', 'from': ordered_bands,
     'where': 'band is null or rank is null or score_order != rank_order', 'key': "band '{band}'",
     'problem': 'rank {rank} must be set and rise with min_score (rank 1 = lowest band), and the band needs a name',
     'fix': 'number the bands 1, 2, 3 ... from the lowest score band up'},
    {'name': 'bands_unique', 'seed': 'health_bands', 'kind': 'rows', 'from': ordered_bands,
     'where': 'n_band > 1 or n_rank > 1', 'key': "band '{band}'",
     'problem': 'band name or rank is used more than once', 'fix': 'give every band its own name and rank'},

    {'name': 'caps_known_metric', 'seed': 'health_caps', 'kind': 'known', 'column': 'metric',
     'null_is_unknown': false,
     'references': [{'seed': 'health_metrics', 'column': 'metric'}, builtin_metrics],
     'key': "rule '{rule}'", 'problem': "unknown metric '{metric}'",
     'fix': 'use a metric listed in seeds/health_metrics.csv or computed by the metrics layer (macros/metrics/metrics_catalogue.sql)'},
    {'name': 'caps_valid_operator', 'seed': 'health_caps', 'kind': 'known', 'column': 'operator',
     'references': [['>=', '>', '<=', '<', '=']], 'key': "rule '{rule}'",
     'problem': "unknown operator '{operator}'", 'fix': 'use one of >=, >, <=, <, ='},
    {'name': 'caps_valid_values', 'seed': 'health_caps', 'kind': 'rows',
     'where': 'threshold is null or cap is null or cap < 0 or cap > 100', 'key': "rule '{rule}'",
     'problem': 'threshold {threshold} must be set and cap {cap} within 0..100',
     'fix': 'set a threshold and a cap between 0 and 100'},
    {'name': 'caps_unique', 'seed': 'health_caps', 'kind': 'unique', 'columns': ['rule'], 'or_blank': true,
     'key': "rule '{rule}'", 'fix': 'give every cap rule its own name'},

    {'name': 'overrides_have_expiry', 'seed': 'health_overrides', 'kind': 'rows', 'where': 'expires_on is null',
     'key': override_key, 'problem': 'override has no expires_on',
     'fix': 'set expires_on: an override without an expiry is rejected'},
    {'name': 'overrides_cap_or_floor', 'seed': 'health_overrides', 'kind': 'rows',
     'where': '(score_cap is null and score_floor is null) or (score_cap is not null and score_floor is not null)',
     'key': override_key,
     'problem_sql': "case when score_cap is null then 'override sets neither score_cap nor score_floor'"
        ~ " else 'override sets both score_cap and score_floor' end",
     'fix': 'set exactly one of score_cap (lowers the score) or score_floor (raises it)'},
    {'name': 'overrides_valid_values', 'seed': 'health_overrides', 'kind': 'rows',
     'where': 'account_id is null or reason is null or valid_from is null or valid_from > expires_on'
        ~ ' or score_cap < 0 or score_cap > 100 or score_floor < 0 or score_floor > 100',
     'key': override_key, 'problem': 'needs an account_id, a reason, valid_from <= expires_on and a cap/floor within 0..100',
     'fix': 'fill account_id, reason and valid_from, keep valid_from <= expires_on and the cap/floor between 0 and 100'},
    {'name': 'overrides_unique', 'seed': 'health_overrides', 'kind': 'unique', 'columns': ['account_id', 'valid_from'],
     'key': override_key, 'fix': 'keep one override per account and valid_from'},

    {'name': 'playbooks_known_components', 'seed': 'health_playbooks', 'kind': 'known', 'column': 'component',
     'references': [components], 'key': "component '{component}'", 'problem': 'unknown component',
     'fix': use_components},
    {'name': 'playbooks_unique', 'seed': 'health_playbooks', 'kind': 'unique', 'columns': ['component'],
     'key': "component '{component}'", 'fix': 'keep one playbook per component'},
    {'name': 'playbooks_cover_components', 'seed': 'health_playbooks', 'kind': 'missing',
     'required': components, 'present': {'seed': 'health_playbooks', 'column': 'component', 'where': 'playbook is not null'},
     'key': "component '{required_value}'", 'problem': 'component has no playbook',
     'fix': "add a row for '{required_value}' with a playbook and an owner_role"},

    {'name': 'segment_profiles_known_profile', 'seed': 'segment_profiles', 'kind': 'known', 'column': 'profile',
     'references': [{'seed': 'health_weights', 'column': 'profile'}], 'key': "segment '{segment}'",
     'problem': "profile '{profile}' is not in seeds/health_weights.csv",
     'fix': "add profile '{profile}' to seeds/health_weights.csv or map the segment to an existing profile"},
    {'name': 'segment_profiles_unique', 'seed': 'segment_profiles', 'kind': 'unique', 'columns': ['segment'],
     'or_blank': true, 'key': "segment '{segment}'", 'fix': 'map every segment to exactly one profile'},

    {'name': 'event_types_known_category', 'seed': 'event_types', 'kind': 'known', 'column': 'category',
     'references': [['login', 'core_action', 'value_event', 'integration', 'negative', 'other']],
     'key': "event_type '{event_type}'", 'problem': "unknown category '{category}'",
     'fix': 'use one of login, core_action, value_event, integration, negative, other'},
    {'name': 'event_types_unique', 'seed': 'event_types', 'kind': 'unique', 'columns': ['event_type'],
     'or_blank': true, 'key': "event_type '{event_type}'", 'fix': 'keep one row per event_type'},
]) %}
{% endmacro %}

{% macro config_check_names() -%}
{%- set checks = [] %}{% do config_checks(checks) %}
{%- set names = [] %}
{%- for check in checks %}{% if check.name not in names %}{% do names.append(check.name) %}{% endif %}{% endfor -%}
{{ names | join(',') }}
{%- endmacro %}

{#- text of a value for messages -#}
{% macro cfg_txt(expression) -%}
coalesce(cast({{ expression }} as {{ dbt.type_string() }}), 'null')
{%- endmacro %}

{#- a message template ("unknown component '{component}'") as a SQL text
    expression: literal text, and cfg_txt() of each {expression} -#}
{% macro cfg_msg(template) -%}
{%- set parts = [] %}
{%- for chunk in template.split('{') %}
{%- set hole_and_text = chunk.split('}', 1) if not loop.first else [none, chunk] %}
{%- if hole_and_text[0] is not none %}{% do parts.append(cfg_txt(hole_and_text[0])) %}{% endif %}
{%- if hole_and_text | length > 1 and hole_and_text[1] %}
{%- do parts.append("'" ~ hole_and_text[1].replace("'", "''") ~ "'") %}
{%- endif %}
{%- endfor -%}
{{ dbt.concat(parts) if parts | length > 1 else parts[0] }}
{%- endmacro %}

{#- the common output columns of a check -#}
{% macro cfg_row(check, seed, row_key, problem, fix) -%}
    cast('{{ check }}' as {{ dbt.type_string() }}) as check_name,
    cast('seeds/{{ seed }}.csv' as {{ dbt.type_string() }}) as seed_file,
    cast({{ row_key }} as {{ dbt.type_string() }}) as row_key,
    cast({{ problem }} as {{ dbt.type_string() }}) as problem,
    cast({{ fix }} as {{ dbt.type_string() }}) as fix
{%- endmacro %}

{#- the output columns of one check from its templates -#}
{% macro config_check_columns(check, problem=none) -%}
{{ cfg_row(check.name, check.seed, cfg_msg(check.key),
    check.problem_sql if check.problem_sql is defined else cfg_msg(problem or check.problem),
    cfg_msg(check.fix)) }}
{%- endmacro %}

{#- a reference (a value list, or {seed, column[, where]}) as an `in (...)` list -#}
{% macro config_reference_select(reference) -%}
{%- if reference is mapping -%}
select {{ reference.column }} from ({{ config_seed_select(reference.seed) }}) as reference_rows
where {{ reference.column }} is not null{{ ' and (' ~ reference.where ~ ')' if reference.where is defined }}
{%- else -%}
'{{ reference | join("', '") }}'
{%- endif -%}
{%- endmacro %}

{% macro config_check_rows(check) %}
select
    {{ config_check_columns(check) }}
{%- if check['from'] is defined %}
from ({{ check['from'].replace('SEED', '(' ~ config_seed_select(check.seed) ~ ') as seed_rows') }}) as checked
{%- else %}
from ({{ config_seed_select(check.seed) }}) as seed_rows
{%- endif %}
where {{ check.where }}
{% endmacro %}

{% macro config_check_unique(check) %}
select
    {{ config_check_columns(check, 'listed {n_rows} times' ~ (' (or blank)' if check.or_blank else '')) }}
from (
    select {{ check.columns | join(', ') }}, count(*) as n_rows
    from ({{ config_seed_select(check.seed) }}) as seed_rows
    group by {{ check.columns | join(', ') }}
    having count(*) > 1{% if check.or_blank %} or {{ check.columns | join(' is null or ') }} is null{% endif %}
) as duplicates
{% endmacro %}

{% macro config_check_known(check) %}
{%- set unknown = [] %}
{%- for reference in check.references %}
{%- do unknown.append(check.column ~ ' not in (' ~ config_reference_select(reference) ~ ')') %}
{%- endfor %}
select
    {{ config_check_columns(check) }}
from ({{ config_seed_select(check.seed) }}) as seed_rows
where
    {% if check.null_is_unknown is not defined or check.null_is_unknown %}{{ check.column }} is null or {% endif -%}
    ({{ unknown | join(' and ') }})
{% endmacro %}

{% macro config_check_missing(check) %}
{%- set required = check.required %}
select
    {{ config_check_columns(check) }}
from (
    {%- if required is mapping %}
    select distinct {{ required.column }} as required_value
    from ({{ config_seed_select(required.seed) }}) as seed_rows
    {%- if required.where is defined %}
    where {{ required.where }}
    {%- endif %}
    {%- else %}
    {%- for value in required %}
    select '{{ value }}' as required_value{{ " union all" if not loop.last }}
    {%- endfor %}
    {%- endif %}
) as required
left join (
    select {{ check.present.column }} as present_value
    from ({{ config_seed_select(check.present.seed) }}) as seed_rows
    {%- if check.present.where is defined %}
    where {{ check.present.where }}
    {%- endif %}
) as present
    on required.required_value = present.present_value
where present.present_value is null
{% endmacro %}

{#- one check by name: its entries of config_checks() (or of `checks`,
    that table already built), union all -#}
{% macro config_check_sql(check, checks=none) %}
{%- if checks is none %}{% set checks = [] %}{% do config_checks(checks) %}{% endif %}
{%- set entries = checks | selectattr('name', 'equalto', check) | list %}
{%- if not entries %}
{{ exceptions.raise_compiler_error("config_check_sql: unknown check '" ~ check ~ "'") }}
{%- endif %}
{%- for entry in entries %}
{%- if entry.kind == 'rows' %}{{ config_check_rows(entry) }}
{%- elif entry.kind == 'unique' %}{{ config_check_unique(entry) }}
{%- elif entry.kind == 'known' %}{{ config_check_known(entry) }}
{%- elif entry.kind == 'missing' %}{{ config_check_missing(entry) }}
{%- endif %}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
{% endmacro %}

{% macro config_validation_sql() %}
{%- set checks = [] %}{% do config_checks(checks) %}
{%- set names = [] %}
{%- for check in checks %}{% if check.name not in names %}{% do names.append(check.name) %}{% endif %}{% endfor %}
{%- for check in names %}
select * from (
{{ config_check_sql(check, checks) }}
) as check_{{ loop.index }}
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
{% endmacro %}

{#-
    Fails the build (compile error of stg_config__validation, which every
    stg_config__* model depends on) when any check finds a problem.
-#}
{% macro raise_on_config_problems() %}
{#- a unit test renders the model on fixtures (its ref()s are CTEs): it
    checks the problem rows, not the gate -#}
{%- if execute is defined and execute and model.resource_type != 'unit_test' %}
{#- seeds not loaded yet (e.g. `dbt compile` on an empty database): nothing
    to validate; building the model itself then fails on the missing seed -#}
{%- set seeds_loaded = [] %}
{%- set config_seeds = ['health_components', 'health_weights', 'health_metrics', 'health_bands', 'health_caps',
    'health_overrides', 'health_playbooks', 'segment_profiles', 'event_types'] %}
{%- for seed in config_seeds %}
{%- if load_relation(ref(seed)) is not none %}{% do seeds_loaded.append(seed) %}{% endif %}
{%- endfor %}
{%- set missing_columns = config_missing_column_lines() if seeds_loaded | length == config_seeds | length else [] %}
{%- if missing_columns %}
{{ exceptions.raise_compiler_error(
    "Invalid configuration seeds (" ~ missing_columns | length ~ " problem(s)); no score was built.\n"
    ~ missing_columns | join("\n")
    ~ "\nEdit the seed files, then rerun `dbt build` (see seeds/_seeds.yml for what each column means)."
) }}
{%- endif %}
{%- if seeds_loaded | length == config_seeds | length %}
{%- set result = run_query(
    "select seed_file, row_key, problem, fix from (" ~ config_validation_sql()
    ~ ") as problems order by seed_file, row_key, problem"
) %}
{%- if result.rows | length > 0 %}
{%- set lines = [] %}
{%- for row in result.rows %}
{%- do lines.append("  - " ~ row[0] ~ ", " ~ row[1] ~ ": " ~ row[2] ~ "; fix: " ~ row[3]) %}
{%- endfor %}
{{ exceptions.raise_compiler_error(
    "Invalid configuration seeds (" ~ result.rows | length ~ " problem(s)); no score was built.\n"
    ~ lines | join("\n")
    ~ "\nEdit the seed files, then rerun `dbt build` (see seeds/_seeds.yml for what each column means)."
) }}
{%- endif %}
{%- endif %}
{%- endif %}
{% endmacro %}
