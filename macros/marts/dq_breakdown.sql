{#-
    dq_breakdown(...): the rows of one rpt_data_quality check group that
    lists items (unknown event types, segments on the default profile ...):
    one `warn` row per item (check_id = id_prefix || subject), then one
    summary row (check_id = summary_id, subject 'all', warn when any item).
      items / key / item_count   the items CTE, its key column, its row count column
      subject                    SQL of an item's subject (default: items.key)
      totals / total_count       one-row CTE with the total the counts are out of
      item_detail                dbt.concat parts of an item's detail
      summary_detail             text after the number of items in the summary
-#}
{% macro dq_breakdown(id_prefix, summary_id, check_group, source_table, items, key, item_count, totals,
    total_count, item_detail, summary_detail, subject=none) -%}
{%- set subject = subject or items ~ '.' ~ key -%}
{%- set string = dbt.type_string() -%}
    select
        {{ dbt.concat(["'" ~ id_prefix ~ "'", subject]) }} as check_id,
        '{{ check_group }}' as check_group,
        '{{ source_table }}' as source_table,
        {{ subject }} as subject,
        'warn' as status,
        {{ items }}.{{ item_count }} as row_count,
        {{ totals }}.{{ total_count }} as total_count,
        {{ dbt.concat(item_detail) }} as detail
    from {{ items }}
    cross join {{ totals }}
    union all
    select
        '{{ summary_id }}' as check_id,
        '{{ check_group }}' as check_group,
        '{{ source_table }}' as source_table,
        'all' as subject,
        case when count({{ items }}.{{ key }}) > 0 then 'warn' else 'ok' end as status,
        coalesce(sum({{ items }}.{{ item_count }}), 0) as row_count,
        max({{ totals }}.{{ total_count }}) as total_count,
        {{ dbt.concat(['cast(count(' ~ items ~ '.' ~ key ~ ') as ' ~ string ~ ')', "'" ~ summary_detail ~ "'"]) }}
            as detail
    from {{ totals }}
    left join {{ items }}
        on 1 = 1
{%- endmacro %}
