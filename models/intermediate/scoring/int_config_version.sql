{#-
    One row: config_version, a short hash over the content of every config
    seed (SPEC §4.8), stamped on every score row so a historic score can be
    traced to the configuration that made it.
    Each seed row is written as canonical text (its columns in a fixed order,
    '|'-separated, nulls as '~', numbers with 9 fixed decimals); a seed's rows are sorted and joined, the
    seeds are joined in name order, and the whole is hashed (first 12 hex
    characters of dbt.hash). The CSV's row order does not change the
    version; any edited value does.
    It reads the validated stg_config__* models, so an invalid config fails
    the build before anything downstream of this model (every mart) is
    rebuilt.
-#}
{%- set seed_columns = {
    'event_types': ['event_type', 'category'],
    'health_bands': ['band', 'min_score', 'max_score', 'rank', 'color', 'action'],
    'health_caps': ['rule', 'metric', 'operator', 'threshold', 'cap'],
    'health_components': ['component', 'display_order', 'wide_column'],
    'health_metrics': ['metric', 'component', 'direction', 'threshold_type', 'low', 'high', 'weight', 'missing_value'],
    'health_overrides': ['account_id', 'score_cap', 'score_floor', 'reason', 'author', 'valid_from', 'expires_on'],
    'health_playbooks': ['component', 'playbook', 'owner_role'],
    'health_weights': ['profile', 'component', 'weight'],
    'segment_profiles': ['segment', 'profile'],
} -%}
{%- set row_text = {} -%}
{%- for seed_name, columns in seed_columns.items() -%}
    {%- set parts = [] -%}
    {#- numbers as canonical text (health_number_text), so every engine hashes the same text -#}
    {%- set numeric = (health_number_columns(ref('stg_config__' ~ seed_name)) | trim).split(',') -%}
    {%- for column in columns -%}
        {%- set text = "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")" -%}
        {#- booleans as true/false text on every engine -#}
        {%- if column == 'wide_column' -%}
            {%- set text = "case when wide_column then 'true' when not wide_column then 'false' end" -%}
        {%- endif -%}
        {%- if column in numeric -%}{%- set text = health_number_text(column) -%}{%- endif -%}
        {%- do parts.append("coalesce(" ~ text ~ ", '~')") -%}
        {%- if not loop.last -%}{%- do parts.append("'|'") -%}{%- endif -%}
    {%- endfor -%}
    {%- do row_text.update({seed_name: dbt.concat(parts)}) -%}
{%- endfor -%}

with
{% for seed_name in seed_columns %}
    {{ seed_name }} as (
        select * from {{ ref('stg_config__' ~ seed_name) }}
    ),
{% endfor %}
seed_rows as (
    {%- for seed_name in seed_columns %}
        select
            '{{ seed_name }}' as seed_name,
            {{ row_text[seed_name] }} as row_text
        from {{ seed_name }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

seed_texts as (
    select
        seed_name,
        {{ dbt.listagg('row_text', "';'", 'order by row_text') }} as seed_text
    from seed_rows
    group by seed_name
),

config_text as (
    select
        {{ dbt.listagg(dbt.concat(['seed_name', "':'", 'seed_text']), "' # '", 'order by seed_name') }} as full_text
    from seed_texts
),

final as (
    select
        cast(substring({{ dbt.hash('full_text') }}, 1, 12) as {{ dbt.type_string() }}) as config_version
    from config_text
)

select * from final
