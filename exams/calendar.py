"""The student's signed-up exam sessions as an iCalendar feed (B-9).

Calendar apps fetch the feed without a login, so it lives at a secret per-person link
(CalendarFeed.token). The person renews the link when it may have leaked; the old one then
stops working. The feed spans every university the person is signed up at.
"""

import datetime

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import CourseInstance
from exams.models import CalendarFeed, Signup, new_feed_token
from ladokportal import clock
from ladokportal.errors import NotAllowed
from people.models import Person, User

PRODUCT_ID = "-//Ladokportal//Exam sessions//EN"
UID_DOMAIN = "ladokportal"


def feed_of(person: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


def renew_feed(actor: User) -> CalendarFeed:
    """The person's calendar link: created the first time, replaced by a new token after that,
    so the old link stops working at once."""
    if actor.person_id is None:
        raise NotAllowed(_("Only students have a calendar feed."))
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().update_or_create(
            person_id=actor.person_id,
            defaults={"token": new_feed_token(), "created_at": timezone.now()},
        )
    return feed


def upcoming_signups(person: Person, now: datetime.datetime | None = None) -> list[Signup]:
    """The person's active sign-ups to sessions that have not ended, at every university (the
    caller opens the scope that allows that), in three queries whatever their number."""
    now = now or timezone.now()
    courses = CourseInstance.objects.select_related("course")
    return list(
        Signup.objects.filter(person=person, cancelled_at__isnull=True, session__ends_at__gte=now)
        .select_related("session", "institution")
        .prefetch_related(Prefetch("session__course_instances", queryset=courses))
        .order_by("session__starts_at", "session_id")
    )


def _summary(signup: Signup) -> str:
    codes = sorted({i.course.code for i in signup.session.course_instances.all()})
    name = signup.session.name
    return f"{name} ({', '.join(codes)})" if codes else name


def _location(signup: Signup) -> str:
    return ", ".join(part for part in (signup.session.town, signup.session.place) if part)


def _event(signup: Signup, stamp: datetime.datetime):
    from icalendar import Event

    session = signup.session
    event = Event()
    event.add("uid", f"{signup.public_id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", clock.local(session.starts_at))
    event.add("dtend", clock.local(session.ends_at))
    event.add("summary", _summary(signup))
    location = _location(signup)
    if location:
        event.add("location", location)
    if session.link:
        event.add("url", session.link)
    event.add("description", signup.institution.name)
    return event


def feed_ics(person: Person, now: datetime.datetime | None = None) -> bytes:
    """The feed, in the person's own language, times in Europe/Stockholm with the time zone
    definition included so that every calendar app places them right."""
    from icalendar import Calendar

    now = now or timezone.now()
    with translation.override(person.language):
        calendar = Calendar()
        calendar.add("prodid", PRODUCT_ID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("Exam sessions"))
        for signup in upcoming_signups(person, now):
            calendar.add_component(_event(signup, now))
        calendar.add_missing_timezones()
        return calendar.to_ical()
