"""What system administrators do with their university's configuration (G-4, G-5, T-ADM-1):
save a local text as a new version (now or from a publication date), restore an earlier
version, and turn function switches on or off. Each checks the same predicate as the pages
(people.rules.administers_configuration_at), writes in one transaction and keeps the history."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from institutions.configuration import switch_fields
from institutions.models import (
    Institution,
    InstitutionSettings,
    LocalText,
    LocalTextSlot,
    LocalTextVersion,
    SettingsChange,
)
from institutions.sanitise import sanitise
from ladokportal import clock
from ladokportal.errors import DomainError, NotAllowed
from people.models import User


class ConfigurationError(DomainError):
    """A configuration change that cannot be made; the message is fit to show."""


def _require_system_admin(actor: User, institution: Institution) -> None:
    from people.rules import administers_configuration_at

    if not actor.is_superuser and not administers_configuration_at.test(actor, institution.pk):
        raise NotAllowed(_("Only the university's system administrators change its texts."))


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=clock.zone())


def save_local_text(
    actor: User,
    *,
    institution: Institution,
    slot: str,
    body_sv: str,
    body_en: str,
    publish_on: datetime.date | None = None,
    restored_from: LocalTextVersion | None = None,
) -> LocalTextVersion:
    """Save the text of one slot in both languages as its newest version; the HTML is sanitised
    before it is stored. With `publish_on` students see it from the start of that day in Sweden
    (the version shown until then stays); without, at once."""
    _require_system_admin(actor, institution)
    if slot not in LocalTextSlot.values:
        raise ConfigurationError(_("There is no local text called %(slot)s.") % {"slot": slot})
    if publish_on is not None and publish_on < clock.today():
        raise ConfigurationError(_("The publication date cannot be in the past."))
    moment = clock.now()
    visible_from = moment if publish_on is None else max(moment, _start_of(publish_on))
    sv, en = sanitise(body_sv), sanitise(body_en)
    with transaction.atomic():
        text, _created = LocalText.objects.select_for_update().get_or_create(
            institution=institution, slot=slot
        )
        version = LocalTextVersion.objects.create(
            institution=institution,
            text=text,
            body_sv=sv,
            body_en=en,
            publish_on=publish_on,
            visible_from=visible_from,
            created_at=moment,
            created_by=actor,
            restored_from=restored_from,
        )
        if visible_from <= moment:
            # The slot's row mirrors what students see now (the Django admin shows it).
            text.body_sv, text.body_en, text.updated_by = sv, en, actor
            text.save(update_fields=["body_sv", "body_en", "updated_by", "updated_at"])
    return version


def restore_local_text(actor: User, *, version: LocalTextVersion) -> LocalTextVersion:
    """Make an earlier version the one students see, from now: saved again as the newest
    version, so the history keeps both what was replaced and the restoring."""
    return save_local_text(
        actor,
        institution=version.institution,
        slot=version.text.slot,
        body_sv=version.body_sv,
        body_en=version.body_en,
        restored_from=version,
    )


def update_switches(
    actor: User, *, institution: Institution, values: dict[str, bool]
) -> list[SettingsChange]:
    """Turn the university's function switches (G-4) to `values`; only those that change are
    written, each with who and when. Pages and services read the settings on every request, so
    the change holds from the next one."""
    _require_system_admin(actor, institution)
    names = {field.name for field in switch_fields()}
    unknown = set(values) - names
    if unknown:
        raise ConfigurationError(
            _("There is no switch called %(name)s.") % {"name": ", ".join(sorted(unknown))}
        )
    moment = clock.now()
    with transaction.atomic():
        row, _created = InstitutionSettings.objects.select_for_update().get_or_create(
            institution=institution
        )
        changed = [name for name, value in values.items() if getattr(row, name) != bool(value)]
        for name in changed:
            setattr(row, name, bool(values[name]))
        if not changed:
            return []
        row.save(update_fields=changed)
        return SettingsChange.objects.bulk_create(
            SettingsChange(
                institution=institution,
                field=name,
                value=bool(values[name]),
                changed_at=moment,
                changed_by=actor,
            )
            for name in sorted(changed)
        )
