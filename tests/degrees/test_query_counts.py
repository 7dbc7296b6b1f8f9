"""Pinned query counts of every new degree page, with one and with three of everything it lists
(courses, cases, shares and their uses, notes and events)."""

import pytest
from django.test import Client

from degrees import services, sharing
from degrees.models import DegreeCase
from people.identity import display
from tests.factories.degrees import (
    apply,
    completed_course,
    degree_kind,
    graduate,
    officer,
    settings_of,
)

pytestmark = pytest.mark.django_db


def _world(institution, n: int):
    settings_of(institution)
    person, user, kind = graduate(institution)
    for i in range(n):
        completed_course(person, institution, code=f"EXTRA{i}")
    handler = officer(institution)
    case = apply(user, person, institution, kind)
    for i in range(n):
        services.add_note(handler, case, f"note {i}")
        other_kind = degree_kind(institution, code=f"K{i}", sv=f"Kursbevis {i}", en=f"Cert {i}")
        apply(user, person, institution, other_kind)
    services.take(handler, case)
    degree = services.issue(handler, case)
    shares = [sharing.create_share(user, degree) for _ in range(n)]
    for share in shares:
        for _ in range(n):
            sharing.look_up(share.code, person.identity_number)
    open_case = DegreeCase.objects.exclude(pk=case.pk).first()
    return person, user, handler, degree, case, open_case, shares[0]


# (url builder, who, queries): session, user, person, the person's universities with settings,
# then what the page reads.
PAGES = [
    ("student", lambda w: "/degrees/", 6),
    ("student", lambda w: "/degrees/apply/", 6),
    ("student", lambda w: f"/degrees/cases/{w[5].public_id}/", 6),
    ("student", lambda w: f"/degrees/{w[3].public_id}/", 7),
    ("staff", lambda w: "/staff/degrees/", 6),
    ("staff", lambda w: f"/staff/degrees/{w[4].public_id}/", 16),
]


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize(("who", "url", "queries"), PAGES)
def test_page_query_count_does_not_grow(
    n, who, url, queries, institution, django_assert_num_queries
):
    world = _world(institution, n)
    client = Client()
    client.force_login(world[1] if who == "student" else world[2])
    address = url(world)
    client.get(address)  # the session is written once
    with django_assert_num_queries(queries):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_application_steps_and_shared_page_query_counts(n, institution, django_assert_num_queries):
    person, user, _handler, _degree, _case, _open, share = _world(institution, n)
    client = Client()
    client.force_login(user)
    kind = degree_kind(institution, code="NEW", sv="Ny", en="New")
    client.post("/degrees/apply/", {"kind": str(kind.public_id)})
    client.get("/degrees/apply/courses/")
    with django_assert_num_queries(9):
        assert client.get("/degrees/apply/courses/").status_code == 200
    number = display(person.identity_number)
    # In a savepoint: the share (locked), the use, the results now; then the university.
    with django_assert_num_queries(6):
        response = Client().post("/shared/", {"code": share.code, "identity_number": number})
    assert response.status_code == 200
