{#-
    postgres__try_cast(expression, data_type): try_cast for Postgres (15 has no
    non-failing cast and no pg_input_is_valid), in plain SQL so nothing has to
    be installed on the server. Each kind of value is checked against a
    regular expression (and, for dates, the length of the month) inside a CASE
    before the real cast, so a value that does not convert gives null instead
    of failing the build. CASE evaluates its branches lazily (also when
    Postgres folds a constant), so the cast only ever sees valid text.

    The accepted text is the same as DuckDB's try_cast for every value the
    warehouse meets (docs/engines.md):
    - integer: decimal digits with optional sign, fraction of zeros and
      exponent ('5', '+5', '5.0', '1e3'); a fractional value ('5.5') or one out
      of the type's range is null.
    - floating point: the same forms with any fraction ('.5', '12.5',
      '1.5e-3'); NaN, Infinity and values beyond double range are null.
    - date: 'YYYY-MM-DD' (or '/' separators, one-digit month/day), optionally
      followed by a time that is ignored; an impossible day ('2026-02-30') is
      null.
    - timestamp: a date as above, then 'T' or a space and H:MM[:SS[.f]], then
      optionally a zone: Z, +hh, +hh:mm, +hhmm or a zone name or abbreviation
      Postgres knows ('America/New_York', 'UTC'); a value with a zone is
      converted to UTC. A date alone is midnight.
    - boolean: true/false/t/f/yes/no/y/n/1/0, any case.
    - anything else: a plain cast.
-#}
{% macro postgres__try_cast(expression, data_type) -%}
{%- set kind = try_cast_kind(data_type) -%}
{#- through text, so a literal is not converted while the query is parsed (before CASE can guard it) -#}
{%- set x = 'cast(' ~ expression ~ ' as text)' -%}
{%- if kind == 'integer' -%}
    {%- set t = (data_type | string | trim | lower) -%}
    {%- set bound = {'smallint': '32767', 'int2': '32767'}.get(t, '9223372036854775807' if t in ['bigint', 'int8', 'int64'] else '2147483647') -%}
    case
        when {{ x }} ~ '{{ pg_number_pattern() }}'
            then case
                when
                    cast({{ x }} as numeric) = trunc(cast({{ x }} as numeric))
                    and abs(cast({{ x }} as numeric)) <= {{ bound }}
                    then cast(cast({{ x }} as numeric) as {{ data_type }})
            end
    end
{%- elif kind == 'float' -%}
    case
        when {{ x }} ~ '{{ pg_number_pattern() }}'
            then case
                when abs(cast({{ x }} as numeric)) < 1.7976931348623157e308
                    then cast(cast({{ x }} as numeric) as {{ data_type }})
            end
    end
{%- elif kind == 'date' -%}
    case
        when {{ x }} ~ '{{ pg_date_pattern() }}([T ].*)?$'
            then {{ pg_valid_date(x) }}
    end
{%- elif kind == 'timestamp' -%}
    {%- set time_part = "substring(" ~ x ~ " from '^[^T ]+[T ]([0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)')" -%}
    {%- set zone_part = "substring(" ~ x ~ " from '[0-9]\\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?|[A-Za-z][A-Za-z0-9_/+-]*)$')" -%}
    {%- set local_ts = "(" ~ pg_valid_date(x) ~ " + coalesce(cast(" ~ time_part ~ " as time), time '00:00')" ~ ")" -%}
    case
        when {{ x }} ~ '{{ pg_date_pattern() }}$'
            then cast({{ pg_valid_date(x) }} as timestamp)
        when {{ x }} ~ '{{ pg_date_pattern() }}[T ]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$'
            then {{ local_ts }}
        when {{ x }} ~ '{{ pg_date_pattern() }}[T ]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?\s*(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$'
            then {{ local_ts }} - case
                when {{ zone_part }} = 'Z' then interval '0 minutes'
                else (case when left({{ zone_part }}, 1) = '-' then -1 else 1 end)
                    * (
                        cast(substr({{ zone_part }}, 2, 2) as integer) * interval '1 hour'
                        + coalesce(cast(nullif(right(replace({{ zone_part }}, ':', ''), -3), '') as integer), 0)
                        * interval '1 minute'
                    )
            end
        when {{ x }} ~ '{{ pg_date_pattern() }}[T ]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?\s*[A-Za-z][A-Za-z0-9_/+-]*$'
            and lower({{ zone_part }}) in (
                select lower(pg_timezone_names.name) from pg_timezone_names
                union all
                select lower(pg_timezone_abbrevs.abbrev) from pg_timezone_abbrevs
            )
            then ({{ local_ts }} at time zone {{ zone_part }}) at time zone 'UTC'
    end
{%- elif kind == 'boolean' -%}
    case
        when lower({{ x }}) in ('true', 't', 'yes', 'y', '1') then true
        when lower({{ x }}) in ('false', 'f', 'no', 'n', '0') then false
    end
{%- else -%}
    cast({{ expression }} as {{ data_type }})
{%- endif -%}
{%- endmacro %}

{#- a decimal number: sign, digits with an optional fraction, optional exponent (at most 3 digits) -#}
{% macro pg_number_pattern() -%}
^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$
{%- endmacro %}

{#- the start of a date: year, month 1-12, day 1-31 ('-' or '/' separators) -#}
{% macro pg_date_pattern() -%}
^[0-9]{4}([-/])(0?[1-9]|1[0-2])\1(0?[1-9]|[12][0-9]|3[01])
{%- endmacro %}

{#-
    pg_valid_date(x): the date at the start of text x that matched
    pg_date_pattern(), or null when the day does not exist in that month
    (the month's last day is computed from its first, which always exists).
-#}
{% macro pg_valid_date(x) -%}
{%- set y = "cast(substring(" ~ x ~ " from '^([0-9]{4})') as integer)" -%}
{%- set m = "cast(substring(" ~ x ~ " from '^[0-9]{4}[-/]([0-9]{1,2})') as integer)" -%}
{%- set d = "cast(substring(" ~ x ~ " from '^[0-9]{4}[-/][0-9]{1,2}[-/]([0-9]{1,2})') as integer)" -%}
case
    when {{ d }} <= extract(day from make_date({{ y }}, {{ m }}, 1) + interval '1 month' - interval '1 day')
        then make_date({{ y }}, {{ m }}, {{ d }})
end
{%- endmacro %}
