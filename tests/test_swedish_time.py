"""Dates of legal records at the hours when Sweden is already on the next day (G-6).

Each test pins the clock (time-machine) at 00:30 in Stockholm, when the UTC date is still the day
before: in winter (2026-12-05T23:30Z, CET) and in summer (2027-06-14T22:30Z, CEST), and where a
day is counted, on both sides of the changes to and from summer time. Everything the test
builds, "today" included, comes from that clock, as in production.
"""

import csv
import datetime
import io
import re
import uuid
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import translation
from icalendar import Calendar

from certificates import content, options
from certificates.models import CertificateKind
from exams.models import Signup
from ladokportal import clock
from people.models import StaffRoleKind
from registration import services as registration_services
from registration.models import CourseParticipation, ParticipationState
from results import deadlines
from results.models import Result
from results.services import removal
from tests.conftest import enrol
from tests.factories import (
    CourseInstanceFactory,
    CourseInstancePeriodFactory,
    CourseParticipationFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.factories.exams import ActivitySessionFactory, CalendarFeedFactory
from tests.factories.results import reporting_world
from tests.studentweb.results_world import certify, course_grade, login_for

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")

WINTER = datetime.datetime(2026, 12, 5, 23, 30, tzinfo=UTC)  # 2026-12-06 00:30 CET
SUMMER = datetime.datetime(2027, 6, 14, 22, 30, tzinfo=UTC)  # 2027-06-15 00:30 CEST
MIDNIGHT_HOURS = [
    pytest.param((WINTER, datetime.date(2026, 12, 6)), id="winter"),
    pytest.param((SUMMER, datetime.date(2027, 6, 15)), id="summer"),
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def pinned(request):
    """The clock stands at the parametrised moment for the whole test."""
    moment, _day = request.param
    with time_machine.travel(moment, tick=False):
        yield request.param


def parametrised(test):
    return pytest.mark.parametrize("pinned", MIDNIGHT_HOURS, indirect=True)(test)


def text_of(response) -> str:
    """The page's text with tags dropped and white space folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# --- Registration -----------------------------------------------------------------------------


@parametrised
def test_a_registration_made_after_midnight_is_of_the_new_day_for_staff_and_student(
    pinned, institution
):
    """S-REG-1, T-ADM-2: the staff overview and the student's course page both say the day the
    registration was made in Sweden."""
    moment, day = pinned
    assert clock.today() == day
    instance = CourseInstanceFactory(
        course__institution=institution,
        start_date=day - datetime.timedelta(days=3),
        end_date=day + datetime.timedelta(days=60),
    )
    period = CourseInstancePeriodFactory(
        course_instance=instance,
        registration_opens=day - datetime.timedelta(days=10),
        registration_closes=day + datetime.timedelta(days=10),
    )
    student = PersonFactory(first_name="Sara", last_name="Svensson")
    participation = CourseParticipationFactory(
        person=student, course_instance=instance, state=ParticipationState.ADMITTED
    )
    admin = UserFactory(username="siv")
    StaffRoleFactory(user=admin, institution=institution, role=StaffRoleKind.STUDY_ADMIN)
    registration = registration_services.register_on_behalf(
        admin, participation=participation, period=period
    )
    assert registration.registered_at == moment

    staff = Client()
    staff.force_login(admin)
    overview = text_of(staff.get(f"/staff/students/{student.public_id}/"))
    assert f"Registered {day.isoformat()}" in overview
    assert f"Registered {(day - datetime.timedelta(days=1)).isoformat()}" not in overview

    own = Client()
    own.force_login(UserFactory(username="sara", person=student))
    page = text_of(own.get(f"/courses/{participation.public_id}/"))
    assert f"Registered {day.isoformat()}" in page


# --- Results: certified after midnight ------------------------------------------------------


@parametrised
def test_a_result_certified_after_midnight_carries_the_new_day_everywhere(
    pinned, institution, settings, django_capture_on_commit_callbacks
):
    """T-CERT-1, S-EDU-3, B-2, S-CERT-1: reported with today's date at 00:30 (not refused as a
    date in the future), certified then; the student's course page, the transcript and the
    e-mail all say the Swedish day."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    moment, day = pinned
    world = reporting_world(institution, students=1, modules=1)
    student = world.students[0]
    student.language = "en"
    student.email = "sara@example.se"
    student.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        course_grade(world, student, "G", days_ago=0)
    result = Result.objects.get(person=student, module=world.module)
    assert result.certified_at == moment
    assert result.examination_date == day

    client = Client()
    client.force_login(login_for(student))
    place = CourseParticipation.objects.get(person=student, course_instance=world.instance)
    page = text_of(client.get(f"/courses/{place.public_id}/"))
    assert f"Examination date {day.isoformat()}" in page
    assert f"Date of certification {day.isoformat()}" in page

    transcript = content.build(
        kind=CertificateKind.TRANSCRIPT,
        language="en",
        person=student,
        institution=institution,
        options=options.parse(CertificateKind.TRANSCRIPT, {}, today=clock.today()),
        check_code="K7XQ3MRT9WAHC2PX",
        issued_at=clock.now(),
        valid_until=day + datetime.timedelta(days=90),
    )
    assert transcript["issued_at"][:10] == day.isoformat()
    (course,) = [c for u in transcript["body"]["universities"] for c in u["courses"]]
    assert course["completed"]
    assert course["date"] == day.isoformat()
    assert [module["date"] for module in course["modules"]] == [day.isoformat()]

    messages = [m for m in mail.outbox if m.to == ["sara@example.se"]]
    assert len(messages) == 2  # the module's result and the course grade
    assert all(f"Certified on {day.isoformat()}." in m.body for m in messages)


@parametrised
def test_a_removal_decided_after_midnight_is_dated_the_new_day(pinned, institution):
    """T-REM-1, B-3: the timeline shows when the removal was decided, in Swedish time."""
    moment, day = pinned
    world = reporting_world(institution, students=1, modules=1)
    student = world.students[0]
    (result,) = certify(world, {student: "G"}, module=world.module, days_ago=1)
    removal.remove(world.examiner, result=result, reason="Reported on the wrong person")
    client = Client()
    client.force_login(world.examiner)
    page = text_of(client.get(f"/staff/results/certify/result/{result.public_id}/timeline/"))
    local = moment.astimezone(STOCKHOLM)
    assert f"{day.isoformat()} {local:%H:%M}" in page
    assert local.strftime("%H:%M") == "00:30"


# --- Exams: deadlines, exports, the calendar feed -------------------------------------------


@parametrised
def test_the_reporting_deadline_counts_from_the_swedish_day_of_the_exam(pinned, institution):
    """T-DEAD-1: 15 working days from the day the session took place in Sweden."""
    moment, day = pinned
    session = ActivitySessionFactory(
        institution=institution,
        starts_at=moment,
        ends_at=moment + datetime.timedelta(hours=4),
        signup_opens=day - datetime.timedelta(days=20),
        signup_closes=day - datetime.timedelta(days=10),
    )
    assert session.reporting_deadline == deadlines.reporting_deadline(day, None)


def test_the_reporting_deadline_differs_when_the_utc_day_is_another_working_day():
    """The summer case discriminates: Monday in UTC, Tuesday in Sweden."""
    assert deadlines.reporting_deadline(datetime.date(2027, 6, 15), None) != (
        deadlines.reporting_deadline(datetime.date(2027, 6, 14), None)
    )


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # The night summer time begins: 2027-03-28, clocks go 02:00 CET → 03:00 CEST.
        (datetime.datetime(2027, 3, 27, 23, 30, tzinfo=UTC), datetime.date(2027, 3, 28)),
        (datetime.datetime(2027, 3, 28, 22, 30, tzinfo=UTC), datetime.date(2027, 3, 29)),
        # The night it ends: 2026-10-25, clocks go 03:00 CEST → 02:00 CET.
        (datetime.datetime(2026, 10, 24, 22, 30, tzinfo=UTC), datetime.date(2026, 10, 25)),
        (datetime.datetime(2026, 10, 25, 23, 30, tzinfo=UTC), datetime.date(2026, 10, 26)),
    ],
)
def test_deadlines_across_the_changes_of_summer_time(moment, day, institution):
    with time_machine.travel(moment, tick=False):
        session = ActivitySessionFactory(
            institution=institution,
            starts_at=moment,
            ends_at=moment + datetime.timedelta(hours=4),
        )
        assert clock.today() == day
        assert session.reporting_deadline == deadlines.reporting_deadline(day, None)


@parametrised
def test_a_sign_up_after_midnight_is_exported_and_fed_in_swedish_time(pinned, institution):
    """T-ADM-3, B-9: the participant list says when the student signed up on the Swedish clock;
    the calendar feed places the session in Europe/Stockholm."""
    moment, day = pinned
    person = PersonFactory(first_name="Maja", last_name="Berg")
    participation = enrol(person, institution, state=ParticipationState.REGISTERED)
    session = ActivitySessionFactory(
        institution=institution,
        course_instances=[participation.course_instance],
        starts_at=moment + datetime.timedelta(days=7),
        ends_at=moment + datetime.timedelta(days=7, hours=4),
    )
    Signup.objects.create(institution=institution, session=session, person=person)
    admin = UserFactory(username="siv")
    StaffRoleFactory(user=admin, institution=institution, role=StaffRoleKind.STUDY_ADMIN)
    staff = Client()
    staff.force_login(admin)
    response = staff.get(f"/staff/exams/{session.public_id}/export/?format=csv")
    assert response.status_code == 200
    assert (day + datetime.timedelta(days=7)).isoformat() in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    (maja,) = [row for row in rows if "Maja Berg" in row]
    assert f"{day.isoformat()} 00:30" in maja

    feed = CalendarFeedFactory(person=person)
    ics = Client().get(f"/exams/calendar/{feed.token}.ics")
    (event,) = Calendar.from_ical(ics.content).walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.utcoffset() == moment.astimezone(STOCKHOLM).utcoffset()
    assert clock.date_of(start) == day + datetime.timedelta(days=7)


# --- Certificates -----------------------------------------------------------------------------


@parametrised
def test_a_certificate_issued_after_midnight_is_issued_and_valid_from_the_new_day(
    pinned, institution
):
    """S-CERT-1, S-CERT-2: the frozen content's issue date and the validity start on the Swedish
    day; the student's list and the public page say so."""
    from certificates import services as certificate_services

    _moment, day = pinned
    person = PersonFactory(first_name="Stina", last_name="Student")
    enrol(person, institution, state=ParticipationState.REGISTERED)
    user = UserFactory(username="stina", person=person)
    certificate = certificate_services.create(
        user,
        person=person,
        institution=institution,
        kind=CertificateKind.REGISTRATION,
        language="en",
        raw_options={},
        request_key=uuid.uuid4(),
    )
    assert certificate.content["issued_at"][:10] == day.isoformat()
    validity = institution.settings.certificate_validity_days
    assert certificate.valid_until == day + datetime.timedelta(days=validity)
    client = Client()
    client.force_login(user)
    listing = text_of(client.get("/certificates/"))
    assert f"Created {day.isoformat()}" in listing
