"""Errors of the certificate services, each with a message fit to show the person.

The actor's missing right is the portal's one NotAllowed (ladokportal.errors), named here too for
the services that raise it; it is not a CertificateError, so a form that shows a CertificateError
never swallows it.
"""

from ladokportal.errors import DomainError, NotAllowed

__all__ = ["CertificateError", "NotAllowed"]


class CertificateError(DomainError):
    """The request cannot be met as asked; the message says why."""
