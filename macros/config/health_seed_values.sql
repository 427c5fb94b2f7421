{#-
    health_seed_values(seed, column, order_by, where): the values of one
    column of a config seed as a list, read from the loaded seed when dbt
    executes (none while parsing, under sqlfluff, in a unit test or before
    the seed is loaded: callers then use their parse-time fallback).
    The seed relation is found in the graph (not with ref()), so a caller
    needs no fixture for the seed in its unit tests; a model that uses the
    values must still be downstream of the seed (its config models depend on
    stg_config__validation, which reads every seed).
    Values are trimmed and lower-cased, like config_seed_select().
-#}
{% macro health_seed_values(seed, column, order_by=none, where=none) %}
{%- if not (execute is defined and execute) or model.resource_type == 'unit_test' %}
{{- return(none) }}
{%- endif %}
{%- set node = graph.nodes.get('seed.' ~ project_name ~ '.' ~ seed) %}
{%- if node is none %}{{ return(none) }}{% endif %}
{%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) %}
{%- if relation is none %}{{ return(none) }}{% endif %}
{%- set result = run_query(
    "select lower(trim(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "))) as seed_value from " ~ relation
    ~ (" where " ~ where if where else "")
    ~ " order by " ~ (order_by ~ ", " if order_by else "") ~ "1"
) %}
{%- set values = [] %}
{%- for row in result.rows %}
{%- if row[0] is not none and row[0] not in values %}{% do values.append(row[0]) %}{% endif %}
{%- endfor %}
{{- return(values) }}
{% endmacro %}
