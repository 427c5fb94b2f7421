-- Accounts with their quarantine verdict. stg_crm__accounts keeps the clean
-- rows, stg_quarantine the rest, so the rules live in this one place: the
-- contract entry of var('raw_inputs') and macros/staging/quarantine_base.sql.
{{ quarantine_base('accounts') }}
