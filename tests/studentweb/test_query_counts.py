"""Pinned query counts: the shell pages cost the same number of SQL queries whatever the size of
the database (STYLE.md § Tests)."""

import datetime

import pytest

from people.models import Person
from registration.models import CourseParticipation, ParticipationState
from tests.factories import CourseInstanceFactory

pytestmark = pytest.mark.django_db


def _fill(institution, other_institution, students: int) -> None:
    """Other students, each with participations at both universities."""
    people = Person.objects.bulk_create(
        Person(
            first_name="Elev",
            last_name=str(n),
            birth_date=datetime.date(2000, 1, 1),
            local_number=f"Q{n}",
            email=f"elev{n}@example.se",
        )
        for n in range(students)
    )
    instances = [
        CourseInstanceFactory(course__institution=i) for i in (institution, other_institution)
    ]
    CourseParticipation.objects.bulk_create(
        CourseParticipation(
            person=person,
            course_instance=instance,
            institution_id=instance.institution_id,
            state=ParticipationState.REGISTERED,
        )
        for person in people
        for instance in instances
    )


# The pinned numbers: session, user, person, the person's universities (with their settings),
# and on the start page the local text, the new results, the open study choices, the open
# applications, the upcoming exam sessions, and the current courses with their study periods
# and registrations.
PAGES = [("/start/", 12), ("/my-details/", 4), ("/alumni/", 4)]


@pytest.mark.parametrize("students", [10, 1000])
@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_student_pages_query_count_does_not_grow(
    students,
    url,
    queries,
    institution,
    other_institution,
    student_user,
    client_for,
    django_assert_num_queries,
):
    _fill(institution, other_institution, students)
    client = client_for(student_user)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("roles", [1, 3])
def test_staff_home_query_count_does_not_grow(
    roles, staff_user, other_institution, client_for, django_assert_num_queries
):
    from tests.factories import StaffRoleFactory

    kinds = ["certifier", "study_admin", "system_admin"]
    for kind in kinds[: roles - 1]:
        StaffRoleFactory(user=staff_user, institution=other_institution, role=kind)
    client = client_for(staff_user)
    # Four for the page and its roles, one for the result rights, one for the sessions due
    # (none here; tests/results/test_deadlines.py pins the count with sessions).
    with django_assert_num_queries(6):
        response = client.get("/staff/")
    assert response.status_code == 200
