"""Errors the domain raises; the GraphQL layer turns them into payload errors or coded GraphQL errors."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ErrorCode(enum.StrEnum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    UNIQUE = "UNIQUE"
    FORBIDDEN = "FORBIDDEN"


@dataclass(frozen=True)
class FieldError:
    """A problem the user can fix; `field` is the snake_case name of the input field, or None."""

    field: str | None
    code: ErrorCode
    message: str


class DomainError(Exception):
    """Raised by services; carries every problem found so a client can show them all at once."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors

    @classmethod
    def bad_input(cls, field: str | None, message: str) -> DomainError:
        return cls([FieldError(field, ErrorCode.BAD_USER_INPUT, message)])

    @classmethod
    def not_found(cls, field: str | None, message: str) -> DomainError:
        return cls([FieldError(field, ErrorCode.NOT_FOUND, message)])

    @classmethod
    def conflict(cls, field: str | None, message: str) -> DomainError:
        return cls([FieldError(field, ErrorCode.CONFLICT, message)])

    @classmethod
    def forbidden(cls, field: str | None, message: str) -> DomainError:
        return cls([FieldError(field, ErrorCode.FORBIDDEN, message)])

    @classmethod
    def unique(cls, field: str | None, message: str) -> DomainError:
        return cls([FieldError(field, ErrorCode.UNIQUE, message)])


class Problems:
    """Collects field errors while validating, then raises them together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str | None, message: str, code: ErrorCode = ErrorCode.BAD_USER_INPUT) -> None:
        self.errors.append(FieldError(field, code, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise DomainError(self.errors)
