-- noqa: disable=LT02
{#-
    config_check: one named configuration check (see
    macros/staging/config_validation.sql) as a data test, so CI lists every
    check by name. Returns one row per problem: check_name, seed_file,
    row_key, problem, fix. The build gate itself is stg_config__validation.
-#}
{% test config_check(model, check) %}
{{ config_check_sql(check) }}
{% endtest %}
