"""Domain errors: every message is Chinese and names what is wrong, so the UI can show it as is."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request; the message is meant for the user."""


class FieldError(DomainError, ValueError):
    """One input field is wrong. `field` is the field's Chinese label."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"「{field}」{message}")


class ValidationFailed(DomainError, ValueError):
    """Several fields are wrong at once; the form shows each next to its field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("；".join(str(e) for e in self.errors))

    def by_field(self) -> dict[str, str]:
        return {e.field: e.message for e in self.errors}


class TransitionError(DomainError):
    """The workflow does not allow this action from this status, or its guard failed."""


class PermissionDenied(DomainError):
    """The user's role or office scope does not allow this."""


class NotFound(DomainError):
    """The record asked for does not exist (or is outside the user's scope)."""


class ConflictError(DomainError):
    """The record changed since it was read (optimistic version check)."""


class AuthenticationError(DomainError):
    """Login refused: wrong name or password, disabled or locked account."""


class StorageError(DomainError):
    """The database file could not be read or written (busy, disk full, read-only): the user's
    machine, not the request, is the problem; what they typed is kept and they may try again."""
