-- Subscriptions with their quarantine verdict (see base_crm__accounts).
-- end_date is a contract term, not a fact: only start_date can be in the
-- future of the data.
{{ quarantine_base('subscriptions', checks=[
    (
        'out_of_range_value',
        'billing_period_months < 1',
        dbt.concat(["'billing_period_months '", quarantine_text('billing_period_months__raw'), "' is below 1'"]),
    ),
    (
        'out_of_range_value',
        'seats < 0',
        dbt.concat(["'seats '", quarantine_text('seats__raw'), "' is negative'"]),
    ),
    (
        'negative_amount',
        'mrr < 0',
        dbt.concat(["'mrr '", quarantine_text('mrr__raw'), "' is negative'"]),
    ),
    (
        'end_before_start',
        'end_date < start_date',
        dbt.concat(["'end_date '", quarantine_text('end_date__raw'), "' is before start_date '", quarantine_text('start_date__raw')]),
    ),
]) }}
