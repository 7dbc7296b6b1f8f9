"""The demo tells no small untruths, whatever day it is loaded (#21 point 6): each university's
exams are written in its own town and rooms, every sign-up was made inside its sign-up window and
not after the moment of loading, a course instance that starts in January is registered under
the spring term, and after a partial change of instance the registration shows that part.
Seeded on three days with the clock moved there (time-machine, as tests/timetravel.py moves the
whole suite), the certificates' rendering left out."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from catalog.models import CourseInstance
from exams.models import ActivitySession, Signup
from institutions.demo.exam_sessions import EXAM_ROOMS, TOWNS
from institutions.demo.seed import seed_demo
from institutions.models import InstitutionSettings
from ladokportal import clock
from registration import queries
from registration.models import CourseParticipation, ParticipationSource

pytestmark = pytest.mark.django_db

DAYS = [
    datetime.date(2027, 1, 8),  # the autumn term's last weeks: January instances start now
    datetime.date(2027, 4, 20),
    datetime.date(2027, 10, 5),
]


@pytest.fixture(autouse=True)
def _without_certificates(monkeypatch, settings, tmp_path):
    monkeypatch.setattr("institutions.demo.seed.create_demo_certificates", lambda *args: [])
    settings.MEDIA_ROOT = tmp_path


def assert_exams_in_their_universitys_rooms() -> None:
    sessions = ActivitySession.objects.select_related("institution")
    assert {s.institution.code for s in sessions} >= {"lu", "uu"}
    for session in sessions:
        code = session.institution.code
        assert session.town == TOWNS[code], f"{session.label} at {code} is in {session.town}"
        assert session.place in ("", EXAM_ROOMS[code]), f"{session.label}: {session.place}"


def assert_signups_inside_their_windows(now: datetime.datetime) -> None:
    signups = Signup.objects.select_related("session").exclude(session__signup_opens=None)
    assert signups.exists()
    for signup in signups:
        day = clock.date_of(signup.signed_up_at)
        session = signup.session
        assert session.signup_opens <= day <= session.signup_closes, (
            f"signed up for {session.label} on {day}, outside "
            f"{session.signup_opens} – {session.signup_closes}"
        )
        assert signup.signed_up_at <= now


def assert_january_instances_under_the_spring_term(today: datetime.date) -> None:
    january = CourseInstance.objects.filter(start_date__month=1).prefetch_related(
        "periods__study_period"
    )
    if today.month == 1:
        assert january.exists(), "in January an instance starting this month is on show"
    for instance in january:
        first = instance.periods.order_by("sequence").first()
        assert first.study_period.code.startswith("VT"), (
            f"{instance.instance_code} starts {instance.start_date} under {first.study_period.code}"
        )


def assert_partial_change_shows_its_credits(today: datetime.date) -> None:
    """After the student's partial change of instance, her registration on the new instance
    covers the part she re-registers on, not the whole course."""
    changed = CourseParticipation.objects.select_related("person", "course_instance__course").get(
        person__user__username="student", source=ParticipationSource.CHANGE
    )
    settings = InstitutionSettings.objects.get(institution_id=changed.institution_id)
    page = queries.course_page(changed.person, changed.public_id, settings, today)

    assert 0 < changed.scope_credits < changed.course_instance.course.credits
    assert [row.credits for row in page.row.periods] == [changed.scope_credits]


@pytest.mark.parametrize("today", DAYS, ids=[d.isoformat() for d in DAYS])
def test_the_demo_reads_true_on_the_day_it_is_loaded(today):
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    with time_machine.travel(now, tick=False), transaction.atomic():
        seed_demo(today=today)

        assert_exams_in_their_universitys_rooms()
        assert_signups_inside_their_windows(now)
        assert_january_instances_under_the_spring_term(today)
        assert_partial_change_shows_its_credits(today)
        transaction.set_rollback(True)
