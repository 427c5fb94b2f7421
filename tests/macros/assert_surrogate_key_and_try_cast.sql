-- Business rule: keys and casts in staging are trustworthy.
-- health_surrogate_key is deterministic and null-safe ((a, null) differs from
-- (null, a) and from (a, ''), and 'ab'|'c' differs from 'a'|'bc'); try_cast
-- returns null for a value that does not parse instead of failing the build.
-- Returns the cases that do not hold.
with

fixture as (
    select
        {{ health_surrogate_key(["'a'", "cast(null as " ~ dbt.type_string() ~ ")"]) }} as key_a_null,
        {{ health_surrogate_key(["cast(null as " ~ dbt.type_string() ~ ")", "'a'"]) }} as key_null_a,
        {{ health_surrogate_key(["'a'", "''"]) }} as key_a_empty,
        {{ health_surrogate_key(["'ab'", "'c'"]) }} as key_ab_c,
        {{ health_surrogate_key(["'a'", "'bc'"]) }} as key_a_bc,
        {{ health_surrogate_key(["'a'", "cast(null as " ~ dbt.type_string() ~ ")"]) }} as key_a_null_again,
        {{ try_cast("'12.5'", type_double()) }} as parsed_double,
        {{ try_cast("'lots'", dbt.type_int()) }} as unparsed_int,
        {{ try_cast("'2026-02-30'", 'date') }} as unparsed_date,
        {{ try_cast("'2026-02-28'", 'date') }} as parsed_date,
        {{ try_cast("'5.5'", dbt.type_int()) }} as fractional_int,
        {{ try_cast("'1e3'", dbt.type_int()) }} as exponent_int,
        {{ try_cast("'NaN'", type_double()) }} as nan_double,
        {{ try_cast("'2024-03-10T23:30:00-05:00'", dbt.type_timestamp()) }} as offset_timestamp,
        {{ try_cast("'2024-03-10 08:00:00 Asia/Tokyo'", dbt.type_timestamp()) }} as zoned_timestamp,
        {{ try_cast("'13/11/2024 10:00'", dbt.type_timestamp()) }} as unparsed_timestamp,
        {{ try_cast("'yes'", dbt.type_boolean()) }} as parsed_boolean,
        {{ try_cast("'maybe'", dbt.type_boolean()) }} as unparsed_boolean
),

cases as (
    select 'null position matters' as case_name, key_a_null != key_null_a as holds from fixture
    union all
    select 'null differs from empty string', key_a_null != key_a_empty from fixture
    union all
    select 'separator keeps columns apart', key_ab_c != key_a_bc from fixture
    union all
    select 'deterministic', key_a_null = key_a_null_again from fixture
    union all
    select 'not null', key_a_null is not null from fixture
    union all
    select 'try_cast parses a double', parsed_double = 12.5 from fixture
    union all
    select 'try_cast gives null for text as integer', unparsed_int is null from fixture
    union all
    select 'try_cast gives null for an impossible date', unparsed_date is null from fixture
    union all
    select 'try_cast parses a date', parsed_date = cast('2026-02-28' as date) from fixture
    union all
    select 'try_cast gives null for a fractional integer', fractional_int is null from fixture
    union all
    select 'try_cast reads an exponent as an integer', exponent_int = 1000 from fixture
    union all
    select 'try_cast gives null for NaN', nan_double is null from fixture
    union all
    select 'try_cast converts a UTC offset', offset_timestamp = cast('2024-03-11 04:30:00' as {{ dbt.type_timestamp() }})
    from fixture
    union all
    select 'try_cast converts a zone name', zoned_timestamp = cast('2024-03-09 23:00:00' as {{ dbt.type_timestamp() }})
    from fixture
    union all
    select 'try_cast gives null for a day-first timestamp', unparsed_timestamp is null from fixture
    union all
    select 'try_cast parses a boolean', parsed_boolean from fixture
    union all
    select 'try_cast gives null for text as boolean', unparsed_boolean is null from fixture
)

select * from cases
where not coalesce(holds, false)
