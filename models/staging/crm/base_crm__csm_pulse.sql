-- CSM pulse readings with their quarantine verdict (see base_crm__accounts).
-- Raw pulses have no id: the key is (account_id, recorded_at) and pulse_id
-- is its surrogate hash (surrogate_key in var('raw_inputs')), so one account
-- cannot have two readings at once.
{{ quarantine_base('csm_pulse') }}
