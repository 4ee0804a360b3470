"""What a use case refuses, in words a person can act on; each front end maps them to its own form.

The CLI prints the message and exits with code 2; the HTTP service answers with the status named
here and the message in its JSON error body.
"""

from __future__ import annotations


class AppError(Exception):
    """A refusal a user can act on; ``status`` is the HTTP status the service answers with."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(AppError):
    """Absent, or not visible to this caller: the two read the same, so tenancy cannot leak."""

    status = 404

    @classmethod
    def profile(cls, kind: str, profile_id: str) -> NotFound:
        suffix = " that this key may see" if kind == "vacancy" else ""
        return cls(f"no {kind} with id {profile_id!r}{suffix}")


class Conflict(AppError):
    """The request clashes with the store's state; ``run_id`` names a rescoring run it clashes with."""

    status = 409

    def __init__(self, message: str, run_id: int | None = None) -> None:
        super().__init__(message)
        self.run_id = run_id


class InvalidInput(AppError):
    """A bad value in the named field (``location``: body, query, path)."""

    status = 422

    def __init__(self, field: str, message: str, location: str = "body") -> None:
        super().__init__(message)
        self.field, self.location = field, location
