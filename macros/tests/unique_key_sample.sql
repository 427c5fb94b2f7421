{#-
    unique_key_sample(column_name | combination_of_columns, sample_column,
    hash_prefix='0'): no two rows share a key (one column, or a combination),
    checked on the rows whose sample_column (default: the first key column)
    hashes to a value starting with hash_prefix (one hex digit = 1/16). For
    keys unique by construction on the largest relations: every copy of a
    sampled key is in the sample (the copies share sample_column), so
    duplicates left by a construction bug are still caught unless the bug
    touches only a handful of keys, at a sixteenth of a full hash aggregate.
    On a daily run whose staging plan is incremental, a test on a staging
    relation reads the restaged keys only (health_staging_test_conditions):
    then every one of those keys is checked, not a sample of them
    (health_staging_test_restaged_only): a full check of the only rows no
    earlier build tested, and no hash of every stored key.
    Returns one row per duplicated sampled key.
-#}
{% test unique_key_sample(
    model, column_name=none, combination_of_columns=none, sample_column=none, hash_prefix='0'
) %}
{%- set key = combination_of_columns or [column_name] -%}
{%- set sample_column = sample_column or key[0] %}
{%- set every_key = health_staging_test_restaged_only(model) %}
select
{%- for column in key %}
    {{ column }},
{%- endfor %}
    count(*) as n_records
from {{ model }}
where
    {{ sample_column }} is not null
{%- if not every_key %}
    and {{ dbt.hash(sample_column) }} like '{{ hash_prefix }}%'
{%- endif %}
group by
{%- for column in key %}
    {{ column }}{{ "," if not loop.last }}
{%- endfor %}
having count(*) > 1
{% endtest %}
