{#-
    Kolmogorov-Smirnov statistic of a score for a boolean label, as a select
    statement to wrap in a CTE: the largest gap, over every score threshold,
    between the share of positives and the share of negatives scoring at or
    below it. 0 = the two score distributions are identical, 1 = perfectly
    apart. Rows with a null score or label are left out. Returns one row per
    partition: the partition columns and ks (null when either class is empty).
    Plain ANSI SQL (windowed sums), so the macro is not dispatched.
-#}
{% macro ks_statistic(relation, score_column, label_column, partition_by=[]) -%}
    {%- set partition_list = partition_by | join(', ') -%}
    {%- set double = adapter.dispatch('type_double', 'customer_health')() -%}
    select
        {% for column in partition_by -%}
        {{ column }},
        {% endfor -%}
        max(
            case
                when total_positive > 0 and total_negative > 0
                    then abs(
                        cast(cumulative_positive as {{ double }}) / total_positive
                        - cast(cumulative_negative as {{ double }}) / total_negative
                    )
            end
        ) as ks
    from (
        select
            {% for column in partition_by -%}
            {{ column }},
            {% endfor -%}
            sum(n_positive) over (
                {% if partition_by %}partition by {{ partition_list }}{% endif %}
                order by score_value
                rows between unbounded preceding and current row
            ) as cumulative_positive,
            sum(n_negative) over (
                {% if partition_by %}partition by {{ partition_list }}{% endif %}
                order by score_value
                rows between unbounded preceding and current row
            ) as cumulative_negative,
            sum(n_positive) over ({% if partition_by %}partition by {{ partition_list }}{% endif %}) as total_positive,
            sum(n_negative) over ({% if partition_by %}partition by {{ partition_list }}{% endif %}) as total_negative
        from (
            select
                {% for column in partition_by -%}
                {{ column }},
                {% endfor -%}
                {{ score_column }} as score_value,
                sum(case when {{ label_column }} then 1 else 0 end) as n_positive,
                sum(case when {{ label_column }} then 0 else 1 end) as n_negative
            from {{ relation }}
            where {{ score_column }} is not null and {{ label_column }} is not null
            group by {% for column in partition_by %}{{ column }}, {% endfor %}{{ score_column }}
        ) as per_score
    ) as cumulative
    {% if partition_by -%}
    group by {{ partition_list }}
    {%- endif %}
{%- endmacro %}
