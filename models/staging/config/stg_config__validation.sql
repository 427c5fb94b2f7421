{{ config(materialized='table') }}
-- Gate for every configuration seed (SPEC §1 "Bad input", §2). When dbt
-- executes this model it runs all checks of macros/staging/config_validation.sql
-- and, if any finds a problem, fails the build with one line per problem
-- naming the seed file, the row (by its key), the problem and the fix. Every
-- stg_config__* model depends on it, so no score is built from invalid config.
-- On success the table is empty: (check_name, seed_file, row_key, problem, fix).
{{ raise_on_config_problems() }}
with

problems as (
    {{ config_validation_sql() }}
),

final as (
    select
        check_name,
        seed_file,
        row_key,
        problem,
        fix
    from problems
)

select * from final
