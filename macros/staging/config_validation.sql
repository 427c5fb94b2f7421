-- noqa: disable=LT02
{#-
    Validation of the configuration seeds (SPEC §1 "Bad input", §2).

    config_seed_select(seed)  the seed with trimmed / lower-cased keys; used by
                              the stg_config__* models AND by the checks, so
                              both see the same values.
    config_check_names()      comma-separated names of every check.
    config_check_sql(check)   one check: a select of (check_name, seed_file,
                              row_key, problem, fix), one row per problem.
    config_validation_sql()   every check, union all.
    raise_on_config_problems() runs config_validation_sql() (when dbt
                              executes) and fails the build with one readable
                              line per problem: file, row, problem, fix.
    Components are fixed by the spec: usage, value, billing, support, sentiment.
-#}

{% macro config_components_sql() -%}
'usage', 'value', 'billing', 'support', 'sentiment'
{%- endmacro %}

{% macro config_seed_select(seed) %}
{%- if seed == 'health_weights' %}
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

{% macro config_check_names() -%}
weights_sum_to_one,weights_known_components,weights_valid_values,weights_unique,weights_required_profiles,
metrics_known_components,metrics_valid_direction,metrics_low_differs_from_high,metrics_valid_threshold_type,metrics_valid_weight,metrics_unique,
metrics_cover_weighted_components,
bands_cover_0_to_100,bands_valid_values,bands_unique,
caps_known_metric,caps_valid_operator,caps_valid_values,caps_unique,
overrides_have_expiry,overrides_cap_or_floor,overrides_valid_values,overrides_unique,
playbooks_known_components,playbooks_unique,playbooks_cover_components,
segment_profiles_known_profile,segment_profiles_unique,
event_types_known_category,event_types_unique
{%- endmacro %}

{#- text of a value for messages -#}
{% macro cfg_txt(expression) -%}
coalesce(cast({{ expression }} as {{ dbt.type_string() }}), 'null')
{%- endmacro %}

{#- the common output columns of a check -#}
{% macro cfg_row(check, seed, row_key, problem, fix) -%}
    cast('{{ check }}' as {{ dbt.type_string() }}) as check_name,
    cast('seeds/{{ seed }}.csv' as {{ dbt.type_string() }}) as seed_file,
    cast({{ row_key }} as {{ dbt.type_string() }}) as row_key,
    cast({{ problem }} as {{ dbt.type_string() }}) as problem,
    cast({{ fix }} as {{ dbt.type_string() }}) as fix
{%- endmacro %}

{% macro config_check_sql(check) %}
{%- set components = config_components_sql() %}
{%- if check == 'weights_sum_to_one' %}
select
    {{ cfg_row(check, 'health_weights',
        dbt.concat(["'profile '''", cfg_txt('profile'), "''''"]),
        dbt.concat(["'weights sum to '", cfg_txt('round(total_weight * 10000) / 10000')]),
        dbt.concat(["'make the component weights of '''", cfg_txt('profile'), "''' add up to 1.00'"])) }}
from (
    select profile, sum(weight) as total_weight
    from ({{ config_seed_select('health_weights') }}) as seed_rows
    group by profile
) as profiles
where abs(total_weight - 1.0) > 0.0001 or total_weight is null
{%- elif check == 'weights_known_components' %}
select
    {{ cfg_row(check, 'health_weights',
        dbt.concat(["'profile '''", cfg_txt('profile'), "''', component '''", cfg_txt('component'), "''''"]),
        dbt.concat(["'unknown component '''", cfg_txt('component'), "''''"]),
        "'use one of usage, value, billing, support, sentiment'") }}
from ({{ config_seed_select('health_weights') }}) as seed_rows
where component is null or component not in ({{ components }})
{%- elif check == 'weights_valid_values' %}
select
    {{ cfg_row(check, 'health_weights',
        dbt.concat(["'profile '''", cfg_txt('profile'), "''', component '''", cfg_txt('component'), "''''"]),
        dbt.concat(["'weight '", cfg_txt('weight'), "' is missing or outside 0..1, or the profile is blank'"]),
        "'give every row a profile name and a weight between 0 and 1'") }}
from ({{ config_seed_select('health_weights') }}) as seed_rows
where profile is null or weight is null or weight < 0 or weight > 1
{%- elif check == 'weights_unique' %}
select
    {{ cfg_row(check, 'health_weights',
        dbt.concat(["'profile '''", cfg_txt('profile'), "''', component '''", cfg_txt('component'), "''''"]),
        dbt.concat(["'listed '", cfg_txt('n_rows'), "' times'"]),
        "'keep one row per profile and component'") }}
from (
    select profile, component, count(*) as n_rows
    from ({{ config_seed_select('health_weights') }}) as seed_rows
    group by profile, component
    having count(*) > 1
) as duplicates
{%- elif check == 'weights_required_profiles' %}
select
    {{ cfg_row(check, 'health_weights',
        dbt.concat(["'profile '''", 'required.profile', "''''"]),
        "'required profile is missing'",
        dbt.concat(["'add the five component weights of profile '''", 'required.profile', "''''"])) }}
from (
    select 'default' as profile
    union all
    select 'renewal' as profile
) as required
left join (
    select distinct profile
    from ({{ config_seed_select('health_weights') }}) as seed_rows
) as present
    on required.profile = present.profile
where present.profile is null
{%- elif check == 'metrics_known_components' %}
select
    {{ cfg_row(check, 'health_metrics',
        dbt.concat(["'metric '''", cfg_txt('metric'), "''''"]),
        dbt.concat(["'unknown component '''", cfg_txt('component'), "''''"]),
        "'use one of usage, value, billing, support, sentiment'") }}
from ({{ config_seed_select('health_metrics') }}) as seed_rows
where component is null or component not in ({{ components }})
{%- elif check == 'metrics_valid_direction' %}
select
    {{ cfg_row(check, 'health_metrics',
        dbt.concat(["'metric '''", cfg_txt('metric'), "''''"]),
        dbt.concat(["'unknown direction '''", cfg_txt('direction'), "''''"]),
        "'use higher_is_better or lower_is_better'") }}
from ({{ config_seed_select('health_metrics') }}) as seed_rows
where direction is null or direction not in ('higher_is_better', 'lower_is_better')
{%- elif check == 'metrics_low_differs_from_high' %}
select
    {{ cfg_row(check, 'health_metrics',
        dbt.concat(["'metric '''", cfg_txt('metric'), "''''"]),
        dbt.concat(["'low '", cfg_txt('low'), "' and high '", cfg_txt('high'), "' must both be set and differ'"]),
        "'set low to the value scoring 0 and high to the value scoring 1 (low < high; direction says which end is good)'") }}
from ({{ config_seed_select('health_metrics') }}) as seed_rows
where low is null or high is null or low >= high
{%- elif check == 'metrics_valid_threshold_type' %}
select
    {{ cfg_row(check, 'health_metrics',
        dbt.concat(["'metric '''", cfg_txt('metric'), "''''"]),
        dbt.concat(["'threshold_type '''", cfg_txt('threshold_type'), "''' with low '", cfg_txt('low'), "' and high '", cfg_txt('high'), "' is not valid'"]),
        "'use threshold_type absolute (low/high in the metric unit) or percentile (low/high percentile levels between 0 and 100)'") }}
from ({{ config_seed_select('health_metrics') }}) as seed_rows
where
    threshold_type not in ('absolute', 'percentile')
    or (threshold_type = 'percentile' and (low < 0 or high > 100))
{%- elif check == 'metrics_valid_weight' %}
select
    {{ cfg_row(check, 'health_metrics',
        dbt.concat(["'metric '''", cfg_txt('metric'), "''''"]),
        dbt.concat(["'weight '", cfg_txt('weight'), "' is missing or negative'"]),
        "'give the metric a weight >= 0 within its component'") }}
from ({{ config_seed_select('health_metrics') }}) as seed_rows
where weight is null or weight < 0
{%- elif check == 'metrics_unique' %}
select
    {{ cfg_row(check, 'health_metrics',
        dbt.concat(["'metric '''", cfg_txt('metric'), "''''"]),
        dbt.concat(["'listed '", cfg_txt('n_rows'), "' times (or blank)'"]),
        "'keep one row per metric, with a name'") }}
from (
    select metric, count(*) as n_rows
    from ({{ config_seed_select('health_metrics') }}) as seed_rows
    group by metric
    having count(*) > 1 or metric is null
) as duplicates
{%- elif check == 'metrics_cover_weighted_components' %}
select
    {{ cfg_row(check, 'health_metrics',
        dbt.concat(["'component '''", 'weighted.component', "''''"]),
        "'the component has weight in health_weights but no metric with weight > 0'",
        dbt.concat(["'add a metric for '''", 'weighted.component', "''' or set its weights to 0'"])) }}
from (
    select distinct component
    from ({{ config_seed_select('health_weights') }}) as seed_rows
    where weight > 0 and component in ({{ components }})
) as weighted
left join (
    select distinct component
    from ({{ config_seed_select('health_metrics') }}) as seed_rows
    where weight > 0
) as measured
    on weighted.component = measured.component
where measured.component is null
{%- elif check == 'bands_cover_0_to_100' %}
select
    {{ cfg_row(check, 'health_bands',
        dbt.concat(["'band '''", cfg_txt('band'), "''''"]),
        dbt.concat([
            "'['", cfg_txt('min_score'), "', '", cfg_txt('max_score'), "') '",
            "case when previous_max is null and min_score != 0 then 'does not start at 0'"
            ~ " when previous_max is not null and min_score > previous_max then 'leaves a gap after the previous band'"
            ~ " when previous_max is not null and min_score < previous_max then 'overlaps the previous band'"
            ~ " when next_min is null and max_score != 100 then 'does not end at 100'"
            ~ " else 'is empty or inverted (min_score >= max_score)' end",
        ]),
        "'make the bands tile 0-100: the lowest starts at 0, each min_score equals the previous max_score, the top ends at 100'") }}
from (
    select
        band,
        min_score,
        max_score,
        lag(max_score) over (order by min_score, max_score, band) as previous_max,
        lead(min_score) over (order by min_score, max_score, band) as next_min
    from ({{ config_seed_select('health_bands') }}) as seed_rows
) as ordered
where
    min_score is null
    or max_score is null
    or min_score >= max_score
    or (previous_max is null and min_score != 0)
    or (previous_max is not null and min_score != previous_max)
    or (next_min is null and max_score != 100)
union all
select
    {{ cfg_row(check, 'health_bands', "'(all rows)'", "'no band is defined'",
        "'add bands covering 0-100, e.g. at_risk [0,40), watch [40,70), healthy [70,100]'") }}
from (select count(*) as n_rows from ({{ config_seed_select('health_bands') }}) as seed_rows) as counted
where n_rows = 0
{%- elif check == 'bands_valid_values' %}
select
    {{ cfg_row(check, 'health_bands',
        dbt.concat(["'band '''", cfg_txt('band'), "''''"]),
        dbt.concat([
            "'rank '", cfg_txt('rank'), "' must be set and rise with min_score (rank 1 = lowest band), and the band needs a name'",
        ]),
        "'number the bands 1, 2, 3 ... from the lowest score band up'") }}
from (
    select
        band,
        rank,
        row_number() over (order by min_score, max_score, band) as score_order,
        row_number() over (order by rank, min_score, band) as rank_order
    from ({{ config_seed_select('health_bands') }}) as seed_rows
) as ordered
where band is null or rank is null or score_order != rank_order
{%- elif check == 'bands_unique' %}
select
    {{ cfg_row(check, 'health_bands',
        dbt.concat(["'band '''", cfg_txt('band'), "''''"]),
        "'band name or rank is used more than once'",
        "'give every band its own name and rank'") }}
from (
    select
        band,
        count(*) over (partition by band) as n_band,
        count(*) over (partition by rank) as n_rank
    from ({{ config_seed_select('health_bands') }}) as seed_rows
) as counted
where n_band > 1 or n_rank > 1
{%- elif check == 'caps_known_metric' %}
select
    {{ cfg_row(check, 'health_caps',
        dbt.concat(["'rule '''", cfg_txt('caps.rule'), "''''"]),
        dbt.concat(["'unknown metric '''", cfg_txt('caps.metric'), "''''"]),
        "'use a metric listed in seeds/health_metrics.csv or computed by the metrics layer (macros/metrics/metrics_catalogue.sql)'") }}
from ({{ config_seed_select('health_caps') }}) as caps
left join ({{ config_seed_select('health_metrics') }}) as metrics
    on caps.metric = metrics.metric
-- a cap reads the metric's value, not its subscore: a metric the metrics layer
-- computes may be a cap without being scored (weight) in the catalogue
where
    metrics.metric is null
    {#- sqlfluff's templater cannot reach another file's macro: there, the list is empty #}
    {%- set computed_metrics = metrics_catalogue() if metrics_catalogue is defined else '' %}
    and caps.metric not in ('{{ computed_metrics.split(',') | map('trim') | join("', '") }}')
{%- elif check == 'caps_valid_operator' %}
select
    {{ cfg_row(check, 'health_caps',
        dbt.concat(["'rule '''", cfg_txt('rule'), "''''"]),
        dbt.concat(["'unknown operator '''", cfg_txt('operator'), "''''"]),
        "'use one of >=, >, <=, <, ='") }}
from ({{ config_seed_select('health_caps') }}) as seed_rows
where operator is null or operator not in ('>=', '>', '<=', '<', '=')
{%- elif check == 'caps_valid_values' %}
select
    {{ cfg_row(check, 'health_caps',
        dbt.concat(["'rule '''", cfg_txt('rule'), "''''"]),
        dbt.concat(["'threshold '", cfg_txt('threshold'), "' must be set and cap '", cfg_txt('cap'), "' within 0..100'"]),
        "'set a threshold and a cap between 0 and 100'") }}
from ({{ config_seed_select('health_caps') }}) as seed_rows
where threshold is null or cap is null or cap < 0 or cap > 100
{%- elif check == 'caps_unique' %}
select
    {{ cfg_row(check, 'health_caps',
        dbt.concat(["'rule '''", cfg_txt('rule'), "''''"]),
        dbt.concat(["'listed '", cfg_txt('n_rows'), "' times (or blank)'"]),
        "'give every cap rule its own name'") }}
from (
    select rule, count(*) as n_rows
    from ({{ config_seed_select('health_caps') }}) as seed_rows
    group by rule
    having count(*) > 1 or rule is null
) as duplicates
{%- elif check == 'overrides_have_expiry' %}
select
    {{ cfg_row(check, 'health_overrides',
        dbt.concat(["'account_id '''", cfg_txt('account_id'), "''', valid_from '", cfg_txt('valid_from')]),
        "'override has no expires_on'",
        "'set expires_on: an override without an expiry is rejected'") }}
from ({{ config_seed_select('health_overrides') }}) as seed_rows
where expires_on is null
{%- elif check == 'overrides_cap_or_floor' %}
select
    {{ cfg_row(check, 'health_overrides',
        dbt.concat(["'account_id '''", cfg_txt('account_id'), "''', valid_from '", cfg_txt('valid_from')]),
        "case when score_cap is null then 'override sets neither score_cap nor score_floor'"
        ~ " else 'override sets both score_cap and score_floor' end",
        "'set exactly one of score_cap (lowers the score) or score_floor (raises it)'") }}
from ({{ config_seed_select('health_overrides') }}) as seed_rows
where (score_cap is null and score_floor is null) or (score_cap is not null and score_floor is not null)
{%- elif check == 'overrides_valid_values' %}
select
    {{ cfg_row(check, 'health_overrides',
        dbt.concat(["'account_id '''", cfg_txt('account_id'), "''', valid_from '", cfg_txt('valid_from')]),
        "'needs an account_id, a reason, valid_from <= expires_on and a cap/floor within 0..100'",
        "'fill account_id, reason and valid_from, keep valid_from <= expires_on and the cap/floor between 0 and 100'") }}
from ({{ config_seed_select('health_overrides') }}) as seed_rows
where
    account_id is null
    or reason is null
    or valid_from is null
    or valid_from > expires_on
    or score_cap < 0 or score_cap > 100
    or score_floor < 0 or score_floor > 100
{%- elif check == 'overrides_unique' %}
select
    {{ cfg_row(check, 'health_overrides',
        dbt.concat(["'account_id '''", cfg_txt('account_id'), "''', valid_from '", cfg_txt('valid_from')]),
        dbt.concat(["'listed '", cfg_txt('n_rows'), "' times'"]),
        "'keep one override per account and valid_from'") }}
from (
    select account_id, valid_from, count(*) as n_rows
    from ({{ config_seed_select('health_overrides') }}) as seed_rows
    group by account_id, valid_from
    having count(*) > 1
) as duplicates
{%- elif check == 'playbooks_known_components' %}
select
    {{ cfg_row(check, 'health_playbooks',
        dbt.concat(["'component '''", cfg_txt('component'), "''''"]),
        "'unknown component'",
        "'use one of usage, value, billing, support, sentiment'") }}
from ({{ config_seed_select('health_playbooks') }}) as seed_rows
where component is null or component not in ({{ components }})
{%- elif check == 'playbooks_unique' %}
select
    {{ cfg_row(check, 'health_playbooks',
        dbt.concat(["'component '''", cfg_txt('component'), "''''"]),
        dbt.concat(["'listed '", cfg_txt('n_rows'), "' times'"]),
        "'keep one playbook per component'") }}
from (
    select component, count(*) as n_rows
    from ({{ config_seed_select('health_playbooks') }}) as seed_rows
    group by component
    having count(*) > 1
) as duplicates
{%- elif check == 'playbooks_cover_components' %}
select
    {{ cfg_row(check, 'health_playbooks',
        dbt.concat(["'component '''", 'components.component', "''''"]),
        "'component has no playbook'",
        dbt.concat(["'add a row for '''", 'components.component', "''' with a playbook and an owner_role'"])) }}
from (
    {%- for component in ['usage', 'value', 'billing', 'support', 'sentiment'] %}
    select '{{ component }}' as component{{ " union all" if not loop.last }}
    {%- endfor %}
) as components
left join (
    select component
    from ({{ config_seed_select('health_playbooks') }}) as seed_rows
    where playbook is not null
) as playbooks
    on components.component = playbooks.component
where playbooks.component is null
{%- elif check == 'segment_profiles_known_profile' %}
select
    {{ cfg_row(check, 'segment_profiles',
        dbt.concat(["'segment '''", cfg_txt('segments.segment'), "''''"]),
        dbt.concat(["'profile '''", cfg_txt('segments.profile'), "''' is not in seeds/health_weights.csv'"]),
        dbt.concat(["'add profile '''", cfg_txt('segments.profile'), "''' to seeds/health_weights.csv or map the segment to an existing profile'"])) }}
from ({{ config_seed_select('segment_profiles') }}) as segments
left join (
    select distinct profile
    from ({{ config_seed_select('health_weights') }}) as seed_rows
) as weights
    on segments.profile = weights.profile
where weights.profile is null
{%- elif check == 'segment_profiles_unique' %}
select
    {{ cfg_row(check, 'segment_profiles',
        dbt.concat(["'segment '''", cfg_txt('segment'), "''''"]),
        dbt.concat(["'listed '", cfg_txt('n_rows'), "' times (or blank)'"]),
        "'map every segment to exactly one profile'") }}
from (
    select segment, count(*) as n_rows
    from ({{ config_seed_select('segment_profiles') }}) as seed_rows
    group by segment
    having count(*) > 1 or segment is null
) as duplicates
{%- elif check == 'event_types_known_category' %}
select
    {{ cfg_row(check, 'event_types',
        dbt.concat(["'event_type '''", cfg_txt('event_type'), "''''"]),
        dbt.concat(["'unknown category '''", cfg_txt('category'), "''''"]),
        "'use one of login, core_action, value_event, integration, negative, other'") }}
from ({{ config_seed_select('event_types') }}) as seed_rows
where category is null or category not in ('login', 'core_action', 'value_event', 'integration', 'negative', 'other')
{%- elif check == 'event_types_unique' %}
select
    {{ cfg_row(check, 'event_types',
        dbt.concat(["'event_type '''", cfg_txt('event_type'), "''''"]),
        dbt.concat(["'listed '", cfg_txt('n_rows'), "' times (or blank)'"]),
        "'keep one row per event_type'") }}
from (
    select event_type, count(*) as n_rows
    from ({{ config_seed_select('event_types') }}) as seed_rows
    group by event_type
    having count(*) > 1 or event_type is null
) as duplicates
{%- else %}
{{ exceptions.raise_compiler_error("config_check_sql: unknown check '" ~ check ~ "'") }}
{%- endif %}
{% endmacro %}

{% macro config_validation_sql() %}
{%- set checks = config_check_names() | replace("\n", "") | trim %}
{%- for check in checks.split(',') %}
select * from (
{{ config_check_sql(check | trim) }}
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
{%- for seed in ['health_weights', 'health_metrics', 'health_bands', 'health_caps', 'health_overrides',
    'health_playbooks', 'segment_profiles', 'event_types'] %}
{%- if load_relation(ref(seed)) is not none %}{% do seeds_loaded.append(seed) %}{% endif %}
{%- endfor %}
{%- set missing_columns = config_missing_column_lines() if seeds_loaded | length == 8 else [] %}
{%- if missing_columns %}
{{ exceptions.raise_compiler_error(
    "Invalid configuration seeds (" ~ missing_columns | length ~ " problem(s)); no score was built.\n"
    ~ missing_columns | join("\n")
    ~ "\nEdit the seed files, then rerun `dbt build` (see seeds/_seeds.yml for what each column means)."
) }}
{%- endif %}
{%- if seeds_loaded | length == 8 %}
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
