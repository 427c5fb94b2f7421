-- Invoices with their quarantine verdict (see base_crm__accounts).
-- Only issued_at is checked against the end of the data: paid_at may
-- legitimately be loaded a little fresher than the product events.
{{ quarantine_base('invoices', checks=[
    (
        'negative_amount',
        'amount < 0',
        dbt.concat(["'amount '", quarantine_text('amount__raw'), "' is negative'"]),
    ),
    (
        'end_before_start',
        'due_date < issued_at',
        dbt.concat(["'due_date '", quarantine_text('due_date__raw'), "' is before issued_at '", quarantine_text('issued_at__raw')]),
    ),
    (
        'end_before_start',
        'cast(paid_at as date) < issued_at',
        dbt.concat(["'paid_at '", quarantine_text('paid_at__raw'), "' is before issued_at '", quarantine_text('issued_at__raw')]),
    ),
]) }}
