from ladokportal.errors import DomainError, NotAllowed


class DegreeError(DomainError):
    """An application, a decision or a share that cannot be made; the message says why."""


__all__ = ["DegreeError", "NotAllowed"]
