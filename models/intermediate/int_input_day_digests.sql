{#-
    The inputs of the incremental account-day models, one row per input and
    day: how many rows are dated that day and a hash of all of them (every
    column). int_build_plan compares it with the copy the previous build
    stored (int_input_day_digests_built): the earliest day whose rows differ
    is the earliest day a new, late, changed or removed input row can move
    (docs/performance.md, "Which days a new row can change").
    A fact row is dated by the earliest of its timestamps (fact_day): by the
    point-in-time contract (SPEC §3, tests_python/test_point_in_time.py) a
    row changes no account-day before it. The derived account-day tables
    (int_account_spine, int_account_days: customer days, MRR, renewal terms,
    the CRM segment applied to every day) are compared per date_day, so an
    attribute rewritten in the past shows on the days it changes.
    A row with no date at all counts on health_incremental_epoch() (before
    every day: a change there recomputes everything), and so does the
    project's code version (input project_code, env HEALTH_CODE_VERSION set
    by `health build`): a build with other code recomputes every day.
    stg_product__events, where staging is incremental: its digests are kept
    by base_product__events itself (base_product__events_day_digests, in the
    transaction that restages it: only the event days of the restaged keys
    are recomputed, with the same expression, docs/perf-notes/stg.md).
-#}
{%- set staged_events = health_staging_incremental_enabled() | trim == 'true' %}
{%- set inputs = [
    ('int_account_spine', ['date_day']),
    ('int_account_days', ['date_day']),
    ('stg_product__events', ['event_date']),
    ('stg_billing__invoices', ['issued_at', 'due_date', 'paid_at']),
    ('stg_billing__payments', ['attempted_at']),
    ('stg_support__tickets', ['created_at', 'first_response_at', 'resolved_at']),
    ('stg_surveys__responses', ['sent_at', 'responded_at']),
    ('stg_crm__csm_pulse', ['recorded_at']),
    ('stg_crm__csm_activities', ['occurred_at']),
] -%}
-- depends_on: {{ ref('stg_product__events') }}
with

{% for name, dates in inputs if not (staged_events and name == 'stg_product__events') %}
    {{ name }} as (
        select
            cast({{ health_incremental_earliest_day(dates) }} as date) as fact_day,
            *
        from {{ ref(name) }}
    ),

{% endfor -%}
final as (
    {%- if staged_events %}
        select
            input_name,
            fact_day,
            n_rows,
            digest
        from {{ staging_relation('base_product__events_day_digests') }}
        union all
    {%- endif %}
    {%- for name, dates in inputs if not (staged_events and name == 'stg_product__events') %}
        select
            '{{ name }}' as input_name,
            fact_day,
            count(*) as n_rows,
            {{ health_day_digest((health_row_columns(ref(name), dates) | trim).split(',')) }} as digest
        from {{ name }}
        group by fact_day
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
    {#- the project's code version (healthwh.build_plan.code_version; '' outside the CLI) #}
    union all
    select
        'project_code' as input_name,
        {{ health_incremental_epoch() }} as fact_day,
        1 as n_rows,
        '{{ health_code_version() }}' as digest
)

select * from final
