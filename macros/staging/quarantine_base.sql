-- noqa: disable=LT02
{#-
    quarantine_base(table_name, checks=[], key_name=none, key_expression=none,
                    joins=[], final_columns={})

    The whole body of a staging base model (base_<source>__<table>): every raw
    row of one input with its typed columns and its quarantine verdict, built
    from the input's entry in var('raw_inputs') (dbt_project.yml):

    raw_source  the contract columns (raw_input_select: source, swapped
                relation or an empty select when switched off)
    cleaned     text columns trimmed (blank = null; `lower` ones lower-cased);
                a column stored as its contract type passes through untouched
                (raw_input_types), the others keep their trimmed text as
                `<column>__raw` (as do required text columns)
    typed       `<column>` try-cast to its contract type
    keyed       the row key: the key column, key_expression, or for a
                composite key a surrogate hash named key_name
    checked     row_reason / row_detail: the first failing check in the
                contract's priority order: unknown_account, unparseable_value
                (typed and required columns), unknown_enum_value (columns
                with `values`), then the model's own `checks`, then
                future_timestamp (time_column after the last day of data);
                is_duplicated_key from one narrow group by on the key
    numbered    key_copy_number (number_key_copies)

    raw_source and checked are each read twice (duplicated_keys and checked;
    the two branches of number_key_copies) and never materialized
    (health_cte_inline): DuckDB would otherwise copy every row of
    them (base_product__events on the demo preset: 2.2 GB peak RSS; inlined
    0.7 GB, same CPU), and the duplicate-key pass reads only the key columns.
    final       contract columns (final_columns add or replace some), then
                record_key, row_id (base_row_id), quarantine_account_id and the verdict: null_key
                (a null_key column missing), duplicate_key (every copy after
                the first), else row_reason.

    checks: (reason, condition_sql, detail_sql) tuples of the model's own
    rules. joins: extra lookups {name, relation, columns (select list of
    the import), on, select (columns added to checked)}.
    restage (incremental staging, macros/staging/incremental_staging.sql):
    {keys: a subquery of row keys}: only the raw rows with one of those keys
    (all of them, so duplicates and copy numbers are a full build's), with
    raw_where (optional) a cheap condition on the raw row that every such row
    meets; {raw_where, keys_only: true}: the distinct keys of the raw rows
    meeting raw_where.
-#}
{% macro quarantine_base(
    table_name, checks=[], key_name=none, key_expression=none, joins=[], final_columns={}, restage=none
) %}
{%- if return is not defined -%}
{#- sqlfluff's templater (no return(), no other file's macros): a stand-in -#}
select 1 as lint_stand_in
{%- else -%}
{%- set spec = raw_input(table_name) -%}
{%- set stored = raw_input_types(table_name) -%}
{%- set key_name = key_name or spec['key_name'] -%}
{%- set has_account = table_name != 'accounts' -%}
{%- set raw_kept = [] -%}
{%- set native = [] -%}
{%- set typed_columns = [] -%}
{%- for column in spec['columns'] -%}
    {%- if column['type'] != 'text' -%}
        {%- do typed_columns.append(column['name']) -%}
        {%- do raw_kept.append(column['name']) -%}
        {%- if raw_type_passes(stored.get(column['name']), column['type']) -%}
            {%- do native.append(column['name']) -%}
        {%- endif -%}
    {%- elif column['name'] in spec['required'] or (column['name'] == key_name and key_expression) -%}
        {%- do raw_kept.append(column['name']) -%}
    {%- endif -%}
{%- endfor -%}
{#- raw_form: a column's kept raw value, else its cleaned value; raw_text:
    the same as text (a native value cast), for ordering and record keys -#}
{%- set raw_form = {} -%}
{%- set raw_text = {} -%}
{%- for column in spec['columns'] -%}
    {%- set name = column['name'] -%}
    {%- do raw_form.update({name: name ~ '__raw' if name in raw_kept else name}) -%}
    {%- do raw_text.update({
        name: 'cast(' ~ name ~ '__raw as ' ~ dbt.type_string() ~ ')' if name in native else raw_form[name]
    }) -%}
{%- endfor -%}
{%- set key_forms = [] -%}
{%- set key_sql = [] -%}
{%- set record_parts = [] -%}
{%- for name in spec['key'] -%}
    {%- do key_forms.append(
        'coalesce(cast(' ~ name ~ ' as ' ~ dbt.type_string() ~ '), ' ~ raw_text[name] ~ ')'
        if name in raw_kept else name
    ) -%}
    {%- if not loop.first -%}{%- do record_parts.append("'|'") -%}{%- endif -%}
    {%- do record_parts.append(raw_text[name]) -%}
{%- endfor -%}
{%- set all_checks = [] -%}
{%- if has_account -%}
    {%- do all_checks.append((
        'unknown_account',
        'accounts.account_id is null',
        dbt.concat(["'account_id '", quarantine_text('keyed.account_id'), "' is not a clean account'"]),
    )) -%}
{%- endif -%}
{%- if typed_columns or spec['required'] -%}
    {%- do all_checks.append((
        'unparseable_value',
        unparseable_condition(typed_columns, required=spec['required']),
        unparseable_detail(typed_columns, required=spec['required']),
    )) -%}
{%- endif -%}
{%- for column in spec['columns'] if column['values'] -%}
    {%- do all_checks.append((
        'unknown_enum_value',
        enum_condition(column['name'], column['values']),
        enum_detail(column['name'], column['values']),
    )) -%}
{%- endfor -%}
{%- do all_checks.extend(checks) -%}
{%- do all_checks.append((
    'future_timestamp',
    'cast(' ~ spec['time_column'] ~ ' as date) > bounds.data_end_date',
    dbt.concat([
        "'" ~ spec['time_column'] ~ " '",
        quarantine_text(spec['time_column'] ~ '__raw'),
        "' is after the last day of data'",
    ]),
)) -%}
{%- set null_key = [] -%}
{%- for name in spec['null_key'] -%}{%- do null_key.append(raw_form[name]) -%}{%- endfor -%}
{%- set order_columns = [] -%}
{%- for column in spec['columns'] if column['name'] not in spec['key'] -%}
    {%- do order_columns.append(raw_text[column['name']]) -%}
{%- endfor %}
with

raw_source as {{ health_cte_inline(postgres=false) }} (
    {{ raw_input_select(table_name) }}
{%- if restage and restage.get('raw_where') %}
    where {{ restage['raw_where'] }}
{%- endif %}
),
{%- if has_account %}

accounts as (
    select account_id from {{ ref('stg_crm__accounts') }}
),
{%- endif %}
{%- for join in joins %}

{{ join['name'] }} as (
    select {{ join['columns'] | join(', ') }} from {{ join['relation'] }}
),
{%- endfor %}

bounds as (
    select data_end_date from {{ ref('stg_data_bounds') }}
),

cleaned as (
    select
{%- for column in spec['columns'] %}
    {%- set name = column['name'] %}
    {%- set text = clean_text(name) %}
    {%- if name in native %}
        {{ name }} as {{ name }}__raw{{ "," if not loop.last }}
    {%- elif column['type'] != 'text' %}
        {{ 'lower(' ~ text ~ ')' if column['lower'] else text }} as {{ name }}__raw{{ "," if not loop.last }}
    {%- elif name == key_name and key_expression %}
        {{ text }} as {{ name }}__raw{{ "," if not loop.last }}
    {%- else %}
        {{ 'lower(' ~ text ~ ')' if column['lower'] else text }} as {{ name }}
        {%- if name in raw_kept %},
        {{ text }} as {{ name }}__raw
        {%- endif %}{{ "," if not loop.last }}
    {%- endif %}
{%- endfor %}
    from raw_source
),

typed as (
    select
        cleaned.*
{%- for column in spec['columns'] if column['type'] != 'text' %}
    {%- set name = column['name'] %},
    {%- if name in native and column['type'] == 'double' %}
        {{ try_cast(name ~ '__raw', type_double()) }} as {{ name }}
    {%- elif name in native %}
        {{ name }}__raw as {{ name }}
    {%- else %}
        {{ try_cast(name ~ '__raw', raw_contract_sql_type(column['type'])) }} as {{ name }}
    {%- endif %}
{%- endfor %}
    from cleaned
),

{%- if key_expression %}
    {%- do key_sql.append(key_expression) %}
{%- elif spec['key'] | length > 1 %}
    {%- do key_sql.append(health_surrogate_key(key_forms)) %}
{%- endif %}

keyed as (
    select
        typed.*
{%- if key_sql %},
        {{ key_sql[0] }} as {{ key_name }}
{%- endif %}
    from typed
{%- if restage and restage.get('keys') %}
    where {{ key_sql[0] if key_sql else key_name }} in {{ restage['keys'] }}
{%- endif %}
),
{%- if restage and restage.get('keys_only') %}

final as (
    select distinct {{ key_name }} as restage_key
    from keyed
)
{%- else %}

duplicated_keys as (
    select {{ key_name }} as duplicated_key
    from keyed
    group by {{ key_name }}
    having count(*) > 1
),

checked as {{ health_cte_inline(postgres=false) }} (
    select
        keyed.*,
{%- for join in joins %}
    {%- for column in join['select'] %}
        {{ column }},
    {%- endfor %}
{%- endfor %}
        {{ quarantine_reason_case(all_checks) }} as row_reason,
        {{ quarantine_detail_case(all_checks) }} as row_detail,
        duplicated_keys.duplicated_key is not null as is_duplicated_key
    from keyed
{%- if has_account %}
    left join accounts
        on keyed.account_id = accounts.account_id
{%- endif %}
{%- for join in joins %}
    left join {{ join['name'] }}
        on {{ join['on'] }}
{%- endfor %}
    left join duplicated_keys
        on keyed.{{ key_name }} = duplicated_keys.duplicated_key
    cross join bounds
),

numbered as (
    {{ number_key_copies('checked', key_name, order_columns) }}
),

final as (
    select
{%- if key_name not in spec['columns'] | map(attribute='name') %}
        {{ key_name }},
{%- endif %}
{%- for column in spec['columns'] %}
        {{ final_columns[column['name']] ~ ' as ' if column['name'] in final_columns }}{{ column['name'] }},
{%- endfor %}
{%- for join in joins %}
    {%- for column in join['select'] %}
        {{ column.split(' as ')[-1] }},
    {%- endfor %}
{%- endfor %}
{%- for name, expression in final_columns.items() if name not in spec['columns'] | map(attribute='name') %}
        {{ expression }} as {{ name }},
{%- endfor %}
{%- if spec['key'] | length > 1 %}
        case
            when
    {%- for name in spec['key'] %}
                {{ raw_form[name] }} is not null{{ " and" if not loop.last }}
    {%- endfor %}
                then {{ dbt.concat(record_parts) }}
        end as record_key,
{%- else %}
        {{ key_name }} as record_key,
{%- endif %}
        {{ base_row_id(key_name, 'key_copy_number') }} as row_id,
        account_id as quarantine_account_id,
        {{ key_quarantine_reason(null_key, 'key_copy_number', 'row_reason') }} as quarantine_reason,
        {{ key_quarantine_detail(null_key, 'key_copy_number', 'row_detail') }} as quarantine_detail
    from numbered
)
{%- endif %}

select * from final
{%- endif %}
{%- endmacro %}
