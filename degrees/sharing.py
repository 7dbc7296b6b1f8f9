"""Sharing an issued degree (delning, S-DEG-5, B-5). The student creates a share: a code of the
same quality as a certificate's check code (certificates.codes) and an optional last day. A
recipient enters the code and the holder's personal identity number on a public page and sees the
degree and the results it rests on as they stand now. A wrong identity number with a right code
answers exactly as an unknown code; a revoked or expired share and a withdrawn degree stop
answering. Each answered look-up is a ShareUse: when, never who.

A look-up and a revocation both lock the share's row, so a share used while it is revoked is
either used before (and the use is logged) or refused after: never answered without a log line,
never logged after its revocation.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from certificates import codes
from degrees.errors import DegreeError, NotAllowed
from degrees.inputs import CompletedCourse, completed_courses
from degrees.models import DegreeShare, IssuedDegree, ShareUse
from ladokportal import clock
from people import identity
from people.models import User

CODE_ATTEMPTS = 5
# How far ahead a share may last; none means until revoked.
LONGEST = datetime.timedelta(days=5 * 366)


def create_share(
    actor: User, degree: IssuedDegree, *, expires_on: datetime.date | None = None
) -> DegreeShare:
    """A new share of one of the actor's own issued degrees."""
    if actor.person_id is None or actor.person_id != degree.person_id:
        raise NotAllowed(_("Only the holder may share a degree."))
    settings = getattr(degree.institution, "settings", None)
    if not getattr(settings, "degree_sharing", False):
        raise DegreeError(_("This university does not offer sharing of degrees."))
    if degree.withdrawn:
        raise DegreeError(_("A withdrawn degree cannot be shared."))
    today = clock.today()
    if expires_on is not None and not today <= expires_on <= today + LONGEST:
        raise DegreeError(_("The last day must be between today and five years from now."))
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return DegreeShare.objects.create(
                    institution_id=degree.institution_id,
                    degree=degree,
                    code=codes.new_code(),
                    expires_on=expires_on,
                )
        except IntegrityError:
            continue
    raise DegreeError(_("The share could not be created. Try again."))


def revoke_share(actor: User, share: DegreeShare) -> DegreeShare:
    """The share stops answering at once; a second click changes nothing."""
    if actor.person_id is None or actor.person_id != share.degree.person_id:
        raise NotAllowed(_("Only the holder may revoke a share."))
    with transaction.atomic():
        locked = DegreeShare.objects.select_for_update().get(pk=share.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
    return locked


@dataclass(frozen=True)
class SharedDegree:
    """What a recipient sees: the frozen degree and its courses' results as they stand now."""

    degree: IssuedDegree
    current: list[CompletedCourse]

    @property
    def content(self) -> dict:
        return self.degree.content


def valid_identity(text: str) -> str | None:
    try:
        return identity.normalise(text)
    except ValidationError:
        return None


def look_up(code_text: str, identity_text: str) -> SharedDegree | None:
    """The degree a share answers for with this identity number, the use logged; None for a
    malformed, unknown, revoked or expired code, a withdrawn degree or another person's number
    (the same answer, so nothing helps guessing)."""
    code = codes.normalise(code_text)
    number = valid_identity(identity_text)
    if code is None or number is None:
        return None
    with scopes_disabled(), transaction.atomic():
        share = (
            DegreeShare.objects.select_for_update(of=("self",))
            .select_related("degree__person")
            .filter(code=code)
            .first()
        )
        if share is None or not _answers(share, number):
            return None
        ShareUse.objects.create(institution_id=share.institution_id, share=share)
        degree = share.degree
        wanted = {c["course_id"] for c in degree.content["courses"]}
        current = [
            c
            for c in completed_courses(degree.person_id, degree.institution_id)
            if c.course_id in wanted
        ]
    return SharedDegree(degree=degree, current=current)


def _answers(share: DegreeShare, number: str) -> bool:
    degree = share.degree
    return (
        share.revoked_at is None
        and (share.expires_on is None or share.expires_on >= clock.today())
        and degree.withdrawn_at is None
        and degree.person.identity_number == number
    )
