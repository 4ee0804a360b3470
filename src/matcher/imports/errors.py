"""Turn pydantic validation errors into a field path and a plain sentence a person can act on.

pydantic says "String should match pattern '^\\d{4}$'"; a broker fixing a spreadsheet needs
"postcode '12' must be 4 digits, e.g. 9000". The rewrites are keyed on pydantic's stable error
types, and the field path is translated back to the name the field has in the source format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

#: Examples that make a rewritten message concrete, by the last part of the field path.
EXAMPLES: dict[str, str] = {
    "postcode": "4 digits, e.g. 9000",
    "valid_through": "a date like 2026-12-31",
    "available_from": "a date like 2026-12-31",
    "birth_date": "a date like 1990-04-17",
}


def field_path(loc: tuple[Any, ...]) -> str | None:
    """``('requirements', 2, 'level')`` → ``requirements[2].level``; None for the record itself."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif isinstance(part, str) and "[" not in part:  # skip pydantic's 'function-after[...]' steps
            path += f".{part}" if path else part
    return path or None


def source_field(path: str | None, origins: Mapping[str, str]) -> str | None:
    """The name a model field has in the source: the longest known prefix of ``path`` is replaced."""
    if path is None or not origins:
        return path
    candidate = path
    while True:
        if candidate in origins:
            return origins[candidate] + path[len(candidate) :]
        cut = max(candidate.rfind("."), candidate.rfind("["))
        if cut <= 0:
            return path
        candidate = candidate[:cut]


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def sentence(error: Mapping[str, Any], name: str) -> str:
    """One pydantic error as a sentence that names the field, the value given and what is allowed."""
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    last = name.rsplit(".", 1)[-1].split("[")[0]
    given = f"{name} {_shown(value)}"
    if kind == "missing":
        return f"{name} is required"
    if kind == "extra_forbidden":
        return f"{name} is not a known field; check its spelling or remove it (see docs/import-formats.md)"
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"])).removeprefix("Value error, ")
        return f"{name} {message}" if message.startswith("must") else message
    if kind == "string_pattern_mismatch":
        return f"{given} must be {EXAMPLES.get(last, 'in the form ' + ctx.get('pattern', '?'))}"
    if kind == "string_type" and last == "postcode":
        return f'{given} must be text of 4 digits, e.g. "9000" in quotes'
    if kind == "string_too_short":
        return (
            f"{name} must not be empty"
            if ctx.get("min_length") == 1
            else f"{given} must have at least {ctx['min_length']} characters"
        )
    if kind == "string_too_long":
        return f"{name} is too long: at most {ctx['max_length']} characters"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        limit = next(iter(ctx.values()), "?")
        return f"{given} must be {bound} {limit}"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"{given} must be a whole number"
    if kind in ("float_parsing", "float_type"):
        return f"{given} must be a number, e.g. 38 or 19.5"
    if kind in ("bool_parsing", "bool_type"):
        return f"{given} must be true or false"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{given} must be {EXAMPLES.get(last, 'a date like 2026-12-31')}"
    if kind == "enum":
        return f"{given} must be one of {ctx.get('expected', '?')}"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        wanted = "a list" if kind == "list_type" else "an object"
        return f"{name} must be {wanted}; got {_shown(value)}"
    return f"{given}: {error['msg']}"


def explain(
    exc: ValidationError, origins: Mapping[str, str] | None = None, prefix: str = ""
) -> list[tuple[str | None, str]]:
    """Every error of ``exc`` as ``(source field, sentence)``, in pydantic's order."""
    problems = []
    for error in exc.errors(include_url=False):
        path = field_path((prefix, *tuple(error["loc"])) if prefix else tuple(error["loc"]))
        name = source_field(path, origins or {})
        problems.append((name, sentence(error, name or "record")))
    return problems
