"""Requests for reporting rights (#12 point 5, seed 004): a teacher asks from the course view, a
study administrator of the course approves (the right is granted) or refuses from a queue; the
request, the grant and the refusal are in the rights history. Every new URL tried as a student,
a teacher, another university's study administrator and nobody."""

import pytest
from django.test import Client
from django.utils import translation

from people.models import RightsRequest, StaffRole, StaffRoleEvent, StaffRoleKind
from results.rules import Rights
from tests.factories import CourseFactory, OrgUnitFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
K = StaffRoleKind
QUEUE = "/staff/rights/requests/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def course(institution):
    unit = OrgUnitFactory(institution=institution, code="MATH")
    return CourseFactory(institution=institution, code="MATA21", org_unit=unit)


@pytest.fixture
def teacher(institution):
    user = UserFactory(username="maria", first_name="Maria", last_name="Nilsson")
    StaffRoleFactory(
        user=user,
        institution=institution,
        role=K.REPORTER,
        course=CourseFactory(institution=institution),
    )
    return user


@pytest.fixture
def admin(institution, course):
    user = UserFactory(username="eva", first_name="Eva", last_name="Berglund")
    StaffRoleFactory(
        user=user, institution=institution, role=K.STUDY_ADMIN, org_unit=course.org_unit
    )
    return user


def ask(client, course, reason="I teach the course this term."):
    return client.post(f"/staff/courses/{course.code}/ask-rights/", {"reason": reason}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_teacher_asks_and_the_study_administrator_approves(
    institution, course, teacher, admin, client_for
):
    page = client_for(teacher).get(f"/staff/courses/{course.code}/")
    assert f'action="/staff/courses/{course.code}/ask-rights/"' in page.text
    asked = ask(client_for(teacher), course)
    assert messages_of(asked) == ["Your request is sent to the course's study administrators."]
    request = RightsRequest.objects.get()
    queue = client_for(admin).get(QUEUE)
    assert queue.context["rows"] == [request]
    done = client_for(admin).post(f"{QUEUE}{request.pk}/approve/", follow=True)
    assert messages_of(done) == ["Maria Nilsson may now report results on MATA21."]
    assert Rights.load(teacher, institution.pk).may_report(course)
    assert list(StaffRoleEvent.objects.order_by("pk").values_list("kind", "actor__username")) == [
        ("requested", "maria"),
        ("granted", "eva"),
    ]


def test_a_refusal_grants_nothing_and_is_in_the_history(course, teacher, admin, client_for):
    ask(client_for(teacher), course)
    request = RightsRequest.objects.get()
    client_for(admin).post(f"{QUEUE}{request.pk}/refuse/")
    assert StaffRole.objects.filter(course=course).count() == 0
    assert list(StaffRoleEvent.objects.order_by("pk").values_list("kind", flat=True)) == [
        "requested",
        "refused",
    ]
    # Deciding twice is refused.
    again = client_for(admin).post(f"{QUEUE}{request.pk}/approve/", follow=True)
    assert messages_of(again) == ["The request has already been decided."]


def test_asking_twice_is_refused(course, teacher, client_for):
    ask(client_for(teacher), course)
    second = ask(client_for(teacher), course)
    assert messages_of(second) == [
        "You have already asked for this right; it waits for a decision."
    ]
    assert RightsRequest.objects.count() == 1


def test_nobody_is_sent_to_log_in(course):
    for url in (QUEUE, f"{QUEUE}1/approve/", f"{QUEUE}1/refuse/"):
        assert Client().get(url).status_code == 302
    assert Client().post(f"/staff/courses/{course.code}/ask-rights/").status_code == 302


def test_a_student_and_a_teacher_cannot_decide(course, teacher, student_user, admin, client_for):
    ask(client_for(teacher), course)
    request = RightsRequest.objects.get()
    for user in (student_user, teacher):
        client = client_for(user)
        assert client.get(QUEUE).status_code == 403
        assert client.post(f"{QUEUE}{request.pk}/approve/").status_code == 403
    assert (
        client_for(student_user).post(f"/staff/courses/{course.code}/ask-rights/").status_code
        == 403
    )
    request.refresh_from_db()
    assert request.state == "pending"


def test_another_universitys_study_administrator_sees_nothing(
    course, teacher, other_institution, client_for
):
    ask(client_for(teacher), course)
    request = RightsRequest.objects.get()
    theirs = UserFactory(username="ulla")
    StaffRoleFactory(user=theirs, institution=other_institution, role=K.STUDY_ADMIN)
    client = client_for(theirs)
    assert client.get(QUEUE).context["rows"] == []
    assert client.post(f"{QUEUE}{request.pk}/approve/").status_code == 404
    assert client.post(f"/staff/courses/{course.code}/ask-rights/").status_code == 404


def test_a_study_administrator_of_another_unit_is_refused(institution, course, teacher, client_for):
    ask(client_for(teacher), course)
    request = RightsRequest.objects.get()
    other = UserFactory(username="olle")
    StaffRoleFactory(
        user=other,
        institution=institution,
        role=K.STUDY_ADMIN,
        org_unit=OrgUnitFactory(institution=institution),
    )
    assert client_for(other).get(QUEUE).context["rows"] == []
    assert client_for(other).post(f"{QUEUE}{request.pk}/approve/").status_code == 403


@pytest.mark.parametrize("size", [1, 3])
def test_the_queue_costs_a_fixed_number_of_queries(size, institution, course, admin, client_for):
    from tests.statements import count_statements

    for n in range(size):
        asker = UserFactory(username=f"asker{n}")
        StaffRoleFactory(
            user=asker,
            institution=institution,
            role=K.REPORTER,
            course=CourseFactory(institution=institution),
        )
        ask(client_for(asker), course)
    client = client_for(admin)
    with count_statements() as counted:
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == size
    assert counted.total == 5
