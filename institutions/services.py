"""What system administrators do with their university's configuration (G-4, G-5)."""

from django.db import transaction
from django.utils.translation import gettext as _

from institutions.models import Institution, LocalText, LocalTextSlot
from institutions.sanitise import sanitise
from ladokportal.errors import DomainError, NotAllowed
from people.models import StaffRoleKind, User


class ConfigurationError(DomainError):
    """A configuration change that cannot be made; the message is fit to show."""


def _require_system_admin(actor: User, institution: Institution) -> None:
    if (
        not actor.is_superuser
        and not actor.staff_roles.filter(
            institution=institution, role=StaffRoleKind.SYSTEM_ADMIN
        ).exists()
    ):
        raise NotAllowed(_("Only the university's system administrators change its texts."))


def set_local_text(
    actor: User, *, institution: Institution, slot: LocalTextSlot, body_sv: str, body_en: str
) -> LocalText:
    """Write the text of one slot in both languages; the HTML is sanitised before it is stored."""
    _require_system_admin(actor, institution)
    if slot not in LocalTextSlot.values:
        raise ConfigurationError(f"Unknown local text slot: {slot}")
    with transaction.atomic():
        text, _ = LocalText.objects.update_or_create(
            institution=institution,
            slot=slot,
            defaults={
                "body_sv": sanitise(body_sv),
                "body_en": sanitise(body_en),
                "updated_by": actor,
            },
        )
    return text
