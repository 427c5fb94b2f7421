{#-
    Rank-based (Mann-Whitney) AUC of a score for a boolean label, as a select
    statement to wrap in a CTE:

        auc = (sum of the ranks of the positives - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)

    Ranks are 1..n in the order that puts the most "positive-looking" score
    last; tied scores share their average rank, so a tie counts one half.
    With lower_score_is_positive=true (a health score predicting churn) the
    AUC is the probability that a random churner scored lower than a random
    non-churner. Rows with a null score or label are left out. Returns one
    row per partition: the partition columns, n_positive, n_negative, auc
    (null when either class is empty). Plain ANSI SQL (rank, count and sum
    windows), so the macro is not dispatched.
-#}
{% macro rank_auc(relation, score_column, label_column, partition_by=[], lower_score_is_positive=false) -%}
    {%- set rank_order = 'desc' if lower_score_is_positive else 'asc' -%}
    {%- set partition_list = partition_by | join(', ') -%}
    {%- set double = adapter.dispatch('type_double', 'customer_health')() -%}
    select
        {% for column in partition_by -%}
        {{ column }},
        {% endfor -%}
        cast(sum(is_positive) as {{ dbt.type_bigint() }}) as n_positive,
        cast(sum(1 - is_positive) as {{ dbt.type_bigint() }}) as n_negative,
        case
            when sum(is_positive) > 0 and sum(1 - is_positive) > 0
                then (
                    sum(is_positive * average_rank)
                    - cast(sum(is_positive) as {{ double }}) * (cast(sum(is_positive) as {{ double }}) + 1) / 2
                ) / (cast(sum(is_positive) as {{ double }}) * cast(sum(1 - is_positive) as {{ double }}))
        end as auc
    from (
        select
            {% for column in partition_by -%}
            {{ column }},
            {% endfor -%}
            is_positive,
            min_rank + (cast(tie_count as {{ double }}) - 1) / 2 as average_rank
        from (
            select
                {% for column in partition_by -%}
                {{ column }},
                {% endfor -%}
                case when {{ label_column }} then 1 else 0 end as is_positive,
                rank() over (
                    {% if partition_by %}partition by {{ partition_list }}{% endif %}
                    order by {{ score_column }} {{ rank_order }}
                ) as min_rank,
                count(*) over (
                    partition by {% if partition_by %}{{ partition_list }}, {% endif %}{{ score_column }}
                ) as tie_count
            from {{ relation }}
            where {{ score_column }} is not null and {{ label_column }} is not null
        ) as ranked
    ) as average_ranked
    {% if partition_by -%}
    group by {{ partition_list }}
    {%- endif %}
{%- endmacro %}
