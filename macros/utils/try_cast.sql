{#-
    try_cast(expression, data_type): cast that yields null instead of failing
    when the value does not convert. `dbt.safe_cast` is a plain cast on DuckDB,
    so staging uses this macro to detect unparseable raw values.

    Staging passes trimmed text (clean_text), so the rules are about text:
    - timestamp: a value with a UTC offset or a zone name
      ('2026-03-10T23:30:00-05:00', '2026-03-10 10:00 America/New_York', '...Z')
      is converted to UTC; a value without one is taken as UTC (SPEC §1:
      timestamps are UTC). The result is a timestamp without time zone in UTC,
      whatever the session or machine time zone.
    - floating point: NaN and +-Infinity are not values (null, so the row is
      quarantined as unparseable_value).
    - integer: a value with a fractional part ('5.5') does not convert.
-#}
{% macro try_cast(expression, data_type) -%}
    {{ adapter.dispatch('try_cast', 'customer_health')(expression, data_type) }}
{%- endmacro %}

{#- the kind of a target type: timestamp, float, integer, date, boolean or other -#}
{% macro try_cast_kind(data_type) -%}
{%- set t = (data_type | string | trim | lower) -%}
{%- if t in ['timestamp', 'timestamp without time zone', 'datetime', 'timestamp_ntz'] -%}
timestamp
{%- elif t in ['double', 'double precision', 'float', 'float4', 'float8', 'real'] -%}
float
{%- elif t in ['int', 'integer', 'bigint', 'smallint', 'int4', 'int8', 'int64', 'int32'] -%}
integer
{%- elif t == 'date' -%}
date
{%- elif t in ['boolean', 'bool'] -%}
boolean
{%- else -%}
other
{%- endif -%}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    {#- engines without a non-failing cast: fall back to dbt's safe_cast -#}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{% macro duckdb__try_cast(expression, data_type) -%}
{%- set kind = try_cast_kind(data_type) -%}
{%- if kind == 'timestamp' -%}
    {#- a zone designator after the time: +hh, +hh:mm, +hhmm, Z or a zone name -#}
    case
        when regexp_matches(
            {{ expression }}, '\d:\d\d(:\d\d(\.\d*)?)?\s*([+-]\d\d(:?\d\d)?|[A-Za-z][A-Za-z0-9_/+-]*)$'
        )
            then timezone('UTC', try_cast({{ expression }} as timestamptz))
        else try_cast({{ expression }} as timestamp)
    end
{%- elif kind == 'float' -%}
    case
        when isfinite(try_cast({{ expression }} as double))
            then try_cast({{ expression }} as {{ data_type }})
    end
{%- elif kind == 'integer' -%}
    case
        when try_cast({{ expression }} as double) = floor(try_cast({{ expression }} as double))
            then try_cast({{ expression }} as {{ data_type }})
    end
{%- else -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endif -%}
{%- endmacro %}

{% macro snowflake__try_cast(expression, data_type) -%}
    try_cast(cast({{ expression }} as varchar) as {{ data_type }})
{%- endmacro %}
