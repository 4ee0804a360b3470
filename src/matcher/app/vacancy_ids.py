"""Which vacancy ids a caller may create, so that refusing one never tells whose it is.

An employer key creates only ids that start with its employer id and a dash (``emp-a-123``). An id
held by another employer therefore gets the same refusal as any free id outside that namespace,
and an employer cannot probe which ids other employers use. Brokers, admins and imports choose
ids freely (they see every employer anyway).
"""

from __future__ import annotations

from ..store import ApiKey, Role, Store
from .errors import Conflict, InvalidInput


def employer_prefix(employer_id: str) -> str:
    return f"{employer_id}-"


def check_new_vacancy_id(store: Store, key: ApiKey, vacancy_id: str) -> None:
    """Refuse an id this key may not create: outside its namespace (422) or already used (409)."""
    if key.role is Role.employer and key.employer_id is not None:
        prefix = employer_prefix(key.employer_id)
        if not vacancy_id.startswith(prefix) or len(vacancy_id) == len(prefix):
            raise InvalidInput(
                "id",
                f"an employer key creates vacancy ids that start with {prefix!r}, e.g. {prefix}{vacancy_id}; "
                f"so no id can collide with another employer's",
            )
    if store.get_vacancy(vacancy_id) is not None:
        raise Conflict(
            f"a vacancy with id {vacancy_id!r} exists; choose another id, "
            f"or replace it with PUT /vacancies/{vacancy_id}"
        )
