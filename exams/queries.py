"""Reads for the student's exam page and the start page's exam sections (S-EXAM-1..3,
S-HOME-2), with a fixed number of SQL queries whatever the number of sessions."""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from exams import eligibility
from exams.models import ActivitySession, Signup
from exams.services import TAKING_STATES
from institutions.models import InstitutionSettings
from ladokportal import clock
from people.models import Person
from registration.eligibility import Verdict
from registration.models import CourseParticipation

FILTERS = ("not_signed_up", "signed_up", "past")
PAST_KEPT = datetime.timedelta(days=2 * 365)


@dataclass
class SessionCard:
    session: ActivitySession
    signup: Signup | None
    sign_up: Verdict
    cancel: Verdict


def _sessions_for(person: Person) -> QuerySet[ActivitySession]:
    """Sessions of courses the person takes, or where they have a place (staff may have added
    them), each with the person's own active sign-up and the number of places taken."""
    takes = CourseParticipation.objects.filter(
        person=person, state__in=TAKING_STATES, course_instance__activity_sessions=OuterRef("pk")
    )
    mine = Signup.objects.filter(person=person, cancelled_at__isnull=True)
    return (
        ActivitySession.objects.annotate(
            takes_course=Exists(takes),
            has_signup=Exists(mine.filter(session=OuterRef("pk"))),
            taken_places=Count("signups", filter=Q(signups__cancelled_at__isnull=True)),
        )
        .filter(Q(takes_course=True) | Q(has_signup=True))
        .prefetch_related(
            "course_instances__course",
            Prefetch("signups", queryset=mine, to_attr="my_signups"),
        )
    )


def exam_cards(
    person: Person, settings: InstitutionSettings, which: str, now: datetime.datetime | None = None
) -> list[SessionCard]:
    """The cards under one of the three filters."""
    now = now or timezone.now()
    today = clock.date_of(now)
    sessions = _sessions_for(person)
    if which == "past":
        sessions = sessions.filter(
            has_signup=True, starts_at__lt=now, starts_at__gte=now - PAST_KEPT
        ).order_by("-starts_at")
    elif which == "signed_up":
        sessions = sessions.filter(has_signup=True, starts_at__gte=now).order_by("starts_at")
    else:
        sessions = sessions.filter(
            has_signup=False,
            takes_course=True,
            starts_at__gte=now,
            signup_closes__gte=today,
        ).order_by("starts_at")
    return [_card(session, settings, today) for session in sessions]


def exam_card(
    person: Person,
    settings: InstitutionSettings,
    public_id: uuid.UUID,
    now: datetime.datetime | None = None,
) -> SessionCard | None:
    """One card, if the session is one of the person's (a course they take, or a place they
    hold); None otherwise, so that the page answers 404."""
    session = _sessions_for(person).filter(public_id=public_id).first()
    if session is None:
        return None
    return _card(session, settings, clock.date_of(now or timezone.now()))


def _card(session: ActivitySession, settings: InstitutionSettings, today) -> SessionCard:
    signup = session.my_signups[0] if session.my_signups else None
    return SessionCard(
        session=session,
        signup=signup,
        sign_up=eligibility.can_sign_up(
            session,
            takes_course=session.takes_course,
            signup=signup,
            taken_places=session.taken_places,
            today=today,
        ),
        cancel=eligibility.can_cancel(session, signup, settings, today),
    )


def start_page(person: Person, settings: InstitutionSettings) -> dict:
    """S-HOME-2: sessions open for sign-up now, and upcoming sessions the student is signed up
    for: one read of the upcoming sessions, split in two."""
    if not (settings.show_exam_signup or settings.show_upcoming_exams):
        return {"exams_open_for_signup": [], "exams_signed_up": []}
    now = timezone.now()
    today = clock.date_of(now)
    upcoming = _sessions_for(person).filter(starts_at__gte=now).order_by("starts_at")
    cards = [_card(session, settings, today) for session in upcoming]
    return {
        "exams_open_for_signup": [c for c in cards if c.sign_up.allowed]
        if settings.show_exam_signup
        else [],
        "exams_signed_up": [c for c in cards if c.signup is not None]
        if settings.show_upcoming_exams
        else [],
    }
