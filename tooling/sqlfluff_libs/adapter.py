"""Lint-time stand-in for `adapter.dispatch(...)`: the dispatched macro renders as null."""


def dispatch(_name, _namespace=None, **_kwargs):
    return lambda *a, **k: "null"
