{#-
    Metrics models that declare themselves (issue 11: a sixth component is
    seed rows, one metrics model and its yml; nothing else is edited).

    A metrics model declares itself in its yml:
        config: {meta: {health_component: <component>}}
    and returns one row per account x customer day (account_id, date_day)
    with one column per metric, every column documented in that yml. It
    reads only int_account_days and the models of health_metrics_inputs().

    health_metrics_models_join(relation) is the last select of
    int_account_metrics_daily: `select * from <relation>` plus, when dbt
    executes, a left join of each declared model on (account_id, date_day)
    and its metric columns. dbt cannot add a parent to a model without
    editing it (refs must be known at parse time, when `graph` is still
    empty; a ref made only at execute time fails "unable to infer all
    dependencies"), so the declared model is not read from its table: its
    SQL is rendered here, inline, as a subquery (render()), and its refs
    resolve against the parents this macro declares at parse time
    (health_metrics_inputs()). So int_account_metrics_daily never waits for,
    or reads a stale copy of, the declared model; the declared model is
    still built on its own (its yml tests run on it) - make it ephemeral to
    build it only here. The shipped five metrics models are joined
    explicitly by int_account_metrics_daily and do not declare themselves.
-#}

{#- the models a declared metrics model may ref (declared as parents of the
    caller at parse time, so their refs resolve when rendered inline) -#}
{% macro health_metrics_inputs() -%}
int_account_days,int_account_spine,int_product_activity_daily,int_customer_spells,int_mrr_movements,
stg_data_bounds,stg_crm__accounts,stg_billing__subscriptions,stg_product__events,stg_billing__invoices,
stg_billing__payments,stg_support__tickets,stg_surveys__responses,stg_crm__csm_pulse,stg_crm__csm_activities
{%- endmacro %}

{% macro health_metrics_models_join(relation) -%}
{%- set declared = [] -%}
{%- if execute is defined and execute and model.resource_type != 'unit_test' -%}
    {%- for node in graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | sort(attribute='name') -%}
        {%- if node.config.meta.get('health_component') and node.unique_id != model.unique_id -%}
            {%- do declared.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
{%- elif not (execute is defined and execute) -%}
    {#- parsing: declare the inputs a declared model may ref -#}
    {%- for input in health_metrics_inputs().split(',') | map('trim') | reject('equalto', '') -%}
        {%- do ref(input) if ref is defined -%}
    {%- endfor -%}
{%- endif -%}
{%- if not declared -%}
select * from {{ relation }}
{%- else -%}
select
    {{ relation }}.*
    {%- for node in declared %}
    {%- set alias = 'declared_' ~ loop.index %}
    {%- for column in node.columns if column | lower not in ('account_id', 'date_day') %}
    , {{ alias }}.{{ column | lower }}
    {%- endfor %}
    {%- endfor %}
from {{ relation }}
{%- for node in declared %}
{%- set alias = 'declared_' ~ loop.index %}
left join (
    -- {{ node.name }} (meta.health_component: {{ node.config.meta.health_component }}), rendered inline
    {{ render(node.raw_code) }}
) as {{ alias }}
    on
        {{ relation }}.account_id = {{ alias }}.account_id
        and {{ relation }}.date_day = {{ alias }}.date_day
{%- endfor %}
{%- endif -%}
{%- endmacro %}
