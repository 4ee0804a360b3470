"""Pay as vacancies state it: schema.org ``baseSalary`` or a CSV cell like ``2.300-2.800 EUR/maand``.

Kept on the vacancy for the broker and the candidate; it is never a scoring input.
"""

from __future__ import annotations

import re
from typing import Any

UNITS = {
    "HOUR": "hour",
    "DAY": "day",
    "WEEK": "week",
    "MONTH": "month",
    "YEAR": "year",
}
_UNIT_WORDS = {
    "hour": ("uur", "hour", "heure", "/u", "per u"),
    "day": ("dag", "day", "jour"),
    "week": ("week", "semaine"),
    "month": ("maand", "month", "mois"),
    "year": ("jaar", "year", "annee", "année", " an"),
}
_NUMBER = re.compile(r"\d[\d. ]*(?:,\d+)?")


def _amount(text: str) -> float:
    """``2.300,50`` or ``2300.5`` → 2300.5 (Belgian thousands dots and decimal comma)."""
    text = text.replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")
    return float(text)


def salary_from_schema(value: Any) -> tuple[dict[str, Any] | None, str | None]:
    """A ``MonetaryAmount`` (or a bare number) as ``{min, max, currency, unit}``, or why it cannot be read."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"min": float(value), "max": float(value)}, None
    if isinstance(value, str):
        return salary_from_text(value)
    if not isinstance(value, dict):
        return None, f"baseSalary {value!r} is not a MonetaryAmount; it was not imported"
    given = value.get("currency")
    currency: str = given if isinstance(given, str) else "EUR"
    amount = value.get("value")
    unit = None
    if isinstance(amount, dict):
        unit = UNITS.get(str(amount.get("unitText", "")).upper())
        low, high = amount.get("minValue", amount.get("value")), amount.get("maxValue", amount.get("value"))
    else:
        low = high = amount
    numbers = [v for v in (low, high) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numbers:
        return None, "baseSalary gives no amount (value, or value.minValue/maxValue); it was not imported"
    found = {"min": float(low) if low in numbers else None, "max": float(high) if high in numbers else None}
    return {**found, "currency": currency.upper(), "unit": unit}, None


def salary_from_text(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """``€ 14,50/uur``, ``2.300-2.800 EUR per maand`` → the amount(s), currency and unit."""
    numbers = [_amount(n.strip()) for n in _NUMBER.findall(text) if n.strip(" .")]
    if not numbers or len(numbers) > 2:
        return None, f"salary {text!r} gives no amount like '2.300-2.800 EUR/maand'; it was not imported"
    lowered = f" {text.lower()}"
    unit = next((u for u, words in _UNIT_WORDS.items() if any(w in lowered for w in words)), None)
    currency = (
        "EUR"
        if ("€" in text or "eur" in lowered or not re.search(r"[A-Z]{3}", text))
        else re.findall(r"[A-Z]{3}", text)[0]
    )
    return {"min": min(numbers), "max": max(numbers), "currency": currency, "unit": unit}, None
