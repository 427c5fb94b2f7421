-- Business rule: the unique_key_sample generic test (macros/tests) sees every
-- copy of a sampled key: with an empty hash prefix it samples every key and
-- finds each duplicated one; with a one-digit prefix it finds exactly the
-- duplicated keys whose hash starts with that digit. Returns the cases that
-- disagree with the expectation counted from the fixture itself.
with

digits as (
    select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
    union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
),

keys as (
    select tens.d * 10 + ones.d as n
    from digits as tens
    cross join digits as ones
),

fixture as (
    select cast(n as {{ dbt.type_string() }}) as key_value from keys
    union all
    select cast(n as {{ dbt.type_string() }}) as key_value from keys
    where n % 2 = 0
),

{{ generic_test_cases([
    ('every key sampled: 50 duplicated keys', 50, test_unique_key_sample(
        model='fixture', column_name='key_value', hash_prefix=''
    )),
    ('one sixteenth: the duplicated keys hashing to 0...',
        "(select count(distinct key_value) from fixture where cast(key_value as integer) % 2 = 0 and "
        ~ dbt.hash('key_value') ~ " like '0%')",
        test_unique_key_sample(model='fixture', column_name='key_value')),
    ('a composite key sampled by one column: 50 duplicated pairs', 50, test_unique_key_sample(
        model='(select key_value, 1 as part from fixture) as fixture_pairs',
        combination_of_columns=['part', 'key_value'], sample_column='key_value', hash_prefix=''
    )),
    ('distinct keys pass', 0, test_unique_key_sample(
        model='(select distinct key_value from fixture) as distinct_keys', column_name='key_value', hash_prefix=''
    )),
]) }}
