"""What persons do with their own records. Each function is one action: it validates, writes in
one transaction and schedules side effects after commit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.models import NotificationKind
from notifications.services import notify
from people import identity
from people.models import Person, User


class ContactDetailsError(Exception):
    """A change of contact details that cannot be made; the message is fit to show."""


# The fields a person may change about themselves (S-CONT-2, S-CONT-3). The population-register
# address is deliberately absent: it comes from the register only.
CONTACT_FIELDS = (
    "email",
    "phone",
    "temporary_care_of",
    "temporary_street",
    "temporary_postal_code",
    "temporary_city",
    "temporary_country",
    "temporary_valid_until",
)


def update_contact_details(actor: User, *, person: Person, changes: dict) -> Person:
    """Change a person's own contact details. Unknown or read-only fields are refused whole."""
    if actor.person_id != person.pk:
        raise PermissionError("A person changes only their own contact details.")
    refused = set(changes) - set(CONTACT_FIELDS)
    if refused:
        raise ContactDetailsError(
            f"Fields that cannot be changed here: {', '.join(sorted(refused))}"
        )
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        old_email = locked.email
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.contact_updated_at = timezone.now()
        locked.save(update_fields=[*changes, "contact_updated_at"])
        if old_email and old_email.lower() != locked.email.lower():
            # Tell the old address, so a hijacked session cannot quietly redirect mail.
            notify(
                locked,
                NotificationKind.EMAIL_CHANGED,
                to_email=old_email,
                context={"new_email": locked.email},
            )
    return locked


def set_language(actor: User, *, language: str) -> None:
    """Remember the person's language for what is sent to them (e-mail, PDF)."""
    if actor.person_id and language in ("sv", "en"):
        Person.objects.filter(pk=actor.person_id).exclude(language=language).update(
            language=language
        )


def person_for_identity_claim(raw: str) -> Person | None:
    """The Person an identity provider's identity-number claim names, if any."""
    try:
        canonical = identity.normalise(raw)
    except ValidationError:
        return None
    return Person.objects.filter(identity_number=canonical).first()


def user_for_person(person: Person) -> User:
    """The person's login account, created on their first external login."""
    with transaction.atomic():
        user, _ = User.objects.get_or_create(
            person=person,
            defaults={"username": f"p-{person.public_id.hex[:16]}", "email": person.email},
        )
    return user
