"""Who is to be reminded that an exam sign-up period closes soon (B-2, S-EXAM-1, S-EXAM-4):
students registered on a course instance of the session who have not signed up (nor signed up
and cancelled: both are acts), while places remain. Read inside the university's scope by
notifications.reminders."""

import datetime
from collections.abc import Iterator

from django.db.models import Count, Q

from exams.models import ActivitySession, Signup
from exams.services import TAKING_STATES
from people.models import Person
from registration.models import CourseParticipation


def due(today: datetime.date, days: int) -> Iterator[tuple[Person, ActivitySession]]:
    """Each (person, session) whose sign-up is open today, closes within `days` days, and
    where the person has not acted. Four queries."""
    sessions = {
        session.pk: session
        for session in ActivitySession.objects.filter(
            signup_opens__lte=today,
            signup_closes__gte=today,
            signup_closes__lte=today + datetime.timedelta(days=days),
        ).annotate(taken=Count("signups", filter=Q(signups__cancelled_at__isnull=True)))
        if session.capacity is None or session.taken < session.capacity
    }
    if not sessions:
        return
    taking = set(
        CourseParticipation.objects.filter(
            state__in=TAKING_STATES, course_instance__activity_sessions__in=list(sessions)
        ).values_list("person_id", "course_instance__activity_sessions")
    )
    acted = set(
        Signup.objects.filter(session_id__in=list(sessions)).values_list("person_id", "session_id")
    )
    pairs = sorted(pair for pair in taking - acted if pair[1] in sessions)
    people = Person.objects.in_bulk({person_id for person_id, _session in pairs})
    for person_id, session_id in pairs:
        yield people[person_id], sessions[session_id]
