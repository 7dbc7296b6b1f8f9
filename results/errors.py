"""Errors the result services raise, each with a message fit to show the person.

A missing right on the course (T-ROLE-1) is the portal's one NotAllowed (ladokportal.errors),
named here too for the services that raise it; it is not a ResultError, so a page that shows a
ResultError never swallows a refusal for want of a right.
"""

from ladokportal.errors import DomainError, NotAllowed

__all__ = ["InvalidEntries", "NotAllowed", "ResultError", "StaleResult"]


class ResultError(DomainError):
    """Something the person asked for cannot be done; the message says why. Nothing changed."""


class StaleResult(ResultError):
    """Someone changed the result since the page was loaded (optimistic locking): the change is
    refused, never applied over theirs. `names` are the students concerned."""

    def __init__(self, message: str, names: list[str] | None = None):
        super().__init__(message)
        self.names = names or []


class InvalidEntries(ResultError):
    """Some rows of a report are wrong. `errors` maps the row's index to its messages; nothing
    was saved."""

    def __init__(self, message: str, errors: dict[int, list[str]]):
        super().__init__(message)
        self.errors = errors
