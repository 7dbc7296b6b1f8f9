"""Course instances for study administrators (T-ADM-3): create and edit one with its study
periods, with validation that says what is wrong (overlapping periods, a registration period
opening after the start, a code already used); copy last year's as a starting point; admit
students in bulk from pasted identity numbers after a preview. Every new URL tried as a student,
a teacher, another university's study administrator and nobody."""

import datetime

import pytest
from django.test import Client
from django.utils import translation

from catalog.models import CourseInstance
from people.models import StaffRoleKind
from registration.models import CourseParticipation
from tests.factories import PersonFactory, StaffRoleFactory, UserFactory
from tests.factories.catalog import (
    CourseFactory,
    CourseInstanceFactory,
    CourseInstancePeriodFactory,
    StudyPeriodFactory,
)
from tests.factories.people import valid_identity_number

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def course(institution):
    return CourseFactory(institution=institution, code="MATA21")


@pytest.fixture
def periods(institution):
    return {
        code: StudyPeriodFactory(institution=institution, code=code, start_date=s, end_date=e)
        for code, s, e in [
            ("HT26A", D(2026, 8, 31), D(2026, 11, 1)),
            ("HT26B", D(2026, 11, 2), D(2027, 1, 17)),
            ("HT26X", D(2026, 10, 1), D(2026, 12, 1)),
            ("HT27A", D(2027, 8, 30), D(2027, 10, 31)),
            ("HT27B", D(2027, 11, 1), D(2028, 1, 16)),
        ]
    }


@pytest.fixture
def studyadmin(institution):
    user = UserFactory(username="eva", first_name="Eva", last_name="Berglund")
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.STUDY_ADMIN)
    return user


def new_url(course) -> str:
    return f"/staff/courses/{course.code}/new/"


def form(periods, *, code="LU-100", start="2026-08-31", chosen=("HT26A", "HT26B"), opens=None):
    data = {
        "instance_code": code,
        "start_date": start,
        "end_date": "2027-01-17",
        "pace": "100",
        "town": "Lund",
        "teaching_language": "sv",
        "periods-TOTAL_FORMS": "3",
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "3",
        "periods-MAX_NUM_FORMS": "3",
    }
    for n, name in enumerate(chosen):
        data[f"periods-{n}-study_period"] = periods[name].pk
        data[f"periods-{n}-credits"] = "7.5"
        data[f"periods-{n}-registration_opens"] = opens or "2026-08-01"
        data[f"periods-{n}-registration_closes"] = "2026-09-07"
    return data


def errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


# --- Who may enter -------------------------------------------------------------------------------


@pytest.fixture
def instance(course, periods):
    made = CourseInstanceFactory(course=course, instance_code="LU-99", start_date=D(2026, 8, 31))
    CourseInstancePeriodFactory(course_instance=made, study_period=periods["HT26A"], sequence=1)
    return made


def new_urls(course, instance) -> list[str]:
    base = f"/staff/courses/{course.code}/"
    return [
        f"{base}new/",
        f"{base}{instance.public_id}/edit/",
        f"{base}{instance.public_id}/admit/",
    ]


def test_nobody_is_sent_to_log_in(course, instance):
    for url in new_urls(course, instance):
        assert Client().get(url).status_code == 302


@pytest.mark.parametrize("who", ["student", "teacher", "other_admin"])
def test_the_wrong_person_is_refused(
    who, course, instance, other_institution, client_for, student_user
):
    if who == "student":
        user = student_user
    else:
        user = UserFactory(username=who)
        where = other_institution if who == "other_admin" else course.institution
        role = StaffRoleKind.STUDY_ADMIN if who == "other_admin" else StaffRoleKind.REPORTER
        StaffRoleFactory(user=user, institution=where, role=role)
    client = client_for(user)
    expected = {"student": 403, "teacher": 403, "other_admin": 404}[who]
    for url in new_urls(course, instance):
        assert client.get(url).status_code == expected
        assert client.post(url, {"numbers": "x"}).status_code == expected
    assert CourseInstance.objects.filter(course=course).count() == 1


def test_a_study_administrator_of_another_course_is_refused(course, instance, client_for):
    user = UserFactory(username="olle")
    StaffRoleFactory(
        user=user,
        institution=course.institution,
        role=StaffRoleKind.STUDY_ADMIN,
        course=CourseFactory(institution=course.institution),
    )
    for url in new_urls(course, instance):
        assert client_for(user).get(url).status_code == 403


# --- Creating and editing ---------------------------------------------------------------------


def test_a_study_administrator_creates_an_instance_with_two_study_periods(
    course, periods, studyadmin, client_for
):
    response = client_for(studyadmin).post(new_url(course), form(periods), follow=True)
    made = CourseInstance.objects.get(instance_code="LU-100")
    assert [(p.sequence, p.study_period.code) for p in made.periods.order_by("sequence")] == [
        (1, "HT26A"),
        (2, "HT26B"),
    ]
    assert [str(m) for m in response.context["messages"]] == ["Instance LU-100 of MATA21 is saved."]


def test_overlapping_periods_are_refused_with_what_is_wrong(
    course, periods, studyadmin, client_for
):
    response = client_for(studyadmin).post(
        new_url(course), form(periods, chosen=("HT26A", "HT26X"))
    )
    assert errors(response) == ["The study periods HT26A and HT26X overlap."]
    assert CourseInstance.objects.count() == 0


def test_a_registration_period_opening_after_the_start_is_refused(
    course, periods, studyadmin, client_for
):
    response = client_for(studyadmin).post(new_url(course), form(periods, opens="2026-09-01"))
    assert errors(response) == [
        "The registration period of HT26A opens after the instance starts.",
    ]


def test_a_code_already_used_is_refused(course, periods, studyadmin, client_for, instance):
    response = client_for(studyadmin).post(new_url(course), form(periods, code="LU-99"))
    assert errors(response) == ["The instance code LU-99 is already used by MATA21 (2026-08-31)."]


def test_editing_changes_the_instance_and_its_periods(
    course, periods, studyadmin, client_for, instance
):
    url = f"/staff/courses/{course.code}/{instance.public_id}/edit/"
    client = client_for(studyadmin)
    assert client.get(url).context["form"]["instance_code"].value() == "LU-99"
    client.post(url, form(periods, code="LU-99", chosen=("HT26A", "HT26B")))
    assert list(
        instance.periods.order_by("sequence").values_list("study_period__code", flat=True)
    ) == [
        "HT26A",
        "HT26B",
    ]


def test_copying_last_years_moves_dates_and_periods_a_year_on(
    course, periods, studyadmin, client_for, instance
):
    response = client_for(studyadmin).get(f"{new_url(course)}?copy=last")
    assert response.context["form"]["start_date"].value() == D(2027, 8, 30)
    first = response.context["periods"].forms[0]
    assert first["study_period"].value() == periods["HT27A"].pk


# --- Admitting in bulk ------------------------------------------------------------------------


def test_three_students_are_admitted_from_a_pasted_list_after_a_preview(
    course, instance, studyadmin, client_for
):
    people = [PersonFactory() for _ in range(3)]
    numbers = [p.identity_number for p in people]
    pasted = "\n".join([numbers[0], f"{numbers[1][:8]}-{numbers[1][8:]}", "", numbers[2], "123"])
    url = f"/staff/courses/{course.code}/{instance.public_id}/admit/"
    client = client_for(studyadmin)

    preview = client.post(url, {"numbers": pasted, "preview": "1"})
    lines = preview.context["preview"].lines
    assert [line.person for line in lines] == [*people, None]
    assert lines[3].problem == "Enter the personal identity number as YYYYMMDD-XXXX (12 digits)."
    assert CourseParticipation.objects.count() == 0

    done = client.post(url, {"numbers": pasted, "confirm": "1"}, follow=True)
    assert [str(m) for m in done.context["messages"]] == ["3 students are admitted to LU-99."]
    admitted = CourseParticipation.objects.filter(course_instance=instance)
    assert sorted(admitted.values_list("person_id", flat=True)) == sorted(p.pk for p in people)


def test_someone_already_on_the_instance_or_unknown_is_not_admitted(
    course, instance, studyadmin, client_for
):
    person = PersonFactory()
    url = f"/staff/courses/{course.code}/{instance.public_id}/admit/"
    client = client_for(studyadmin)
    client.post(url, {"numbers": person.identity_number, "confirm": "1"})
    unknown = valid_identity_number(D(1980, 1, 1), 999)
    preview = client.post(url, {"numbers": f"{person.identity_number}\n{unknown}", "preview": "1"})
    assert [line.problem for line in preview.context["preview"].lines] == [
        "Already on this course instance.",
        "Nobody has this identity number here.",
    ]


@pytest.mark.parametrize("size", [1, 3])
def test_the_instance_pages_cost_a_fixed_number_of_queries(
    size, course, periods, studyadmin, client_for, instance
):
    from tests.statements import count_statements

    people = [PersonFactory() for _ in range(size)]
    pasted = "\n".join(p.identity_number for p in people)
    client = client_for(studyadmin)
    counts = []
    with count_statements() as counted:
        client.get(f"/staff/courses/{course.code}/{instance.public_id}/edit/")
    counts.append(counted.total)
    with count_statements() as counted:
        client.post(
            f"/staff/courses/{course.code}/{instance.public_id}/admit/",
            {"numbers": pasted, "preview": "1"},
        )
    counts.append(counted.total)
    assert counts == [12, 10]
