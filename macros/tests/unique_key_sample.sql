{#-
    unique_key_sample(column_name, hash_prefix='0'): no two rows share a value
    of the column, checked on the keys whose hash starts with hash_prefix
    (one hex digit = 1/16 of the keys). For keys unique by construction on
    the largest relations: every copy of a sampled key is in the sample, so
    duplicates left by a construction bug are still caught unless the bug
    touches only a handful of keys, at a sixteenth of a full hash aggregate.
    Returns one row per duplicated sampled value.
-#}
{% test unique_key_sample(model, column_name, hash_prefix='0') %}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where
    {{ column_name }} is not null
    and {{ dbt.hash(column_name) }} like '{{ hash_prefix }}%'
group by {{ column_name }}
having count(*) > 1
{% endtest %}
