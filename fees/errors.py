from ladokportal.errors import DomainError


class FeeError(DomainError):
    """A fee act that cannot be done; the message says why. Nothing changed."""


class BankFileError(FeeError):
    """An uploaded bank file that cannot be read as camt.054; nothing was stored."""
