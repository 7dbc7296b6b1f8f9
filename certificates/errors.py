"""Errors of the certificate services, each with a message fit to show the person."""


class CertificateError(Exception):
    """The request cannot be met as asked; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(CertificateError):
    """The actor may not do this for this person."""
