"""What students and study administrators do with activity sessions: one function per action.

Sign-ups lock the session row first, so places are counted by one request at a time: two
students taking the last place at once get one place and one clear refusal.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exams import codes, eligibility
from exams.models import ActivitySession, CodeListing, Signup
from exams.rules import manages_session
from institutions.models import InstitutionSettings
from ladokportal import clock
from ladokportal.errors import DomainError, NotAllowed
from people.models import Person, User
from registration.models import CourseParticipation, ParticipationState


class SignupError(DomainError):
    """A sign-up action that cannot be taken now; the message says why."""


# Students on these participations take the course (S-EXAM-4).
TAKING_STATES = (ParticipationState.REGISTERED,)


def takes_course(person_id: int, session: ActivitySession) -> bool:
    return CourseParticipation.objects.filter(
        person_id=person_id,
        course_instance__in=session.course_instances.all(),
        state__in=TAKING_STATES,
    ).exists()


def _lock(session: ActivitySession) -> ActivitySession:
    return ActivitySession.objects.select_for_update().get(pk=session.pk)


def _active_signup(session: ActivitySession, person_id: int) -> Signup | None:
    return Signup.objects.filter(
        session=session, person_id=person_id, cancelled_at__isnull=True
    ).first()


def _taken_places(session: ActivitySession) -> int:
    return Signup.objects.filter(session=session, cancelled_at__isnull=True).count()


def _create(session: ActivitySession, person_id: int, *, added_by: User | None) -> Signup:
    """The sign-up row, with a fresh anonymisation code for an anonymous session. A code that
    happens to be taken already is drawn again (the unique constraint tells)."""
    for _attempt in range(10):
        code = codes.new_code(session.label) if session.anonymous else None
        try:
            with transaction.atomic():
                return Signup.objects.create(
                    institution_id=session.institution_id,
                    session=session,
                    person_id=person_id,
                    anonymisation_code=code,
                    added_by=added_by,
                )
        except IntegrityError:
            if _active_signup(session, person_id) is not None:
                raise SignupError(_("You are signed up.")) from None
    raise RuntimeError("no free anonymisation code after ten draws")


def sign_up(actor: User, *, session: ActivitySession) -> Signup:
    """S-EXAM-1, S-EXAM-4: the student signs up within the sign-up period, once, while there
    are places, for a session of a course they take."""
    if actor.person_id is None:
        raise NotAllowed(_("Only students sign up."))
    with transaction.atomic():
        locked = _lock(session)
        verdict = eligibility.can_sign_up(
            locked,
            takes_course=takes_course(actor.person_id, locked),
            signup=_active_signup(locked, actor.person_id),
            taken_places=_taken_places(locked),
            today=clock.today(),
        )
        if not verdict:
            raise SignupError(verdict.reason)
        return _create(locked, actor.person_id, added_by=None)


def cancel_sign_up(actor: User, *, signup: Signup) -> None:
    """Where the session and the university allow it, within the sign-up period."""
    if actor.person_id != signup.person_id:
        raise NotAllowed(_("A student cancels only their own sign-up."))
    with transaction.atomic():
        session = _lock(signup.session)
        locked = Signup.objects.select_for_update().get(pk=signup.pk)
        settings = InstitutionSettings.objects.get(institution_id=session.institution_id)
        verdict = eligibility.can_cancel(session, locked, settings, clock.today())
        if not verdict:
            raise SignupError(verdict.reason)
        locked.cancelled_at = timezone.now()
        locked.cancelled_by = actor
        locked.save(update_fields=["cancelled_at", "cancelled_by"])


def add_participant(actor: User, *, session: ActivitySession, person: Person) -> Signup:
    """A study administrator adds a student, also outside the sign-up period (the student then
    sees the session under "Signed up"). The student must study at the session's university."""
    if not manages_session(actor, session):
        raise NotAllowed(_("Only the session's study administrators add participants."))
    with transaction.atomic():
        locked = _lock(session)
        if _active_signup(locked, person.pk) is not None:
            raise SignupError(_("The student is already a participant."))
        if not CourseParticipation.objects.filter(
            person=person, institution_id=locked.institution_id
        ).exists():
            raise SignupError(_("The student has no studies at this university."))
        # The session examines its courses' students (#12 point 6): someone on none of them
        # (on any instance of the course, a re-taker included) is no participant of it.
        if not CourseParticipation.objects.filter(
            person=person,
            course_instance__course__instances__activity_sessions=locked,
        ).exists():
            raise SignupError(
                _("The student is not on any course the session examines: admit them first.")
            )
        return _create(locked, person.pk, added_by=actor)


def remove_participant(actor: User, *, signup: Signup) -> None:
    if not manages_session(actor, signup.session):
        raise NotAllowed(_("Only the session's study administrators remove participants."))
    with transaction.atomic():
        locked = Signup.objects.select_for_update().get(pk=signup.pk)
        if locked.cancelled_at is not None:
            raise SignupError(_("The participant has already been removed."))
        locked.cancelled_at = timezone.now()
        locked.cancelled_by = actor
        locked.save(update_fields=["cancelled_at", "cancelled_by"])


def list_codes(actor: User, *, session: ActivitySession, reason: str) -> list[Signup]:
    """The code key of an anonymous session, for a study administrator who records why
    (T-ANON-1). The listing is logged before anything is shown."""
    if not manages_session(actor, session):
        raise NotAllowed(_("Only the session's study administrators list codes."))
    reason = reason.strip()
    if len(reason) < 10:
        raise SignupError(_("Give the reason for listing the codes (at least 10 characters)."))
    if not session.anonymous:
        raise SignupError(_("The session is not anonymous: it has no codes."))
    with transaction.atomic():
        CodeListing.objects.create(
            institution_id=session.institution_id, session=session, actor=actor, reason=reason
        )
        return list(
            Signup.objects.filter(session=session, cancelled_at__isnull=True)
            .select_related("person")
            .order_by("anonymisation_code")
        )
