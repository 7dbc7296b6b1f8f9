"""The configuration pages (T-ADM-1): the local texts list, a slot's editor with both languages,
its preview (htmx partial and Preview button without JavaScript), saving, a publication date and
restoring; the function switches page. Every URL tried as the system administrator, a student, a
teacher, another university's system administrator (403) and nobody (login)."""

import datetime

import pytest
from django.test import Client
from django.utils import translation

from institutions.models import InstitutionSettings, LocalTextSlot, LocalTextVersion
from institutions.services import save_local_text
from ladokportal import clock
from people.models import StaffRoleKind
from tests.factories import StaffRoleFactory, UserFactory
from tests.statements import count_statements

pytestmark = pytest.mark.django_db

TEXTS = "/staff/configuration/texts/"
EDIT = "/staff/configuration/texts/start.other/"
PREVIEW = "/staff/configuration/texts/start.other/preview/"
SWITCHES = "/staff/configuration/switches/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def sysadmin(institution):
    user = UserFactory(username="oskar", first_name="Oskar", last_name="Sandberg")
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.SYSTEM_ADMIN)
    return user


@pytest.fixture
def version(institution, sysadmin):
    return save_local_text(
        sysadmin,
        institution=institution,
        slot=LocalTextSlot.START_OTHER,
        body_sv="<p>Gammal</p>",
        body_en="<p>Old</p>",
    )


def restore_url(version) -> str:
    return f"{EDIT}versions/{version.pk}/restore/"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Who may enter (every new URL) -------------------------------------------------------------

URLS = [
    ("get", TEXTS),
    ("get", EDIT),
    ("get", SWITCHES),
    ("post", EDIT),
    ("post", PREVIEW),
    ("post", SWITCHES),
    ("post", "restore"),
]


def call(client, method, url, version, data=None):
    target = restore_url(version) if url == "restore" else url
    return client.post(target, data or {}) if method == "post" else client.get(target)


@pytest.mark.parametrize(("method", "url"), URLS)
def test_nobody_is_sent_to_log_in(method, url, version):
    response = call(Client(), method, url, version)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["student", "teacher", "study_admin"])
@pytest.mark.parametrize(("method", "url"), URLS)
def test_the_wrong_person_is_refused_and_nothing_changes(
    method, url, who, institution, other_institution, student_user, client_for, version
):
    if who == "student":
        user = student_user
    else:
        user = UserFactory(username=who)
        role = {
            "teacher": StaffRoleKind.REPORTER,
            "study_admin": StaffRoleKind.STUDY_ADMIN,
        }.get(who, StaffRoleKind.SYSTEM_ADMIN)
        where = other_institution if who == "other_admin" else institution
        StaffRoleFactory(user=user, institution=where, role=role)
    client = client_for(user)
    data = {"body_sv": "<p>Ny</p>", "body_en": "<p>New</p>", "allow_withdrawal": ""}
    response = call(client, method, url, version, data)
    assert response.status_code == 403
    assert LocalTextVersion.objects.count() == 1
    assert InstitutionSettings.objects.get(institution=institution).allow_withdrawal is True


@pytest.mark.parametrize(("method", "url"), URLS)
def test_another_universitys_administrator_reaches_only_their_own(
    method, url, institution, other_institution, client_for, version
):
    """Uppsala's system administrator works on Uppsala's texts and switches; Lund's version,
    typed by hand, is not found, and nothing of Lund's changes."""
    theirs = UserFactory(username="ulla")
    StaffRoleFactory(user=theirs, institution=other_institution, role=StaffRoleKind.SYSTEM_ADMIN)
    client = client_for(theirs)
    data = {"body_sv": "<p>Ny</p>", "body_en": "<p>New</p>"}
    response = call(client, method, url, version, data)
    expected = {"restore": 404, EDIT: 302, SWITCHES: 302} if method == "post" else {}
    assert response.status_code == expected.get(url, 200)
    assert list(
        LocalTextVersion.objects.filter(institution=institution).values_list("body_en", flat=True)
    ) == ["<p>Old</p>"]
    assert InstitutionSettings.objects.get(institution=institution).allow_withdrawal is True


def test_another_universitys_version_is_not_found(
    institution, other_institution, sysadmin, client_for
):
    theirs = UserFactory(username="ulla")
    StaffRoleFactory(user=theirs, institution=other_institution, role=StaffRoleKind.SYSTEM_ADMIN)
    version = save_local_text(
        theirs, institution=other_institution, slot="start.other", body_sv="", body_en=""
    )
    assert client_for(sysadmin).post(restore_url(version)).status_code == 404


def test_an_unknown_slot_is_not_found(sysadmin, client_for):
    assert client_for(sysadmin).get(f"{TEXTS}nothing/").status_code == 404


# --- Local texts ---------------------------------------------------------------------------------


def test_the_list_names_every_slot_with_where_students_see_it(sysadmin, client_for):
    response = client_for(sysadmin).get(TEXTS)
    assert [row["slot"] for row in response.context["rows"]] == list(LocalTextSlot)
    assert "The student&#x27;s start page, under “Other information”." in response.text
    assert "The tuition fees page." in response.text


def test_the_editor_shows_both_languages_side_by_side(sysadmin, client_for, version):
    response = client_for(sysadmin).get(EDIT)
    form = response.context["form"]
    assert (form["body_sv"].value(), form["body_en"].value()) == ("<p>Gammal</p>", "<p>Old</p>")
    assert response.text.count('class="text-editor__grid"') == 1


def test_preview_without_javascript_shows_the_sanitised_text_and_saves_nothing(
    sysadmin, client_for, version
):
    response = client_for(sysadmin).post(
        EDIT,
        {"body_sv": "<p>Ny</p><script>x()</script>", "body_en": "<p>New</p>", "preview": "1"},
    )
    assert response.status_code == 200
    assert response.context["preview"] == {"sv": "<p>Ny</p>", "en": "<p>New</p>"}
    assert '<div class="local-text"><p>Ny</p></div>' in response.text
    assert "<script>x()" not in response.text
    assert LocalTextVersion.objects.count() == 1


def test_preview_with_htmx_is_the_partial(sysadmin, client_for):
    response = client_for(sysadmin).post(
        PREVIEW,
        {"body_sv": '<p onclick="x()">Ny</p>', "body_en": "<p>New</p>"},
        headers={"HX-Request": "true"},
    )
    assert response.text.strip().startswith('<section id="text-preview"')
    assert '<div class="local-text"><p>Ny</p></div>' in response.text
    assert "onclick" not in response.text


def test_saving_publishes_and_the_student_sees_it(sysadmin, client_for, student_user, institution):
    response = client_for(sysadmin).post(
        EDIT, {"body_sv": "<p>Ny text</p>", "body_en": "<p>New text</p>"}, follow=True
    )
    assert messages_of(response) == ["Saved and published. Students see the text now."]
    start = client_for(student_user).get("/start/")
    assert '<div class="local-text"><p>New text</p></div>' in start.text


def test_a_text_with_a_publication_date_waits(sysadmin, client_for, student_user, version):
    day = clock.today() + datetime.timedelta(days=7)
    response = client_for(sysadmin).post(
        EDIT,
        {"body_sv": "<p>Sen</p>", "body_en": "<p>Later</p>", "publish_on": day.isoformat()},
        follow=True,
    )
    assert messages_of(response) == [f"Saved. Students see the text from {day.isoformat()}."]
    assert f"from {day.isoformat()}" in response.text
    assert "<p>Old</p>" in client_for(student_user).get("/start/").text


def test_restoring_brings_back_the_earlier_version(
    sysadmin, client_for, student_user, version, institution
):
    save_local_text(
        sysadmin,
        institution=institution,
        slot="start.other",
        body_sv="<p>Ny</p>",
        body_en="<p>New</p>",
    )
    client_for(sysadmin).post(restore_url(version))
    assert "<p>Old</p>" in client_for(student_user).get("/start/").text
    assert LocalTextVersion.objects.count() == 3


def test_restore_is_not_a_get(sysadmin, client_for, version):
    assert client_for(sysadmin).get(restore_url(version)).status_code == 405


# --- Switches ------------------------------------------------------------------------------------


def test_switches_page_explains_every_switch_and_who_changed_it(sysadmin, client_for):
    client = client_for(sysadmin)
    current = InstitutionSettings.objects.get(institution=sysadmin.staff_roles.get().institution)
    names = [row["name"] for row in client.get(SWITCHES).context["rows"]]
    values = {n: "on" for n in names if getattr(current, n) and n != "allow_withdrawal"}
    response = client.post(SWITCHES, values, follow=True)
    assert messages_of(response) == ["Saved: 1 switch changed. Students see it on their next page."]
    row = next(r for r in response.context["rows"] if r["name"] == "allow_withdrawal")
    assert (row["value"], row["change"].changed_by_id) == (False, sysadmin.pk)
    assert "Students may withdraw from a course" in response.text
    assert "by Oskar Sandberg." in response.text


def test_switches_page_shows_and_explains_the_reminder_settings(sysadmin, client_for):
    """B-2, G-4: the reminder switch and how many days before a period closes it goes out."""
    InstitutionSettings.objects.filter(institution=sysadmin.staff_roles.get().institution).update(
        reminder_days=5
    )

    text = client_for(sysadmin).get(SWITCHES).text

    assert 'id="switch-send_reminders"' in text
    assert "Students get an e-mail before a registration period or an exam sign-up closes." in text
    assert "Days before a period closes that its reminder is sent: <strong>5</strong>." in text
    assert "How many days before a registration period or an exam sign-up closes" in text


@pytest.mark.parametrize("size", [1, 3])
def test_the_pages_cost_a_fixed_number_of_queries(size, sysadmin, client_for, institution):
    for n in range(size):
        save_local_text(
            sysadmin, institution=institution, slot="start.other", body_sv=f"<p>{n}</p>", body_en=""
        )
    client = client_for(sysadmin)
    counts = []
    for url in (TEXTS, EDIT, SWITCHES):
        with count_statements() as counted:
            assert client.get(url).status_code == 200
        counts.append(counted.total)
    assert counts == [6, 6, 6]


def test_a_switch_turned_off_on_the_page_holds_from_the_students_next_request(
    sysadmin, client_for, institution
):
    """G-4: withdrawal switched off by the system administrator is gone from the student's
    course page and refused by the service, from the very next request."""
    from registration.models import ParticipationState
    from tests.factories import PersonFactory, participation_with_periods

    student = UserFactory(username="maja", person=PersonFactory(first_name="Maja"))
    mine = participation_with_periods(student.person, institution)
    withdraw = f"/courses/{mine.public_id}/withdraw/"
    page = client_for(student)
    assert withdraw in page.get(f"/courses/{mine.public_id}/").text

    names = [row["name"] for row in client_for(sysadmin).get(SWITCHES).context["rows"]]
    current = InstitutionSettings.objects.get(institution=institution)
    on = {n: "on" for n in names if getattr(current, n) and n != "allow_withdrawal"}
    client_for(sysadmin).post(SWITCHES, on)

    assert withdraw not in page.get(f"/courses/{mine.public_id}/").text
    page.post(withdraw)
    mine.refresh_from_db()
    assert mine.state == ParticipationState.ADMITTED
