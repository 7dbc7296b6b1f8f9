"""The rights administration pages (T-ROLE-1): a university's system administrators list the
staff rights at their current university with a filter and a search, grant a right for the
whole university, an org unit or a course, revoke one after a confirmation page, and read the
history. Every page tried as the system administrator, as other staff and a student (403), as
nobody (login), and with another university's row typed by hand (404)."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import translation

from people.models import StaffRole, StaffRoleEvent, StaffRoleEventKind, StaffRoleKind, User
from people.services import grant_role
from tests.factories import (
    CourseFactory,
    OrgUnitFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

K = StaffRoleKind
LIST = "/staff/rights/"
GRANT = "/staff/rights/grant/"
HISTORY = "/staff/rights/history/"


@pytest.fixture(autouse=True)
def _english():
    """Messages and headings are compared word for word."""
    with translation.override("en"):
        yield


def revoke_url(row: StaffRole) -> str:
    return f"/staff/rights/{row.pk}/revoke/"


def staff(institution, username: str, first: str, last: str, role: str, **narrowing) -> User:
    user = UserFactory(username=username, first_name=first, last_name=last)
    StaffRoleFactory(user=user, institution=institution, role=role, **narrowing)
    return user


@pytest.fixture
def sysadmin(institution) -> User:
    return staff(institution, "oskar", "Oskar", "Sandberg", K.SYSTEM_ADMIN)


@pytest.fixture
def study_admin(institution) -> User:
    return staff(institution, "siv", "Siv", "Berglund", K.STUDY_ADMIN)


@pytest.fixture
def teacher(institution) -> User:
    return staff(institution, "tom", "Tom", "Ek", K.REPORTER)


@pytest.fixture
def maria() -> User:
    """An account without rights, linked to a Person whose name and e-mail are the true ones."""
    person = PersonFactory(first_name="Maria", last_name="Nilsson", email="maria@lu.example")
    return UserFactory(username="maria", email="", person=person)


@pytest.fixture
def uppsala_row(other_institution) -> StaffRole:
    """A right at Uppsala, which nobody at Lund may see or touch."""
    ulf = staff(other_institution, "ulf", "Ulf", "Uppsalason", K.CERTIFIER)
    return ulf.staff_roles.get()


def state() -> tuple[list, list]:
    rights = list(
        StaffRole.objects.order_by("pk").values_list(
            "user_id", "institution_id", "role", "org_unit_id", "course_id"
        )
    )
    events = list(StaffRoleEvent.objects.order_by("pk").values_list("kind", "user_id", "role"))
    return rights, events


class _Rows(HTMLParser):
    """The text of each table row's header cell (the account), in page order."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self._in_body = False
        self._in_header = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tbody":
            self._in_body = True
        elif tag == "th" and self._in_body:
            self._in_header = True
            self.rows.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "th":
            self._in_header = False

    def handle_data(self, data: str) -> None:
        if self._in_header:
            self.rows[-1] += data


def accounts(html: str) -> list[str]:
    parser = _Rows()
    parser.feed(html)
    return [" ".join(row.split()) for row in parser.rows]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Who may enter -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, GRANT, HISTORY, "/staff/rights/1/revoke/"])
def test_pages_need_a_login(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["study_admin", "teacher", "student_user", "narrowed"])
def test_wrong_person_is_refused_and_changes_nothing(
    request, institution, client_for, sysadmin, maria, who
):
    if who == "narrowed":
        # A system administrator narrowed to an org unit administers no rights.
        user = staff(
            institution,
            "nina",
            "Nina",
            "Ny",
            K.SYSTEM_ADMIN,
            org_unit=OrgUnitFactory(institution=institution),
        )
    else:
        user = request.getfixturevalue(who)
    target = sysadmin.staff_roles.get()
    client = client_for(user)
    before = state()
    for url in (LIST, GRANT, HISTORY, revoke_url(target)):
        assert client.get(url).status_code == 403, url
    assert client.post(GRANT, {"account": "maria", "role": K.REPORTER}).status_code == 403
    assert client.post(revoke_url(target)).status_code == 403
    assert state() == before


def test_another_universitys_rights_are_not_listed(
    institution, sysadmin, uppsala_row, teacher, client_for
):
    response = client_for(sysadmin).get(LIST)
    assert response.status_code == 200
    assert accounts(response.text) == ["Tom Ek (tom)", "Oskar Sandberg (oskar)"]
    assert "Uppsalason" not in response.text


@pytest.mark.parametrize("administers_uppsala_too", [False, True])
def test_another_universitys_right_typed_by_hand_is_not_found(
    institution, other_institution, sysadmin, uppsala_row, client_for, administers_uppsala_too
):
    """Rows are looked up through the current university: at Lund an Uppsala id is a 404, even
    for someone who administers Uppsala as well."""
    if administers_uppsala_too:
        StaffRoleFactory(user=sysadmin, institution=other_institution, role=K.SYSTEM_ADMIN)
    client = client_for(sysadmin)
    before = state()
    assert client.get(revoke_url(uppsala_row)).status_code == 404
    assert client.post(revoke_url(uppsala_row)).status_code == 404
    assert client.get("/staff/rights/999999/revoke/").status_code == 404
    assert state() == before


def test_administrator_of_uppsala_only_cannot_reach_a_lund_row(
    institution, other_institution, teacher, client_for
):
    ulla = staff(other_institution, "ulla", "Ulla", "Admin", K.SYSTEM_ADMIN)
    lund_row = teacher.staff_roles.get()
    client = client_for(ulla)
    assert accounts(client.get(LIST).text) == ["Ulla Admin (ulla)"]
    assert client.post(revoke_url(lund_row)).status_code == 404
    assert StaffRole.objects.filter(pk=lund_row.pk).exists()


# --- The list ----------------------------------------------------------------------------------


@pytest.fixture
def several(institution, sysadmin, teacher, study_admin) -> None:
    unit = OrgUnitFactory(institution=institution, name_en="Department of Mathematics")
    course = CourseFactory(institution=institution, code="MATA21", name_en="Analysis")
    StaffRoleFactory(user=teacher, institution=institution, role=K.CERTIFIER, org_unit=unit)
    StaffRoleFactory(user=teacher, institution=institution, role=K.REPORTER, course=course)


def test_list_shows_who_what_where_and_granted_by(institution, sysadmin, maria, client_for):
    course = CourseFactory(institution=institution, code="MATA21", name_en="Analysis")
    grant_role(sysadmin, user=maria, role=K.REPORTER, institution=institution, course=course)
    response = client_for(sysadmin).get(LIST)
    assert accounts(response.text) == ["Maria Nilsson (maria)", "Oskar Sandberg (oskar)"]
    row = response.text[response.text.index("Maria Nilsson") :]
    row = row[: row.index("</tr>")]
    assert "Reporter" in row
    assert "Course MATA21 Analysis" in row
    assert "Oskar Sandberg" in row
    assert 'href="/staff/rights/' in row
    assert '<h2 id="rights-heading">2 rights</h2>' in response.text


def test_filter_by_role(several, sysadmin, client_for):
    response = client_for(sysadmin).get(LIST, {"role": K.CERTIFIER})
    assert [(r.user.username, r.role) for r in response.context["page"]] == [("tom", K.CERTIFIER)]
    assert 'value="certifier" selected' in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tom", ["tom", "tom", "tom"]),
        ("berglund", ["siv"]),
        ("SIV berg", ["siv"]),
        ("nilsson", ["maria"]),  # the Person's name, the account has none of its own
        ("oskar ek", []),
    ],
)
def test_search_by_name_or_username(
    several, institution, sysadmin, maria, client_for, query, expected
):
    StaffRoleFactory(user=maria, institution=institution, role=K.REPORTER)
    response = client_for(sysadmin).get(LIST, {"q": query})
    assert [r.user.username for r in response.context["page"]] == expected
    if not expected:
        assert "No rights match the filter." in response.text


def test_bad_filter_says_so_and_shows_everything(several, sysadmin, client_for):
    response = client_for(sysadmin).get(LIST, {"role": "superuser"})
    assert response.status_code == 200
    assert "The filter could not be used:" in response.text
    assert "Select a valid choice. superuser is not one of the available choices." in response.text
    assert len(response.context["page"].object_list) == 5


def test_pages_keep_the_filter(several, institution, sysadmin, client_for, monkeypatch):
    monkeypatch.setattr("staffweb.rights.views.PAGE_SIZE", 2)
    client = client_for(sysadmin)
    first = client.get(LIST, {"q": "tom"})
    assert [r.role for r in first.context["page"]] == [K.CERTIFIER, K.REPORTER]
    assert 'href="?q=tom&amp;page=2"' in first.text
    second = client.get(LIST, {"q": "tom", "page": 2})
    assert [r.role for r in second.context["page"]] == [K.REPORTER]
    assert "Page 2 of 2" in second.text


# --- Granting ----------------------------------------------------------------------------------


def test_grant_form_offers_this_universitys_org_units_only(
    institution, other_institution, sysadmin, client_for
):
    OrgUnitFactory(institution=institution, code="MATH", name_en="Mathematics")
    OrgUnitFactory(institution=other_institution, code="FYS", name_en="Physics")
    response = client_for(sysadmin).get(GRANT)
    assert response.status_code == 200
    options = re.findall(r'<option value="\d+">([^<]*)</option>', response.text)
    assert options == ["MATH Mathematics"]


def test_grant_for_a_course_by_username(institution, sysadmin, maria, client_for):
    course = CourseFactory(institution=institution, code="MATA21", name_en="Analysis")
    client = client_for(sysadmin)
    response = client.post(
        GRANT, {"account": "maria", "role": K.REPORTER, "course": "mata21"}, follow=True
    )
    assert response.redirect_chain == [(LIST, 302)]
    assert messages_of(response) == [
        "Maria Nilsson is granted the role Reporter for the course MATA21 Analysis."
    ]
    assert list(
        maria.staff_roles.values_list("institution", "role", "org_unit", "course", "granted_by")
    ) == [(institution.pk, K.REPORTER, None, course.pk, sysadmin.pk)]
    assert list(StaffRoleEvent.objects.values_list("kind", "user", "actor")) == [
        (StaffRoleEventKind.GRANTED, maria.pk, sysadmin.pk)
    ]


def test_grant_for_an_org_unit_by_the_persons_e_mail(institution, sysadmin, maria, client_for):
    unit = OrgUnitFactory(institution=institution, name_en="Mathematics")
    response = client_for(sysadmin).post(
        GRANT,
        {"account": " Maria@LU.example ", "role": K.CERTIFIER, "org_unit": unit.pk},
        follow=True,
    )
    assert messages_of(response) == [
        "Maria Nilsson is granted the role Examiner (certifier) for the org unit Mathematics."
    ]
    assert list(maria.staff_roles.values_list("role", "org_unit")) == [(K.CERTIFIER, unit.pk)]


def test_grant_for_the_whole_university_by_account_e_mail(institution, sysadmin, client_for):
    eva = UserFactory(username="eva", email="eva@example.se", first_name="Eva", last_name="Berg")
    response = client_for(sysadmin).post(
        GRANT, {"account": "eva@example.se", "role": K.STUDY_ADMIN}, follow=True
    )
    assert messages_of(response) == [
        "Eva Berg is granted the role Study administrator for the whole university."
    ]
    assert list(eva.staff_roles.values_list("role", "org_unit", "course")) == [
        (K.STUDY_ADMIN, None, None)
    ]


def _refused(client: Client, data: dict) -> str:
    """Post the grant form, expect it back with its errors, and return the page."""
    before = state()
    response = client.post(GRANT, data)
    assert response.status_code == 200
    assert "Nothing was saved. Please correct the following:" in response.text
    assert state() == before
    return response.text


def test_grant_bad_input_says_why_and_changes_nothing(
    institution, other_institution, sysadmin, maria, client_for
):
    UserFactory(username="a1", email="shared@example.se")
    UserFactory(username="a2", email="shared@example.se")
    here_unit = OrgUnitFactory(institution=institution)
    there_unit = OrgUnitFactory(institution=other_institution)
    CourseFactory(institution=institution, code="MATA21")
    CourseFactory(institution=other_institution, code="FYSA01")
    client = client_for(sysadmin)
    cases = [
        ({"account": "nobody", "role": K.REPORTER}, "No account has this username or e-mail"),
        (
            {"account": "shared@example.se", "role": K.REPORTER},
            "Several accounts have this e-mail address. Give the username instead.",
        ),
        ({"account": "maria", "role": ""}, "This field is required."),
        ({"account": "maria", "role": "superuser"}, "Select a valid choice."),
        (
            {"account": "maria", "role": K.REPORTER, "org_unit": there_unit.pk},
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        (
            {"account": "maria", "role": K.REPORTER, "course": "FYSA01"},
            "Lund University has no course with the code FYSA01.",
        ),
        (
            {"account": "maria", "role": K.REPORTER, "org_unit": here_unit.pk, "course": "MATA21"},
            "Narrow a right to an org unit or to a course, not both.",
        ),
        (
            {"account": "maria", "role": K.SYSTEM_ADMIN, "course": "MATA21"},
            "A system administrator&#x27;s right covers the whole university",
        ),
    ]
    for data, message in cases:
        assert message in _refused(client, data), data


def test_grant_of_a_right_already_held_says_so(institution, sysadmin, maria, client_for):
    StaffRoleFactory(user=maria, institution=institution, role=K.REPORTER)
    page = _refused(client_for(sysadmin), {"account": "maria", "role": K.REPORTER})
    assert "Maria Nilsson already holds this right." in page


# --- Revoking ----------------------------------------------------------------------------------


def test_revoke_asks_first_then_revokes(institution, sysadmin, teacher, client_for):
    row = teacher.staff_roles.get()
    client = client_for(sysadmin)
    confirm = client.get(revoke_url(row))
    assert confirm.status_code == 200
    assert "Tom Ek" in confirm.text
    assert f'<form method="post" action="{revoke_url(row)}"' in confirm.text
    assert teacher.staff_roles.count() == 1  # asking changed nothing
    response = client.post(revoke_url(row), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert messages_of(response) == [
        "The role Reporter of Tom Ek for the whole university is revoked."
    ]
    assert teacher.staff_roles.count() == 0
    assert list(StaffRoleEvent.objects.values_list("kind", "user", "role", "actor")) == [
        (StaffRoleEventKind.REVOKED, teacher.pk, K.REPORTER, sysadmin.pk)
    ]


def test_own_administrator_right_is_not_offered_for_revocation(institution, sysadmin, client_for):
    own = sysadmin.staff_roles.get()
    client = client_for(sysadmin)
    confirm = client.get(revoke_url(own))
    assert "You cannot revoke your own system administrator&#x27;s right." in confirm.text
    assert '<form method="post" action="/staff/rights/' not in confirm.text
    before = state()
    response = client.post(revoke_url(own), follow=True)
    assert messages_of(response) == [
        "You cannot revoke your own system administrator's right. Ask another system "
        "administrator of the university."
    ]
    assert state() == before


def test_revoke_needs_post(institution, sysadmin, teacher, client_for):
    row = teacher.staff_roles.get()
    assert client_for(sysadmin).put(revoke_url(row)).status_code == 405
    assert teacher.staff_roles.count() == 1


# --- History -----------------------------------------------------------------------------------


def test_history_lists_grants_and_revocations_newest_first(
    institution, other_institution, sysadmin, maria, client_for
):
    from people.services import revoke_role

    row = grant_role(sysadmin, user=maria, role=K.CERTIFIER, institution=institution)
    revoke_role(sysadmin, role_row=row)
    ulla = staff(other_institution, "ulla", "Ulla", "Admin", K.SYSTEM_ADMIN)
    grant_role(ulla, user=maria, role=K.REPORTER, institution=other_institution)
    response = client_for(sysadmin).get(HISTORY)
    assert [(e.kind, e.role) for e in response.context["events"]] == [
        (StaffRoleEventKind.REVOKED, K.CERTIFIER),
        (StaffRoleEventKind.GRANTED, K.CERTIFIER),
    ]
    assert "Revoked" in response.text
    assert "Ulla" not in response.text


# --- The staff home ----------------------------------------------------------------------------


def test_home_card_only_for_the_system_administrator(sysadmin, study_admin, client_for):
    assert 'href="/staff/rights/"' in client_for(sysadmin).get("/staff/").text
    assert 'href="/staff/rights/"' not in client_for(study_admin).get("/staff/").text


def test_home_card_not_for_an_administrator_of_another_university(
    institution, other_institution, teacher, client_for
):
    """Tom reports at Lund, his current university, and administers Uppsala: at Lund no card."""
    StaffRoleFactory(user=teacher, institution=other_institution, role=K.SYSTEM_ADMIN)
    assert 'href="/staff/rights/"' not in client_for(teacher).get("/staff/").text


# --- Query counts ------------------------------------------------------------------------------


def _rights(institution, granter: User, count: int) -> None:
    """`count` accounts with a Person, each with a course right and an org unit right granted by
    the administrator, and one more at the other university."""
    for n in range(count):
        person = PersonFactory(first_name="Lärare", last_name=f"Nummer{n}")
        user = UserFactory(username=f"larare{n}", person=person)
        StaffRoleFactory(
            user=user,
            institution=institution,
            course=CourseFactory(institution=institution),
            granted_by=granter,
        )
        StaffRoleFactory(
            user=user,
            institution=institution,
            role=K.CERTIFIER,
            org_unit=OrgUnitFactory(institution=institution),
            granted_by=granter,
        )


# Session, user, the user's universities, the administrator check, then the page's own reads.
@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(
    institution, other_institution, sysadmin, client_for, django_assert_num_queries, count
):
    _rights(institution, sysadmin, count)
    _rights(other_institution, sysadmin, count)
    client = client_for(sysadmin)
    with django_assert_num_queries(6):  # + the count and the page of rows
        response = client.get(LIST, {"q": "nummer"})
    assert len(response.context["page"].object_list) == 2 * count


@pytest.mark.parametrize("count", [1, 3])
def test_history_query_count_does_not_grow(
    institution, sysadmin, client_for, django_assert_num_queries, count
):
    for n in range(count):
        person = PersonFactory(first_name="Lärare", last_name=f"Nummer{n}")
        user = UserFactory(username=f"larare{n}", person=person)
        grant_role(
            sysadmin,
            user=user,
            role=K.REPORTER,
            institution=institution,
            course=CourseFactory(institution=institution),
        )
        grant_role(
            sysadmin,
            user=user,
            role=K.CERTIFIER,
            institution=institution,
            org_unit=OrgUnitFactory(institution=institution),
        )
    client = client_for(sysadmin)
    with django_assert_num_queries(5):  # + the events with their accounts and scopes
        response = client.get(HISTORY)
    assert len(response.context["events"]) == 2 * count


@pytest.mark.parametrize("count", [1, 3])
def test_grant_form_query_count_does_not_grow(
    institution, sysadmin, client_for, django_assert_num_queries, count
):
    for _ in range(count):
        OrgUnitFactory(institution=institution)
    client = client_for(sysadmin)
    with django_assert_num_queries(5):  # + the org units to choose from
        response = client.get(GRANT)
    assert len(re.findall(r'<option value="\d+">', response.text)) == count


@pytest.mark.parametrize("count", [1, 3])
def test_home_query_count_with_the_rights_card(
    institution, other_institution, sysadmin, client_for, django_assert_num_queries, count
):
    for kind in [K.REPORTER, K.CERTIFIER, K.STUDY_ADMIN][:count]:
        StaffRoleFactory(user=sysadmin, institution=other_institution, role=kind)
    client = client_for(sysadmin)
    with django_assert_num_queries(5):
        response = client.get("/staff/")
    assert response.text.count('href="/staff/rights/"') == 2  # the menu and the card
