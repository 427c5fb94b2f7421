"""Lint-time stand-in for dbt's `dbt.` macro namespace.

sqlfluff's jinja templater does not know dbt's cross-database macros, so each
`dbt.<macro>(...)` call renders as a plain SQL expression of the right shape.
Only used by sqlfluff; dbt itself never imports this file.
"""


def _expr(*_args, **_kwargs):
    return "null"


def __getattr__(name):
    if name.startswith("type_"):
        return lambda *a, **k: "varchar"
    if name == "date_spine":
        return lambda *a, **k: "select cast(null as date) as date_day"
    return _expr
