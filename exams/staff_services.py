"""What study administrators do to activity sessions themselves (T-ADM-3): create and edit
them. Participants are added and removed by exams.services.

Every rule is checked here, whoever calls (the staff web's form only parses the input): the
person's rights, the times in order, the course instances and modules of this university that the
person manages, the re-take. A refused change raises SessionError, a DomainError whose messages
are also keyed by the SessionData field they concern (`message_dict`, as a ValidationError's), so a
form can show each one beside its field. Nothing is saved unless everything holds.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import CourseInstance, Module
from exams.models import ActivitySession, SessionKind, Signup
from exams.rules import manages_session
from institutions.models import Institution
from ladokportal import clock
from ladokportal.errors import DomainError, NotAllowed
from people.models import User
from people.rules import administers_studies_at
from registration.rules import managed_course_instances

# Letters, digits and hyphens: the label is the prefix of the session's anonymisation codes.
_LABEL = re.compile(r"^[^\W_]+(-[^\W_]+)*$")


class SessionError(DomainError):
    """The session cannot be saved as given; `message_dict` says why, field by field, and the
    message says all of it at once (where no form shows the fields). A form puts each on its
    field through `as_validation_error()`."""

    def __init__(self, message_dict: dict[str, list[str]]) -> None:
        super().__init__(" ".join(m for messages in message_dict.values() for m in messages))
        self.message_dict = message_dict

    def as_validation_error(self) -> ValidationError:
        return ValidationError(self.message_dict)


@dataclass(frozen=True, kw_only=True)
class SessionData:
    """Everything a study administrator sets on a session. Times are aware datetimes."""

    name_sv: str
    name_en: str
    kind: str
    label: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    course_instances: Sequence[CourseInstance]
    modules: Sequence[Module] = ()
    town: str = ""
    place: str = ""
    link: str = ""
    signup_opens: datetime.date | None = None
    signup_closes: datetime.date | None = None
    capacity: int | None = None
    students_may_cancel: bool = True
    anonymous: bool = False
    retake: ActivitySession | None = None


_M2M = ("course_instances", "modules")


def create_session(actor: User, *, institution: Institution, data: SessionData) -> ActivitySession:
    """A new session at the university, examining course instances the actor manages there."""
    if not administers_studies_at(actor, institution.pk):
        raise NotAllowed(_("Only study administrators create activity sessions."))
    with transaction.atomic():
        _check(actor, institution, data, session=None, participants=0)
        session = ActivitySession(institution=institution)
        return _save(session, data)


def update_session(actor: User, *, session: ActivitySession, data: SessionData) -> ActivitySession:
    """Change a session the actor manages. Course instances already on it may stay; the ones
    added must be the actor's. While students have a place, anonymity and the label (the prefix
    of their codes) stay as they are, and the capacity cannot drop below the places taken."""
    if not manages_session(actor, session):
        raise NotAllowed(_("Only the session's study administrators edit it."))
    with transaction.atomic():
        locked = ActivitySession.objects.select_for_update().get(pk=session.pk)
        participants = Signup.objects.filter(session=locked, cancelled_at__isnull=True).count()
        _check(actor, locked.institution, data, session=locked, participants=participants)
        return _save(locked, data)


def _save(session: ActivitySession, data: SessionData) -> ActivitySession:
    for field, value in asdict(data).items():
        if field not in _M2M:
            setattr(session, field, value)
    try:
        # The model's own validation too (lengths, URL, the database's check constraints).
        session.full_clean(exclude=["institution"])
    except ValidationError as error:
        raise SessionError(error.message_dict) from None
    session.save()
    session.course_instances.set(data.course_instances)
    session.modules.set(data.modules)
    return session


def _check(
    actor: User,
    institution: Institution,
    data: SessionData,
    *,
    session: ActivitySession | None,
    participants: int,
) -> None:
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    _check_names(data, session, participants, refuse)
    _check_times(data, refuse)
    _check_places(data, session, participants, refuse)
    _check_courses(actor, institution, data, session, refuse)
    _check_retake(actor, institution, data, session, refuse)
    if errors:
        raise SessionError(errors)


def _check_names(data: SessionData, session, participants: int, refuse) -> None:
    if not (data.name_sv.strip() or data.name_en.strip()):
        refuse("name_en", _("Give the session a name in Swedish, in English or both."))
    if data.kind not in SessionKind.values:
        refuse("kind", _("Choose what kind of session it is."))
    if not _LABEL.match(data.label):
        refuse(
            "label",
            _("Give a short label of letters and digits, such as TEN1 (hyphens allowed)."),
        )
    if session is not None and participants:
        if data.anonymous != session.anonymous:
            refuse(
                "anonymous",
                _(
                    "Whether the exam is anonymous cannot change once students have a place "
                    "(%(count)s participants)."
                )
                % {"count": participants},
            )
        if session.anonymous and data.label != session.label:
            refuse(
                "label",
                _(
                    "The label begins the participants' anonymisation codes and cannot change "
                    "once students have a place."
                ),
            )


def _check_times(data: SessionData, refuse) -> None:
    if data.ends_at <= data.starts_at:
        refuse("ends_at", _("The session must end after it starts."))
    opens, closes = data.signup_opens, data.signup_closes
    if (opens is None) != (closes is None):
        refuse(
            "signup_closes" if closes is None else "signup_opens",
            _(
                "Give both the first and the last day of sign-up, or neither (then only "
                "study administrators add participants)."
            ),
        )
    elif opens is not None and closes is not None:
        if closes < opens:
            refuse("signup_closes", _("Sign-up must close on or after the day it opens."))
        starts_on = clock.date_of(data.starts_at)
        if closes >= starts_on:
            refuse(
                "signup_closes",
                _("Sign-up must close before the day the session starts (%(date)s).")
                % {"date": starts_on.isoformat()},
            )


def _check_places(data: SessionData, session, participants: int, refuse) -> None:
    if data.capacity is None:
        return
    if data.capacity < 1:
        refuse("capacity", _("The number of places must be at least 1, or empty for no limit."))
    elif session is not None and data.capacity < participants:
        refuse(
            "capacity",
            _("%(count)s students already have a place: give at least that many places.")
            % {"count": participants},
        )


def _check_courses(actor, institution: Institution, data: SessionData, session, refuse) -> None:
    chosen = {instance.pk: instance for instance in data.course_instances}
    if not chosen:
        refuse("course_instances", _("Choose at least one course instance the session examines."))
        return
    kept = set(session.course_instances.values_list("pk", flat=True)) if session else set()
    added = [pk for pk in chosen if pk not in kept]
    managed = set(
        managed_course_instances(actor, institution.pk)
        .filter(pk__in=added)
        .values_list("pk", flat=True)
    )
    foreign = [chosen[pk] for pk in added if pk not in managed]
    if foreign:
        refuse(
            "course_instances",
            _("You can only choose course instances of %(university)s that you manage: %(list)s.")
            % {"university": institution.name, "list": ", ".join(str(i) for i in foreign)},
        )
    courses = {instance.course_id for instance in chosen.values()}
    strays = [
        module
        for module in data.modules
        if module.course_id not in courses or module.institution_id != institution.pk
    ]
    if strays:
        refuse(
            "modules",
            _("Choose modules of the chosen course instances' courses only: %(list)s.")
            % {"list": ", ".join(f"{m.code} {m.name}" for m in strays)},
        )


def _check_retake(actor, institution: Institution, data: SessionData, session, refuse) -> None:
    retake = data.retake
    if retake is None:
        return
    # Two sessions taking the same re-take at once: the second waits here, then sees the first.
    ActivitySession.objects.select_for_update().filter(pk=retake.pk).first()
    if session is not None and retake.pk == session.pk:
        refuse("retake", _("A session cannot be its own re-take."))
        return
    if retake.institution_id != institution.pk or not manages_session(actor, retake):
        refuse("retake", _("Choose a re-take among the sessions you manage at this university."))
        return
    if retake.starts_at <= data.ends_at:
        refuse("retake", _("The re-take must start after this session ends."))
    courses = {instance.course_id for instance in data.course_instances}
    if not courses & set(retake.course_instances.values_list("course_id", flat=True)):
        refuse("retake", _("The re-take must examine the same course as this session."))
    taken = ActivitySession.objects.filter(retake=retake)
    if session is not None:
        taken = taken.exclude(pk=session.pk)
    other = taken.first()
    if other is not None:
        refuse(
            "retake",
            _("%(retake)s is already the re-take of %(session)s.")
            % {"retake": retake.label, "session": other.label},
        )
