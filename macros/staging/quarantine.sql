-- noqa: disable=LT02
{#- The macros below render SQL fragments (case expressions, conditions), not
    statements; sqlfluff cannot infer their indentation, hence the noqa above
    (it is outside every macro, so dbt never renders it). -#}
{#-
    Quarantine helpers shared by every staging base model (base_*).

    A check is a tuple (reason, condition_sql, detail_sql). Checks are listed
    in the priority order of docs/contracts.md; the first that holds wins.
    Raw values are kept as trimmed text in `<column>__raw`, their typed
    version in `<column>`.
-#}

{#- case expression: the first matching check's reason, null = clean -#}
{% macro quarantine_reason_case(checks) %}
case
{%- for check in checks %}
    when {{ check[1] }} then '{{ check[0] }}'
{%- endfor %}
end
{%- endmacro %}

{#- case expression: the first matching check's human-readable detail -#}
{% macro quarantine_detail_case(checks) %}
case
{%- for check in checks %}
    when {{ check[1] }} then {{ check[2] }}
{%- endfor %}
end
{%- endmacro %}

{#-
    unparseable_value: a non-null raw value that does not cast to its type
    (the typed column is null while `<column>__raw` is not), or a required
    value that is missing altogether.
-#}
{% macro unparseable_condition(columns, required=[]) %}
(
{%- for column in columns %}
    ({{ column }}__raw is not null and {{ column }} is null){{ " or" if not loop.last or required }}
{%- endfor %}
{%- for column in required %}
    {{ column }}__raw is null{{ " or" if not loop.last }}
{%- endfor %}
)
{%- endmacro %}

{#- names the first failing column and its raw value -#}
{% macro unparseable_detail(columns, required=[]) %}
case
{%- for column in columns %}
    when {{ column }}__raw is not null and {{ column }} is null
        then {{ dbt.concat(["'" ~ column ~ " does not parse: '", "cast(" ~ column ~ "__raw as " ~ dbt.type_string() ~ ")"]) }}
{%- endfor %}
{%- for column in required %}
    when {{ column }}__raw is null then '{{ column }} is missing'
{%- endfor %}
end
{%- endmacro %}

{#-
    unknown_enum_value: a value outside the accepted list (values are
    lower-cased and trimmed before the check); a missing value counts as
    unknown unless allow_null.
-#}
{% macro enum_condition(column, values, allow_null=false) %}
(
{%- if not allow_null %}{{ column }} is null or {% endif -%}
{{ column }} not in (
{%- for value in values -%}
'{{ value }}'{{ ", " if not loop.last }}
{%- endfor -%}
))
{%- endmacro %}

{#- names the column, its value and the accepted values -#}
{% macro enum_detail(column, values) %}
{{ dbt.concat([
    "'" ~ column ~ " '",
    "coalesce(" ~ column ~ ", 'null')",
    "' is not one of " ~ values | join(', ') ~ "'",
]) }}
{%- endmacro %}

{#- a value as text for details ('null' when missing) -#}
{% macro quarantine_text(expression) %}
coalesce(cast({{ expression }} as {{ dbt.type_string() }}), 'null')
{%- endmacro %}

{#-
    The first two reasons of the priority order, which depend on the key:
    null_key (a key column is missing; pass raw text columns so an
    unparseable key value is not mistaken for a missing one), then
    duplicate_key (every copy after the first), else the row's own first
    failing check.
-#}
{% macro key_quarantine_reason(key_columns, copy_number, row_reason) %}
case
    when
{%- for column in key_columns %}
        {{ column }} is null{{ " or" if not loop.last }}
{%- endfor %}
        then 'null_key'
    when {{ copy_number }} > 1 then 'duplicate_key'
    else {{ row_reason }}
end
{%- endmacro %}

{#- the detail matching key_quarantine_reason -#}
{% macro key_quarantine_detail(key_columns, copy_number, row_detail) %}
case
{%- for column in key_columns %}
    when {{ column }} is null then '{{ column | replace("__raw", "") }} is missing'
{%- endfor %}
    when {{ copy_number }} > 1
        then {{ dbt.concat([
            "'copy '",
            "cast(" ~ copy_number ~ " as " ~ dbt.type_string() ~ ")",
            "' of the same key; the first copy is kept'",
        ]) }}
    else {{ row_detail }}
end
{%- endmacro %}

{#-
    quarantine_rows(source_table, base_relation): the rejected rows of one
    base model in the stg_quarantine shape.
-#}
{% macro quarantine_rows(source_table, base_relation) %}
select
    '{{ source_table }}' as source_table,
    {{ dbt.concat(["'" ~ source_table ~ ":'", 'row_id']) }} as row_id,
    cast(record_key as {{ dbt.type_string() }}) as record_key,
    cast(quarantine_account_id as {{ dbt.type_string() }}) as account_id,
    quarantine_reason as reason,
    quarantine_detail as detail
from {{ base_relation }}
where quarantine_reason is not null
{% endmacro %}

{#-
    number_key_copies(relation, key_column, order_columns): the rows of
    `relation` plus key_copy_number, the copy's rank among rows sharing the
    key: rows without another problem first, then by order_columns (a stable
    order over the row's content), so the clean copy is kept and the outcome
    never depends on load order. `relation` carries row_reason and
    is_duplicated_key (its key occurs more than once: found by one narrow
    group by on the key, see quarantine_base); only those rows go through the
    window function, every other row is copy 1 (cheap on millions of events).
    Rows with a null key are numbered among themselves too (they are
    quarantined as null_key whatever their number), so (key, copy number) is
    unique over all rows: the base models' row_id (base_row_id).
-#}
{% macro number_key_copies(relation, key_column, order_columns) %}
select
    {{ relation }}.*,
    1 as key_copy_number
from {{ relation }}
where not {{ relation }}.is_duplicated_key and {{ relation }}.{{ key_column }} is not null
union all
select
    {{ relation }}.*,
    row_number() over (
        partition by {{ relation }}.{{ key_column }}
        order by
            case when {{ relation }}.row_reason is null then 0 else 1 end,
{%- for column in order_columns %}
            {{ column }}{{ "," if not loop.last }}
{%- endfor %}
    ) as key_copy_number
from {{ relation }}
where {{ relation }}.is_duplicated_key or {{ relation }}.{{ key_column }} is null
{% endmacro %}

{#-
    reconciliation_counts(table_name, clean_model): one row (source_table,
    raw_rows, clean_rows) for the raw-rows reconciliation test; raw_rows is 0
    for a switched-off optional table.
-#}
{% macro reconciliation_counts(table_name, clean_model) %}
select
    '{{ table_name }}' as source_table,
    (
        select count(*)
        from ({{ raw_input_select(table_name, [raw_input(table_name)['null_key'][0]]) }}) as raw_rows
    ) as raw_rows,
    (select count(*) from {{ ref(clean_model) }}) as clean_rows
{% endmacro %}

{#-
    quarantine_union(): the rejected rows of every input (quarantine_rows of
    each base model of var('raw_inputs')), unioned in contract order.
-#}
{% macro quarantine_union() %}
{%- if return is not defined -%}
{#- sqlfluff's templater (no return(), no other file's macros): a stand-in -#}
select 'accounts' as source_table
{%- else -%}
{%- for table_name in var('raw_inputs') %}
{{ "union all" if not loop.first }}
{{ quarantine_rows(table_name, ref(raw_input(table_name)['base_model'])) }}
{%- endfor %}
{%- endif %}
{% endmacro %}

{#-
    base_row_id(key_column, copy_number): the row id of a base model row,
    unique over every raw row of the input: the key's copy number and the
    key ('k<copy>:<key>'), or 'n<copy>:' for the rows whose key is null
    (numbered among themselves by number_key_copies). stg_quarantine prefixes
    it with the source table.
-#}
{% macro base_row_id(key_column, copy_number) -%}
case
    when {{ key_column }} is null then {{ dbt.concat(["'n'", 'cast(' ~ copy_number ~ ' as ' ~ dbt.type_string() ~ ')', "':'"]) }}
    else {{ dbt.concat([
        "'k'", 'cast(' ~ copy_number ~ ' as ' ~ dbt.type_string() ~ ')', "':'",
        'cast(' ~ key_column ~ ' as ' ~ dbt.type_string() ~ ')'
    ]) }}
end
{%- endmacro %}
