{#-
    Spark (dbt-spark) variants of the project's portable building blocks and
    of dbt's own dispatched macros (namespace dbt, found first in this project
    through the `dispatch` search order of dbt_project.yml). Models stay
    engine-neutral; what Spark spells differently lives here
    (docs/engines.md).
-#}

{#-
    spark_type_name(data_type): Spark's name for a type written the DuckDB /
    ANSI way. Spark has no `varchar` without a length (and no `text`), no
    `double precision`, no `hugeint`; `string` is its text type.
-#}
{% macro spark_type_name(data_type) -%}
    {%- set t = data_type | string | trim | lower -%}
    {%- set names = {
        'varchar': 'string',
        'text': 'string',
        'character varying': 'string',
        'double precision': 'double',
        'float8': 'double',
        'float4': 'float',
        'real': 'float',
        'hugeint': 'decimal(38, 0)',
        'int4': 'int',
        'int8': 'bigint',
        'timestamp without time zone': 'timestamp',
        'timestamptz': 'timestamp',
        'timestamp with time zone': 'timestamp',
        'bool': 'boolean',
    } -%}
    {%- if t in names -%}
        {{- names[t] -}}
    {%- elif modules.re.match('^(varchar|character varying)\\s*\\(\\s*\\d+\\s*\\)$', t) -%}
        {#- a length is a limit Spark would check on write only; text is text -#}
        string
    {%- else -%}
        {{- data_type -}}
    {%- endif -%}
{%- endmacro %}

{#- the contract's type names, as portable_type_name (macros/utils/portable.sql) asks -#}
{% macro spark__portable_type_name(data_type) -%}
    {{- spark_type_name(data_type) -}}
{%- endmacro %}

{#-
    dbt's cast on Spark: dbt checks a contract by casting null to each declared
    data_type (get_empty_schema_sql), and unit-test fixtures cast their values
    the same way, so the contract's `varchar` must become `string` here.
-#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type_name(type) }})
{%- endmacro %}

{#-
    dbt.listagg on Spark with its order_by_clause honoured (dbt-spark's own
    variant ignores it, so e.g. override_reason came out in any order).
    Values are collected with their sort keys, sorted by a comparator that
    follows each key's direction (asc by default) with nulls last (DuckDB's
    default), ties broken by the value itself; null values are skipped and a
    group with no value gives null, as string_agg does.
-#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set keys = [] -%}
    {%- if order_by_clause -%}
        {%- set clause = modules.re.sub('(?i)^\\s*order\\s+by\\s+', '', order_by_clause) -%}
        {%- for part in spark_split_top_level(clause) -%}
            {%- set m = modules.re.match('(?is)^(.*?)(\\s+(asc|desc))?(\\s+nulls\\s+(first|last))?\\s*$', part) -%}
            {%- do keys.append({
                'expr': m.group(1),
                'desc': (m.group(3) or '') | lower == 'desc',
                'nulls_first': (m.group(5) or '') | lower == 'first',
            }) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set fields = [] -%}
    {%- for key in keys -%}
        {%- do fields.append("'k" ~ loop.index ~ "', " ~ key.expr) -%}
    {%- endfor -%}
    {%- do fields.append("'v', " ~ measure) -%}
    {%- set comparisons = [] -%}
    {%- for key in keys -%}
        {%- set k = 'k' ~ loop.index -%}
        {%- set null_l = '1' if not key.nulls_first else '-1' -%}
        {%- set null_r = '-1' if not key.nulls_first else '1' -%}
        {%- set lt = '1' if key.desc else '-1' -%}
        {%- set gt = '-1' if key.desc else '1' -%}
        {%- do comparisons.append(
            "when l." ~ k ~ " is null and r." ~ k ~ " is not null then " ~ null_l
            ~ " when l." ~ k ~ " is not null and r." ~ k ~ " is null then " ~ null_r
            ~ " when l." ~ k ~ " < r." ~ k ~ " then " ~ lt
            ~ " when l." ~ k ~ " > r." ~ k ~ " then " ~ gt
        ) -%}
    {%- endfor -%}
    {%- set collected -%}
        collect_list(case when ({{ measure }}) is not null then named_struct({{ fields | join(', ') }}) end)
    {%- endset -%}
    {%- set sorted -%}
        array_sort(
            {{ collected }},
            (l, r) -> case {{ comparisons | join(' ') }} when l.v < r.v then -1 when l.v > r.v then 1 else 0 end
        )
    {%- endset -%}
    {%- set limited = 'slice(' ~ sorted ~ ', 1, ' ~ limit_num ~ ')' if limit_num else sorted -%}
    case
        when size({{ collected }}) > 0
            then array_join(transform({{ limited }}, x -> x.v), {{ delimiter_text }})
    end
{%- endmacro %}

{#- split text on commas outside parentheses and quotes (an order by list) -#}
{% macro spark_split_top_level(text) -%}
    {%- set parts = [] -%}
    {%- set state = {'depth': 0, 'quote': none, 'current': ''} -%}
    {%- for ch in text -%}
        {%- if state.quote -%}
            {%- if ch == state.quote -%}{%- do state.update({'quote': none}) -%}{%- endif -%}
            {%- do state.update({'current': state.current ~ ch}) -%}
        {%- elif ch in ["'", '"', '`'] -%}
            {%- do state.update({'quote': ch, 'current': state.current ~ ch}) -%}
        {%- elif ch == '(' -%}
            {%- do state.update({'depth': state.depth + 1, 'current': state.current ~ ch}) -%}
        {%- elif ch == ')' -%}
            {%- do state.update({'depth': state.depth - 1, 'current': state.current ~ ch}) -%}
        {%- elif ch == ',' and state.depth == 0 -%}
            {%- do parts.append(state.current | trim) -%}
            {%- do state.update({'current': ''}) -%}
        {%- else -%}
            {%- do state.update({'current': state.current ~ ch}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if state.current | trim -%}{%- do parts.append(state.current | trim) -%}{%- endif -%}
    {{ return(parts) }}
{%- endmacro %}

{#-
    spark_literal(text_sql): a SQL string literal written the standard way
    ('it''s') in Spark's spelling ('it\'s'). Spark reads '' inside a literal
    as the end of one literal and the start of the next, which it
    concatenates: 'metric ''m1''' would come out as metric m1, quotes lost.
    Anything that is not one quoted literal is returned unchanged.
-#}
{% macro spark_literal(text_sql) -%}
    {%- set s = text_sql | string -%}
    {%- if modules.re.match("^'(?:[^']|'')*'$", s | trim) -%}
        {%- set inner = (s | trim)[1:-1] -%}
        '{{ inner.replace("\\", "\\\\").replace("''", "\\'") }}'
    {%- else -%}
        {{ s }}
    {%- endif -%}
{%- endmacro %}

{#-
    dbt.concat on Spark: each argument that is a quoted literal goes through
    spark_literal, so messages built from literal text keep their quotes
    (macros/staging/config_validation.sql writes 'profile ''' ... '''').
-#}
{% macro spark__concat(fields) -%}
    {%- set parts = [] -%}
    {%- for field in fields -%}
        {%- do parts.append(spark_literal(field) | trim) -%}
    {%- endfor -%}
    concat({{ parts | join(', ') }})
{%- endmacro %}

{#-
    health_number_text / health_decimal_text on Spark (macros/utils/portable.sql):
    Spark casts a decimal to text the way Java's BigDecimal.toString does,
    in scientific notation below 1e-6 ('0E-9' for zero, '1E-9'), so the config
    hash and labels would differ from the other engines. format_number prints
    the decimal's exact digits (Locale.US, no rounding: the value already has
    `digits` decimals); its thousands separators are removed.
-#}
{% macro spark__health_number_text(expression) -%}
    {{- spark__health_decimal_text(expression, 9) -}}
{%- endmacro %}

{% macro spark__health_decimal_text(expression, digits) -%}
    replace(format_number(cast(cast({{ expression }} as decimal(38, 9)) as decimal(38, {{ digits }})), {{ digits }}), ',', '')
{%- endmacro %}

{#-
    spark__scoring_fixed(expression): scoring_fixed (macros/scoring/scoring_fixed.sql)
    on Spark, the same value as DuckDB's cast to decimal(38, 9):
    - a quotient `a / b` (a a column) is computed in double, as DuckDB divides
      decimals (Spark would divide exactly: a true tie such as 0.5113839545
      then rounds up, where DuckDB's double lands a hair either side);
    - a double is rounded once at 9 decimals half away from zero from its
      binary value (x * 1e9 in double), as DuckDB's cast does; Spark's own
      cast rounds its shortest decimal form instead. floor() of a double is
      a bigint: fine for |x| < 9.2e9. Any other type (decimal, integer) is
      cast, which rounds half up exactly on both engines (typeof() is
      constant per query, so the other branch is never evaluated).
    Products and sums of decimals are exact on both (the profile's
    spark.sql.decimalOperations.allowPrecisionLoss=false).
-#}
{% macro spark__scoring_fixed(expression) -%}
    {%- set m = modules.re.match('^\\s*([A-Za-z_][A-Za-z0-9_.]*)\\s*/\\s*(.+?)\\s*$', expression | string) -%}
    {%- set value = 'cast(' ~ m.group(1) ~ ' as double) / ' ~ m.group(2) if m else expression -%}
    {%- set scaled = '(' ~ value ~ ') * 1000000000' -%}
    case
        when typeof({{ value }}) = 'double'
            then cast(
                cast(
                    case
                        when {{ scaled }} < 0 then -floor(-({{ scaled }}) + 0.5)
                        else floor({{ scaled }} + 0.5)
                    end as decimal(38, 0)
                ) * 0.000000001 as {{ scoring_fixed_type() }}
            )
        else cast({{ value }} as {{ scoring_fixed_type() }})
    end
{%- endmacro %}
