{#-
    spark__try_cast(expression, data_type): try_cast for Spark. dbt-spark runs
    with ANSI mode off, where a plain cast already yields null for many bad
    values, but it is laxer than DuckDB's try_cast: '5.5' as integer
    truncates to 5, '2026' is a date (1 January), 'NaN' and 'inf' are doubles,
    '12d' is 12. So each kind of value is first checked against a regular
    expression inside a CASE (Java regex, written without backslashes so
    Spark's string-literal escaping cannot change it), then cast. The accepted
    text is the same as DuckDB's try_cast for every value the warehouse meets
    (as postgres__try_cast documents):
    - integer: decimal digits with optional sign, fraction of zeros and
      exponent ('5', '+5', '5.0', '1e3'); a fractional value ('5.5') or one
      out of the type's range is null.
    - floating point: the same forms with any fraction; NaN, Infinity and
      values beyond double range are null.
    - date: 'YYYY-MM-DD' (or '/' separators, one-digit month/day), optionally
      followed by a time that is ignored; an impossible day is null.
    - timestamp: a date as above, optionally 'T' or a space and
      H:MM[:SS[.f]], then optionally a zone (Z, +hh, +hh:mm, +hhmm or a zone
      name); a value with a zone is converted to UTC (the session time zone
      is UTC, profiles.yml). The result is Spark's timestamp.
    - boolean: true/false/t/f/yes/no/y/n/1/0, any case.
    - anything else: a plain cast.
-#}
{% macro spark__try_cast(expression, data_type) -%}
{%- set t = data_type | string | trim | lower -%}
{%- set kind = try_cast_kind(data_type) | trim -%}
{%- set x = '(' ~ expression ~ ')' -%}
{%- set number = '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$' -%}
{%- set day = '^[0-9]{4}[-/](0?[1-9]|1[0-2])[-/](0?[1-9]|[12][0-9]|3[01])' -%}
{%- set clock = '[T ]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?' -%}
{%- set zone = '[ ]*(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?|[A-Za-z][A-Za-z0-9_/+-]*)' -%}
{%- set dashed = "regexp_replace(" ~ x ~ ", '^([0-9]{4})/([0-9]{1,2})/', '$1-$2-')" -%}
{%- if kind == 'integer' -%}
    {%- set bound = {'smallint': '32767', 'int2': '32767', 'tinyint': '127'}.get(t, '9223372036854775807' if t in ['bigint', 'int8', 'int64', 'long'] else '2147483647') -%}
    {%- set n = 'cast(' ~ x ~ ' as decimal(38, 8))' -%}
    case
        when {{ x }} rlike '{{ number }}'
            then case
                when {{ n }} = floor({{ n }}) and abs({{ n }}) <= {{ bound }}
                    then cast({{ n }} as {{ spark_type_name(data_type) }})
            end
    end
{%- elif kind == 'float' -%}
    case
        when {{ x }} rlike '{{ number }}'
            then case
                when abs(cast({{ x }} as double)) <= 1.7976931348623157e308
                    then cast({{ x }} as {{ spark_type_name(data_type) }})
            end
    end
{%- elif t == 'date' -%}
    case
        when {{ x }} rlike '{{ day }}([T ].*)?$'
            then cast({{ dashed }} as date)
    end
{%- elif kind == 'timestamp' -%}
    case
        when {{ x }} rlike '{{ day }}({{ clock }}({{ zone }})?)?$'
            {#- Spark reads a zone name only after seconds: H:MM gets :00 -#}
            then cast(
                regexp_replace({{ dashed }}, '([T ][0-9]{1,2}:[0-9]{2})([^:0-9]|$)', '$1:00$2') as timestamp
            )
    end
{%- elif t in ['boolean', 'bool'] -%}
    case
        when lower({{ x }}) in ('true', 't', 'yes', 'y', '1') then true
        when lower({{ x }}) in ('false', 'f', 'no', 'n', '0') then false
    end
{%- else -%}
    cast({{ expression }} as {{ spark_type_name(data_type) }})
{%- endif -%}
{%- endmacro %}
