"""A study administrator's view of a student's certificates (S-CERT-1..4, T-ADM-2, B-5): every
certificate of the student at the university with who created it, whether it still holds and how
often it was checked; a certificate created on the student's behalf with the student's own form
and service; one certificate's state, file, failure, retry, frozen content and verification log.
Only the university's study administrators reach these pages."""

import datetime
import re
import uuid
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from catalog.models import ProgrammeKind
from certificates import seal, services
from certificates.models import Certificate, CertificateState, CheckMethod
from ladokportal import clock
from people.models import StaffRoleKind, User
from registration.models import ParticipationState
from tests.factories import (
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
    StaffRoleFactory,
    UserFactory,
)
from tests.factories.certificates import Transcript, create_certificate, transcript_student

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared word for word."""
    with translation.override("en"):
        yield


def study_admin(institution, username: str = "siv") -> User:
    user = UserFactory(username=username, first_name="Siv", last_name="Berglund")
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.STUDY_ADMIN)
    return user


@pytest.fixture
def admin(institution) -> User:
    return study_admin(institution)


@pytest.fixture
def teacher(institution) -> User:
    """Reports and certifies results at the university, but is no study administrator."""
    user = UserFactory(username="tom")
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.REPORTER)
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.CERTIFIER)
    return user


@pytest.fixture
def sara(institution) -> Transcript:
    return transcript_student(institution, courses=2, modules=1)


def list_url(student: Transcript) -> str:
    return f"/staff/students/{student.person.public_id}/certificates/"


def page_url(student: Transcript, certificate: Certificate, tail: str = "") -> str:
    return f"{list_url(student)}{certificate.public_id}/{tail}"


def queued(actor: User, student: Transcript, institution, **options) -> Certificate:
    """A certificate whose render has not run (its on_commit callback is dropped)."""
    options.setdefault("kind", "transcript")
    return create_certificate(actor, student.person, institution, **options)


def failed(certificate: Certificate, reason: str = "RuntimeError: no seal key for lu") -> None:
    Certificate.objects.filter(pk=certificate.pk).update(
        state=CertificateState.FAILED, failure=reason, attempts=2
    )


def checked(certificate: Certificate, times: int) -> None:
    methods = list(CheckMethod.values)
    for n in range(times):
        services.record_check(certificate, methods[n % len(methods)])


def form_data(**fields) -> dict:
    data = {"kind": "transcript", "language": "en", "request_key": str(uuid.uuid4())}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


class _Rows(HTMLParser):
    """The body rows (cell texts) of the tables inside the element with the id `scope`."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr", "col", "source", "wbr"})

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope, self.depth, self.scope_depth = scope, 0, None
        self.in_head, self.row, self.cell = False, None, None
        self.rows: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.VOID:
            return
        self.depth += 1
        if self.scope_depth is None and dict(attrs).get("id") == self.scope:
            self.scope_depth = self.depth
        if self.scope_depth is None:
            return
        if tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if self.scope_depth is not None:
            if tag == "thead":
                self.in_head = False
            elif tag in ("td", "th") and self.cell is not None:
                self.row.append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif tag == "tr" and self.row is not None:
                self.rows.append(tuple(self.row))
                self.row = None
        if self.scope_depth == self.depth:
            self.scope_depth = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def rows(html: str, scope: str) -> list[tuple[str, ...]]:
    parser = _Rows(scope)
    parser.feed(html)
    return parser.rows


def local(moment: datetime.datetime) -> str:
    return clock.local(moment).strftime("%Y-%m-%d %H:%M")


# --- The list (T-ADM-2, S-CERT-3) ---------------------------------------------------------------


def test_list_shows_every_certificate_with_creator_state_validity_and_checks(
    client_for, admin, sara, institution
):
    own = queued(sara.user, sara, institution, language="sv")
    on_behalf = queued(admin, sara, institution, kind="registration")
    old = queued(sara.user, sara, institution)
    today = clock.today()
    Certificate.objects.filter(pk=old.pk).update(valid_until=today - datetime.timedelta(days=1))
    failed(on_behalf)
    checked(own, 3)
    old.refresh_from_db()

    response = client_for(admin).get(list_url(sara))

    assert response.status_code == 200
    assert rows(response.text, "certificates") == [
        (
            "Transcript of records (English)",
            local(old.created_at),
            "The student",
            "Waiting to be created",
            f"{old.valid_until.isoformat()} Expired",
            old.display_code,
            "0",
        ),
        (
            "Registration certificate (English)",
            local(on_behalf.created_at),
            "Siv Berglund",
            "Could not be created",
            on_behalf.valid_until.isoformat(),
            on_behalf.display_code,
            "0",
        ),
        (
            "Transcript of records (Swedish)",
            local(own.created_at),
            "The student",
            "Waiting to be created",
            own.valid_until.isoformat(),
            own.display_code,
            "3",
        ),
    ]
    links = re.findall(r'href="([^"]*/certificates/[^"]+)"', response.text)
    assert links == [page_url(sara, c) for c in (old, on_behalf, own)]


def test_list_leaves_out_the_students_certificates_at_another_university(
    client_for, admin, sara, institution, other_institution
):
    here = queued(sara.user, sara, institution)
    transcript_student(other_institution, courses=1, modules=1, person=sara.person)
    elsewhere = queued(sara.user, sara, other_institution)

    html = client_for(admin).get(list_url(sara)).text

    assert [r[-2] for r in rows(html, "certificates")] == [here.display_code]
    assert elsewhere.display_code not in html
    assert str(elsewhere.public_id) not in html


def test_list_without_certificates_says_so_and_offers_the_form(client_for, admin, sara):
    response = client_for(admin).get(list_url(sara))

    assert rows(response.text, "certificates") == []
    assert "No certificate has been created for the student at this university." in response.text
    form = response.context["form"]
    assert form["language"].value() == sara.person.language
    actions = re.findall(r'<form method="post" action="([^"]*)"', response.text)
    assert actions == [list_url(sara)]


def test_student_overview_links_the_latest_certificates_and_the_list(
    client_for, admin, sara, institution
):
    made = [queued(sara.user, sara, institution) for _ in range(4)]

    html = client_for(admin).get(f"/staff/students/{sara.person.public_id}/").text

    card = html[html.index('id="certificates"') :]
    card = card[: card.index("</section>")]
    links = re.findall(r'href="([^"]*)"', card)
    assert links == [*(page_url(sara, c) for c in reversed(made[1:])), list_url(sara)]


# --- Creating on the student's behalf (S-CERT-1, S-CERT-4) --------------------------------------


def test_study_admin_creates_a_certificate_the_student_then_has(
    client_for, admin, sara, institution, documents, django_capture_on_commit_callbacks
):
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(list_url(sara), form_data(include_modules="on"))

    certificate = Certificate.objects.get(person=sara.person)
    assert response.status_code == 302
    assert response.url == page_url(sara, certificate)
    assert (certificate.created_by, certificate.institution, certificate.kind) == (
        admin,
        institution,
        "transcript",
    )
    assert (certificate.state, certificate.options["include_modules"]) == (
        CertificateState.READY,
        True,
    )
    # The student's own list holds it: their certificates within validity.
    today = clock.today()
    assert list(
        Certificate.objects.filter(person=sara.person, valid_until__gte=today).values_list(
            "pk", "created_by"
        )
    ) == [(certificate.pk, admin.pk)]

    page = client.get(response.url)
    assert messages_of(page) == [
        f"The certificate for {sara.person.full_name} is ordered: Transcript of records (English)."
    ]
    # #12 point 6: no "being created" above a document that is ready.
    assert "is being created" not in page.text
    assert "Siv Berglund" in page.text


def test_the_same_form_sent_twice_creates_one_certificate(client_for, admin, sara):
    client = client_for(admin)
    data = form_data()

    first = client.post(list_url(sara), data)
    second = client.post(list_url(sara), data)

    assert Certificate.objects.filter(person=sara.person).count() == 1
    assert first.url == second.url


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": None}, "Certificate: This field is required."),
        ({"kind": "diploma"}, "Certificate: There is no such kind of certificate."),
        ({"language": "de"}, "Language of the certificate: Certificates are issued in Swedish or"),
        (
            {"kind": "registration", "date_from": "2024-01-01"},
            "Give both the first and the last day of the period, or neither.",
        ),
        (
            {"kind": "registration", "date_from": "2024-05-01", "date_to": "2024-01-01"},
            "To (YYYY-MM-DD): The period ends before it starts.",
        ),
        (
            {"kind": "registration", "supervisors": "on"},
            "Supervisors and study activity can be added only for doctoral students.",
        ),
    ],
)
def test_bad_input_shows_the_form_with_the_reason_and_saves_nothing(
    client_for, admin, sara, fields, message
):
    response = client_for(admin).post(list_url(sara), form_data(**fields))

    assert response.status_code == 400
    alert = r'<div class="alert alert--error" role="alert">(.*?)</div>'
    errors = re.search(alert, response.text, re.S)
    assert message in " ".join(re.sub(r"<[^>]+>", "", errors.group(1)).split())
    assert Certificate.objects.count() == 0


def test_nothing_to_certify_is_told_and_nothing_saved(client_for, admin, sara):
    """Sara has registered on every course she was admitted to: no expected participation."""
    response = client_for(admin).post(list_url(sara), form_data(kind="expected_participation"))

    assert response.status_code == 400
    assert list(response.context["form"].non_field_errors()) == [
        "There is no admission that is not yet registered on, so a certificate of expected "
        "participation would have nothing to show."
    ]
    assert Certificate.objects.count() == 0


def test_doctoral_options_are_offered_only_to_doctoral_students(
    client_for, admin, sara, institution
):
    client = client_for(admin)
    assert 'name="supervisors"' not in client.get(list_url(sara)).text

    ProgrammeParticipationFactory(
        person=sara.person,
        programme_instance=ProgrammeInstanceFactory(
            programme__institution=institution, programme__kind=ProgrammeKind.DOCTORAL_SUBJECT
        ),
        state=ParticipationState.REGISTERED,
    )
    html = client.get(list_url(sara)).text
    assert re.findall(r'name="(supervisors|study_activity)"', html) == [
        "supervisors",
        "study_activity",
    ]


# --- One certificate (S-CERT-2..4, B-5) ---------------------------------------------------------


def test_page_of_a_queued_certificate_shows_its_state_content_and_empty_log(
    client_for, admin, sara, institution
):
    certificate = queued(sara.user, sara, institution)

    response = client_for(admin).get(page_url(sara, certificate))

    html = response.text
    assert response.status_code == 200
    assert "Waiting to be created" in html
    assert f'hx-get="{page_url(sara, certificate)}" hx-trigger="every 2s"' in html
    assert f'<a href="{page_url(sara, certificate)}">Refresh</a>' in html
    assert "document.pdf" not in html
    assert certificate.display_code in html
    courses = [c["name"] for c in certificate.content["body"]["universities"][0]["courses"]]
    assert len(courses) == 2
    assert all(escape(name) in html for name in courses)
    assert "Nobody has checked the certificate yet." in html


def test_page_shows_the_verification_log(client_for, admin, sara, institution):
    certificate = queued(sara.user, sara, institution)
    checked(certificate, 2)
    log = list(certificate.checks.order_by("-at", "-id"))

    html = client_for(admin).get(page_url(sara, certificate)).text

    assert rows(html, "checks") == [
        (local(check.at), str(check.get_method_display())) for check in log
    ]


def test_failed_certificate_shows_the_internal_reason_and_is_retried_as_the_same_row(
    client_for, admin, sara, institution, documents, django_capture_on_commit_callbacks
):
    certificate = queued(sara.user, sara, institution)
    failed(certificate)
    client = client_for(admin)

    html = client.get(page_url(sara, certificate)).text
    assert "RuntimeError: no seal key for lu" in html
    assert f'action="{page_url(sara, certificate, "retry/")}"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(sara, certificate, "retry/"))

    assert response.url == page_url(sara, certificate)
    assert list(Certificate.objects.values_list("pk", "state", "failure")) == [
        (certificate.pk, CertificateState.READY, "")
    ]
    assert messages_of(client.get(response.url)) == ["The certificate is being created again."]


def test_ready_certificate_downloads_as_a_sealed_attachment(
    client_for, admin, sara, institution, documents, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = queued(sara.user, sara, institution)
    certificate.refresh_from_db()
    client = client_for(admin)
    download = page_url(sara, certificate, "document.pdf")

    assert f'href="{download}"' in client.get(page_url(sara, certificate)).text
    response = client.get(download)

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="transcript-of-records-{certificate.display_code}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body.startswith(b"%PDF")
    assert seal.inspect_pdf(body).valid


def test_download_of_a_certificate_not_ready_is_404(client_for, admin, sara, institution):
    certificate = queued(sara.user, sara, institution)
    assert client_for(admin).get(page_url(sara, certificate, "document.pdf")).status_code == 404


def test_htmx_gets_the_state_box_and_is_told_to_stop_once_it_is_settled(
    client_for, admin, sara, institution
):
    certificate = queued(sara.user, sara, institution)
    client = client_for(admin, headers={"HX-Request": "true"})

    waiting = client.get(page_url(sara, certificate))
    failed(certificate)
    settled = client.get(page_url(sara, certificate))

    assert waiting.status_code == 200
    assert waiting.text.lstrip().startswith('<section class="card" id="state"')
    assert "<html" not in waiting.text
    assert settled.status_code == 286
    assert "hx-trigger" not in settled.text
    assert "Try again" in settled.text


def test_a_certificate_of_another_student_is_404_through_this_student(
    client_for, admin, sara, institution
):
    other = transcript_student(institution, courses=1, modules=1)
    theirs = queued(other.user, other, institution)
    client = client_for(admin)

    for tail in ("", "document.pdf"):
        assert client.get(page_url(sara, theirs, tail)).status_code == 404
    assert client.post(page_url(sara, theirs, "retry/")).status_code == 404
    assert client.get(page_url(other, theirs)).status_code == 200


# --- Who may enter ------------------------------------------------------------------------------


def _urls(student: Transcript, certificate: Certificate) -> list[tuple[str, str]]:
    return [
        ("get", list_url(student)),
        ("post", list_url(student)),
        ("get", page_url(student, certificate)),
        ("get", page_url(student, certificate, "document.pdf")),
        ("post", page_url(student, certificate, "retry/")),
    ]


def answer(client: Client, method: str, url: str) -> int:
    return getattr(client, method)(url, form_data()).status_code


def test_staff_without_the_study_administrator_role_are_refused(
    client_for, teacher, sara, institution
):
    certificate = queued(sara.user, sara, institution)
    failed(certificate)
    client = client_for(teacher)

    answers = [answer(client, method, url) for method, url in _urls(sara, certificate)]

    assert answers == [403] * 5
    assert Certificate.objects.values_list("state", flat=True).get() == CertificateState.FAILED
    assert Certificate.objects.count() == 1


def test_students_get_the_not_staff_page(client_for, student_user, sara, institution):
    certificate = queued(sara.user, sara, institution)
    for user in (student_user, sara.user):
        client = client_for(user)
        for method, url in _urls(sara, certificate):
            response = getattr(client, method)(url, form_data())
            assert response.status_code == 403
            assert "This account has no staff rights" in response.text
    assert Certificate.objects.count() == 1


def test_nobody_is_sent_to_the_login(sara, institution):
    certificate = queued(sara.user, sara, institution)
    client = Client()
    for method, url in _urls(sara, certificate):
        response = getattr(client, method)(url, form_data())
        assert (response.status_code, response.url.startswith("/accounts/login/")) == (302, True)


def test_study_admin_of_another_university_finds_nothing_of_this_student(
    client_for, sara, institution, other_institution
):
    certificate = queued(sara.user, sara, institution)
    failed(certificate)
    client = client_for(study_admin(other_institution, "ulla"))

    answers = [answer(client, method, url) for method, url in _urls(sara, certificate)]

    assert answers == [404] * 5
    assert list(Certificate.objects.values_list("pk", "state")) == [
        (certificate.pk, CertificateState.FAILED)
    ]


# --- Queries and languages ----------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 3])
def test_list_query_count_does_not_grow(
    size, client_for, admin, sara, institution, django_assert_num_queries
):
    for _ in range(size):
        checked(queued(sara.user, sara, institution), size)
        checked(queued(admin, sara, institution), size)
    client = client_for(admin)

    # Session, user, staff universities, the role check, the person; the certificates with their
    # creators and check counts; whether the student takes doctoral options.
    with django_assert_num_queries(7):
        response = client.get(list_url(sara))

    assert len(rows(response.text, "certificates")) == 2 * size


@pytest.mark.parametrize("size", [1, 3])
def test_page_query_count_does_not_grow(
    size, client_for, admin, sara, institution, django_assert_num_queries
):
    certificate = queued(admin, sara, institution)
    checked(certificate, size)
    client = client_for(admin)

    # Session, user, staff universities, the role check, the person; the certificate with its
    # creator and check count; its checks.
    with django_assert_num_queries(7):
        response = client.get(page_url(sara, certificate))

    assert len(rows(response.text, "checks")) == size


def _sv(message: str) -> str:
    with translation.override("sv"):
        return escape(translation.gettext(message))


def test_pages_render_in_swedish(client_for, admin, sara, institution):
    certificate = queued(admin, sara, institution, language="en")
    client = client_for(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"

    listing = client.get(list_url(sara)).text
    page = client.get(page_url(sara, certificate)).text

    assert '<html lang="sv">' in listing
    assert '<html lang="sv">' in page
    # Translated already (the page frame), and the page's own strings as far as locale/ has them.
    assert _sv("Skip to content") != "Skip to content"
    for html in (listing, page):
        assert _sv("Skip to content") in html
    for text in ("Certificates of %(name)s", "Create certificate", "Times checked"):
        assert _sv(text).replace("%(name)s", sara.person.full_name) in listing
    for text in ("Verification log", "Contents", "Document"):
        assert _sv(text) in page
    # The frozen content keeps the certificate's language whatever the reader's.
    assert '<div class="certificate-content" role="region"' in page
    assert 'lang="en"' in page
    content = page[page.index('class="certificate-content"') :]
    assert "Course / module" in content
