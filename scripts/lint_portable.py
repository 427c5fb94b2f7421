"""Fail when engine-specific SQL appears outside dispatched macros.

    python scripts/lint_portable.py [PATH ...]     (default: models tests)

The models, singular tests and unit-test SQL fixtures run unchanged on DuckDB,
Postgres and Spark (docs/engines.md); engine-specific SQL belongs in an
`adapter.dispatch` macro under macros/. This lint reads every .sql file and
every `format: sql` fixture of the .yml files under the given paths, drops
comments and Jinja (macro calls are fine: that is where dispatch happens), and
reports each DuckDB-only construct left in the SQL with file, line and the
portable replacement. It also checks that every aliasable subquery in a FROM
or JOIN has an alias (Postgres requires one) and that unit-test names fit in
Postgres's 63-character identifiers. Exit 1 when anything is found.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# (pattern, what to use instead); matched case-insensitively on SQL with
# comments and Jinja removed
FORBIDDEN: list[tuple[str, str]] = [
    (r"\bdate_diff\s*\(", "dbt.datediff() / metrics_days_between()"),
    (r"(?<![.\w])datediff\s*\(", "dbt.datediff()"),
    (r"\bdate_add\s*\(|\bdate_sub\s*\(", "dbt.dateadd() / metrics_add_days()"),
    (r"\bstrftime\s*\(|\bstrptime\s*\(", "a dispatched formatting macro"),
    (r"\bepoch(_ms|_us|_ns)?\s*\(", "dbt.datediff()"),
    (r"\blist_\w+\s*\(|\barray_\w+\s*\(|\blist_value\b",
     "a dispatched macro (no list functions in models)"),
    (r"\bstruct_pack\s*\(|\bstruct_extract\s*\(", "separate columns"),
    (r"\btry_cast\s*\(", "{{ try_cast(expression, type) }} (macros/utils/try_cast.sql)"),
    (r"\bqualify\b", "a window in a CTE, filtered in the next CTE"),
    (r"\bgroup\s+by\s+(all\b|'all'|\*)", "the grouping columns by name"),
    (r"::", "cast(x as type)"),
    (r"\brange\s*\(", "{{ health_date_series() }} / {{ health_int_series() }}"),
    (r"\bgenerate_series\s*\(|\bunnest\s*\(",
     "{{ health_date_series() }} / {{ health_int_series() }}"),
    (r"\bto_(minutes|hours|days|seconds|weeks|months|years)\s*\(", "dbt.dateadd()"),
    (r"\binterval\s+'?\d", "dbt.dateadd()"),
    (r"\bhugeint\b", "{{ dbt.type_bigint() }}"),
    (r"\bdouble\b(?!\s+precision)", "{{ type_double() }}"),
    (r"\bvarchar\b", "{{ dbt.type_string() }}"),
    (r"\bregexp_matches\s*\(|\bregexp_full_match\s*\(", "a dispatched macro"),
    (r"\bmedian\s*\(|\bquantile(_cont|_disc)?\s*\(", "{{ metrics_median() }}"),
    (r"\b(arg_max|arg_min|max_by|min_by|argmax|argmin)\s*\(", "row_number() in a CTE"),
    (r"\bcount_if\s*\(", "sum(case when ... then 1 else 0 end)"),
    (r"\b(string_agg|listagg|group_concat)\s*\(", "dbt.listagg()"),
    (r"\bisfinite\s*\(|\bisnan\s*\(|\bisinf\s*\(", "{{ try_cast() }} (non-finite values are null)"),
    (r"\bdate_trunc\s*\(", "dbt.date_trunc()"),
    (r"\blast_day\s*\(|\bmake_date\s*\(", "metrics_add_months() / metrics_add_days()"),
    (r"\bilike\b|\bsimilar\s+to\b|\bregexp_like\s*\(", "lower(x) like / a dispatched macro"),
    (r"\[", "no list literals (a union all / values relation)"),
    (r"\bread_(csv|parquet|json)\w*\s*\(", "a source (var('raw_locations'))"),
]
FORBIDDEN_RE = [(re.compile(p, re.IGNORECASE), fix) for p, fix in FORBIDDEN]
# a two-argument round: Postgres has no round(double precision, integer)
ROUND_RE = re.compile(r"\bround\s*\(", re.IGNORECASE)
SUBQUERY_RE = re.compile(r"\b(from|join)\s*\(", re.IGNORECASE)
NOT_ALIAS = {"where", "group", "order", "union", "having", "limit", "join", "left", "right",
             "inner", "full", "cross", "on", "except", "intersect", "window", ""}
MAX_IDENTIFIER = 63


def strip_sql(text: str) -> str:
    """Comments, Jinja and the contents of string literals blanked out (except
    'all', so `group by 'all'` is still seen), line breaks kept."""
    def blank(m: re.Match) -> str:
        return re.sub(r"[^\n]", " ", m.group(0))

    text = re.sub(r"\{#.*?#\}", blank, text, flags=re.DOTALL)
    text = re.sub(r"\{%.*?%\}", blank, text, flags=re.DOTALL)
    text = re.sub(r"\{\{.*?\}\}", blank, text, flags=re.DOTALL)
    text = re.sub(r"'(?:[^']|'')*'",
                  lambda m: m.group(0) if m.group(0).lower() == "'all'"
                  else "'" + " " * (len(m.group(0)) - 2) + "'", text)
    text = re.sub(r"--[^\n]*", blank, text)
    text = re.sub(r"/\*.*?\*/", blank, text, flags=re.DOTALL)
    return text


def _close(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def problems(sql: str) -> list[tuple[int, str, str]]:
    """(line offset, found text, fix) for every non-portable construct."""
    text = strip_sql(sql)
    out = []
    for rx, fix in FORBIDDEN_RE:
        for m in rx.finditer(text):
            out.append((text.count("\n", 0, m.start()), m.group(0).strip(), fix))
    for m in ROUND_RE.finditer(text):
        close = _close(text, m.end() - 1)
        inner, depth = text[m.end():close], 0
        for ch in inner:
            depth += ch == "("
            depth -= ch == ")"
            if ch == "," and depth == 0:
                out.append((text.count("\n", 0, m.start()), "round(x, digits)",
                            "{{ health_round(x, digits) }}"))
                break
    for m in SUBQUERY_RE.finditer(text):
        open_at = m.end() - 1
        if not re.match(r"\(\s*(select|with|values)\b", text[open_at:], re.IGNORECASE):
            continue
        after = text[_close(text, open_at) + 1:]
        word = re.match(r"\s*([A-Za-z_]\w*)?", after).group(1) or ""
        if word.lower() in NOT_ALIAS:
            out.append((text.count("\n", 0, m.start()), "subquery without an alias",
                        "name it: from (...) as some_name"))
    return sorted(out)


def sql_fixtures(path: Path) -> list[tuple[int, str, str]]:
    """(first line, label, SQL) of every format: sql fixture in a .yml file,
    plus unit-test names too long for Postgres as problems."""
    text = path.read_text()
    doc = yaml.safe_load(text) or {}
    found = []
    lines = text.split("\n")
    for test in doc.get("unit_tests") or []:
        name = test.get("name", "")
        if len(name) > MAX_IDENTIFIER:
            line = next((i for i, ln in enumerate(lines) if f"name: {name}" in ln), 0)
            found.append((line, "name", name))
        parts = [(g.get("input", ""), g) for g in test.get("given") or []]
        parts.append(("expect", test.get("expect") or {}))
        for label, part in parts:
            if part.get("format") == "sql" and isinstance(part.get("rows"), str):
                first = part["rows"].split("\n", 1)[0].strip()
                line = next((i for i, ln in enumerate(lines) if first and first in ln), 0)
                found.append((line, f"{name} {label}", part["rows"]))
    return found


def lint(paths: list[Path]) -> list[str]:
    report = []
    for base in paths:
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for f in files:
            rel = f.relative_to(ROOT) if f.is_relative_to(ROOT) else f
            if f.suffix == ".sql":
                for line, found, fix in problems(f.read_text()):
                    report.append(f"{rel}:{line + 1}: `{found}` is not portable: use {fix}")
            elif f.suffix == ".yml":
                for line, label, sql in sql_fixtures(f):
                    if label == "name":
                        report.append(f"{rel}:{line + 1}: unit test name `{sql}` is longer than "
                                      f"{MAX_IDENTIFIER} characters (Postgres identifiers)")
                        continue
                    for offset, found, fix in problems(sql):
                        report.append(f"{rel}:{line + offset + 1}: `{found}` in the SQL fixture of "
                                      f"{label} is not portable: use {fix}")
    return report


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a).resolve() for a in args] or [ROOT / "models", ROOT / "tests"]
    report = lint(paths)
    for line in report:
        print(line)
    if report:
        print(f"lint_portable: {len(report)} non-portable construct(s); engine-specific SQL "
              "belongs in a dispatched macro under macros/ (docs/engines.md)", file=sys.stderr)
        return 1
    print(f"lint_portable: ok ({', '.join(str(p.relative_to(ROOT)) for p in paths)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
