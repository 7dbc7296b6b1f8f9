"""The one way a service refuses (#11 point 4).

Every refusal a person can meet is a `DomainError` carrying a message fit to show them, written
in the language active when it was raised. Each domain app names its own kinds (ResultError,
CertificateError, RegistrationError, SignupError, …), all derived from `DomainError`.

`NotAllowed` is the one refusal for a missing right, whichever app finds it: it is not a kind of
any app's error, so a view that shows an app's errors on its page never swallows it. Views do
not catch it: ladokportal.refusals answers it with 403, and any other `DomainError` a view leaves
uncaught with its message on the page the person came from.

A bug in the caller (an illegal transition of a state machine) is not a DomainError.
"""

from django.utils.translation import gettext_lazy


class DomainError(Exception):
    """Something the person asked for cannot be done; `message` says why. Nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    """The person lacks the right for this (T-ROLE-1): answered with 403."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or gettext_lazy("You do not have the right to do this."))
