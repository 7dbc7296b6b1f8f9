"""Errors the result services raise, each with a message fit to show the person."""


class ResultError(Exception):
    """Something the person asked for cannot be done; the message says why. Nothing changed."""


class NotAllowed(ResultError):
    """The person lacks the right for this course (T-ROLE-1)."""


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
