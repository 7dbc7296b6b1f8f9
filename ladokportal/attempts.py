"""Do one act and tell the person how it went (#11 point 6): the staff web and the student web
alike.

`attempt` replaces the try/except/else around a service call that every page action wrote by
hand: a success message, or the refusal's message if a DomainError stopped the act. A missing
right (NotAllowed) is not caught: ladokportal.refusals answers it with 403. Where the page goes
next stays the view's: the outcome says whether the act went through and what it returned.

A view that shows a refusal better keeps its own try/except: beside a form's fields, on a form
shown again with what the person typed, on the report sheet with every row, or in place with
htmx.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib import messages
from django.http import HttpRequest

from ladokportal.errors import DomainError, NotAllowed

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """True when the act went through; `result` is what it returned (None when refused)."""

    went: bool
    result: T | None = None

    def __bool__(self) -> bool:
        return self.went


def attempt(
    request: HttpRequest,
    act: Callable[[], T],
    done: str | Callable[[T], str],
    *,
    refused: Callable[[DomainError], str] | None = None,
) -> Outcome[T]:
    """Do `act` (one service call) and tell the person how it went: `done` (or what it makes of
    the act's result) as a success message, or the refusal's message if a DomainError stopped
    it, put in words by `refused` where the page says more than the service. A missing right
    (NotAllowed) goes on to the 403."""
    try:
        result = act()
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, refused(error) if refused else str(error.message))
        return Outcome(False)
    messages.success(request, done(result) if callable(done) else done)
    return Outcome(True, result)


__all__ = ["Outcome", "attempt"]
