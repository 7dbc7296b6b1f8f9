"""The student's certificate pages (S-CERT-2..4, B-2, B-5): who may see what, pinned query counts,
both languages, the polled state box, the download, the retry and the frozen content.
Creating through the form is in test_student_create.py."""

import datetime
import hashlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from catalog.models import ProgrammeKind
from certificates import pipeline
from certificates.models import Certificate, CertificateState
from ladokportal import clock
from registration.models import ParticipationState
from tests.certificates.student_world import checked, finished, page_url, queued, rendered
from tests.factories import (
    CourseInstanceFactory,
    ModuleFactory,
    ProgrammeParticipationFactory,
    StaffRoleFactory,
)
from tests.factories.certificates import (
    Transcript,
    certified,
    create_certificate,
    transcript_student,
)
from tests.factories.results import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(institution) -> Transcript:
    return transcript_student(institution, courses=2, modules=2)


@pytest.fixture
def owner(me, client_for) -> Client:
    return client_for(me.user)


# (method, path tail after the certificate's URL, or the list); what the owner gets.
PAGES = [
    ("get", None, 200),
    ("get", "", 200),
    ("get", "status/", 200),
    ("get", "document.pdf", 200),
    ("post", "retry/", 302),
]


def _url(certificate: Certificate, tail: str | None) -> str:
    return "/certificates/" if tail is None else page_url(certificate, tail)


def _call(client: Client, method: str, url: str):
    response = getattr(client, method)(url)
    if response.streaming:
        # Reading to the end closes the file the way the test client expects.
        b"".join(response.streaming_content)
    return response


# --- Who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "tail", "status"), PAGES)
def test_owner_reaches_every_certificate_page(
    method, tail, status, me, owner, institution, documents
):
    certificate = finished(queued(me, institution))
    assert _call(owner, method, _url(certificate, tail)).status_code == status


@pytest.mark.parametrize(("method", "tail", "_status"), PAGES[1:])
def test_other_student_gets_not_found_for_a_hand_typed_certificate(
    method, tail, _status, me, institution, student_user, client_for, documents
):
    certificate = finished(queued(me, institution))
    response = _call(client_for(student_user), method, _url(certificate, tail))
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.READY


def test_other_student_list_does_not_show_my_certificates(
    me, institution, student_user, client_for
):
    mine = queued(me, institution)
    response = client_for(student_user).get("/certificates/")
    assert response.status_code == 200
    assert response.context["certificates"] == []
    assert str(mine.public_id) not in response.text


@pytest.mark.parametrize(("method", "tail", "_status"), PAGES)
def test_staff_only_account_is_refused(
    method, tail, _status, me, institution, staff_user, client_for, documents
):
    certificate = finished(queued(me, institution))
    response = _call(client_for(staff_user), method, _url(certificate, tail))
    assert response.status_code == 403
    assert "This account has no student records" in response.text


@pytest.mark.parametrize(("method", "tail", "_status"), PAGES)
def test_pages_need_a_login(method, tail, _status, me, institution, documents):
    certificate = finished(queued(me, institution))
    response = _call(Client(), method, _url(certificate, tail))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_certificate_of_another_university_is_neither_listed_nor_shown(
    me, owner, institution, other_institution
):
    transcript_student(other_institution, courses=1, modules=1, person=me.person)
    elsewhere = queued(me, other_institution)
    here = queued(me, institution)

    listed = owner.get("/certificates/").context["certificates"]

    assert [c.pk for c in listed] == [here.pk]
    assert owner.get(page_url(elsewhere)).status_code == 404


def test_alumni_reach_their_certificates(me, owner, institution):
    session = owner.session
    session["portal_mode"] = "alumni"
    session.save()
    certificate = queued(me, institution)

    listing = owner.get("/certificates/")
    page = owner.get(page_url(certificate))
    home = owner.get("/alumni/").text

    assert (listing.status_code, page.status_code) == (200, 200)
    assert '<a href="/certificates/" aria-current="page">Certificates</a>' in listing.text
    assert home.count('<a href="/certificates/">Certificates</a>') == 2  # menu and page


def test_menu_links_certificates_and_marks_it_on_these_pages(me, owner, institution):
    certificate = queued(me, institution)

    start = owner.get("/start/").text
    page = owner.get(page_url(certificate)).text

    assert start.count('<a href="/certificates/">Certificates</a>') == 1
    assert page.count('<a href="/certificates/" aria-current="page">Certificates</a>') == 1


# --- The list (S-CERT-3) ------------------------------------------------------------------------


def test_list_shows_certificates_within_validity_newest_first(me, owner, institution):
    older = queued(me, institution)
    newer = queued(me, institution, kind="registration")
    expired = queued(me, institution)
    today = clock.today()
    Certificate.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    Certificate.objects.filter(pk=expired.pk).update(valid_until=today - datetime.timedelta(days=1))
    Certificate.objects.filter(pk=newer.pk).update(valid_until=today)

    response = owner.get("/certificates/")

    assert [c.pk for c in response.context["certificates"]] == [newer.pk, older.pk]
    links = re.findall(r'href="/certificates/([0-9a-f-]{36})/"', response.text)
    assert links == [str(newer.public_id), str(older.public_id)]
    assert "Registration certificate" in response.text


def test_list_rows_say_what_tells_them_apart(me, owner, institution):
    """#21 point 5: two certificates of one kind differ by period or options and language."""
    queued(me, institution, kind="registration", date_from="2025-08-01", date_to="2025-12-31")
    queued(me, institution, kind="registration", language="sv")
    queued(me, institution, completed_only=True, include_modules=False, include_failed=True)

    text = owner.get("/certificates/").text

    assert "Registrations 2025-08-01 – 2025-12-31" in text
    assert "Current registrations" in text
    assert "Completed courses only, without modules, with failed attempts" in text
    assert "Language: Swedish" in text and "Language: English" in text


def test_empty_list_says_so(owner):
    response = owner.get("/certificates/")
    assert response.status_code == 200
    assert "You have no valid certificates at this university." in response.text


# --- Pinned query counts ------------------------------------------------------------------------


def _many(me, institution, count: int) -> list[Certificate]:
    made = []
    for _ in range(count):
        certificate = queued(me, institution)
        checked(certificate, count)
        made.append(certificate)
    return made


# Session, user, person, the person's universities; then the certificates and whether the
# person studies at doctoral level.
@pytest.mark.parametrize("count", [1, 6])
def test_list_query_count_does_not_grow(count, me, owner, institution, django_assert_num_queries):
    _many(me, institution, count)
    with django_assert_num_queries(6):
        response = owner.get("/certificates/")
    assert len(response.context["certificates"]) == count


# Session, user, person, the person's universities; then the certificate and its checks.
@pytest.mark.parametrize("count", [1, 6])
def test_certificate_page_query_count_does_not_grow(
    count, me, owner, institution, django_assert_num_queries
):
    certificate = _many(me, institution, count)[0]
    with django_assert_num_queries(6):
        response = owner.get(page_url(certificate))
    assert len(response.context["certificate"].checks.all()) == count


# Session, user, person, the person's universities; then the certificate.
@pytest.mark.parametrize("count", [1, 6])
def test_state_box_query_count_does_not_grow(
    count, me, owner, institution, django_assert_num_queries
):
    certificate = _many(me, institution, count)[0]
    with django_assert_num_queries(5):
        response = owner.get(page_url(certificate, "status/"), headers={"HX-Request": "true"})
    assert response.status_code == 200


# --- Both languages -----------------------------------------------------------------------------


def test_pages_render_in_swedish(me, owner, institution):
    certificate = queued(me, institution, language="en")
    owner.post("/language/", {"language": "sv", "next": "/certificates/"})

    listing = owner.get("/certificates/").text
    page = owner.get(page_url(certificate)).text

    assert '<html lang="sv">' in listing
    assert "Mina uppgifter" in listing
    assert '<html lang="sv">' in page
    # The contents are the English document, whatever the language of the page around them.
    region = page.split('class="certificate-content"', 1)[1]
    assert region.startswith(' role="region" aria-label=')
    assert 'tabindex="0" lang="en">' in region
    assert '<th scope="col">Code</th>' in region


@pytest.mark.parametrize(
    ("language", "course", "absent"), [("sv", "Kurs", "Course"), ("en", "Course", "Kurs")]
)
def test_frozen_content_is_shown_in_the_certificate_language(
    language, course, absent, me, owner, institution
):
    certificate = queued(me, institution, language=language)
    names = [m.course.name_sv if language == "sv" else m.course.name_en for m in me.modules[::2]]

    page = owner.get(page_url(certificate)).text
    region = page.split('class="certificate-content"', 1)[1]

    assert f'lang="{language}"' in region
    assert all(f"<strong>{name}</strong>" in region for name in names)
    assert f"<strong>{absent} " not in region


# --- The state box (S-CERT-4) -------------------------------------------------------------------


def test_page_in_progress_polls_and_offers_refresh(me, owner, institution):
    certificate = queued(me, institution)

    page = owner.get(page_url(certificate)).text

    status = f"/certificates/{certificate.public_id}/status/?seen=queued%3A"
    assert f'hx-get="{status}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    assert f'<a href="/certificates/{certificate.public_id}/">Refresh</a>' in page
    assert 'aria-current="step">Waiting for a free worker</li>' in page
    assert "document.pdf" not in page
    assert "<script>" not in page


def test_state_box_alone_polls_while_in_progress(me, owner, institution):
    certificate = queued(me, institution)
    Certificate.objects.filter(pk=certificate.pk).update(
        state=CertificateState.RENDERING, step="sealing"
    )

    response = owner.get(page_url(certificate, "status/"), headers={"HX-Request": "true"})

    text = response.text.strip()
    assert text.startswith('<section id="certificate-state"')
    assert text.endswith("</section>")
    assert 'hx-trigger="every 2s"' in text
    assert "?seen=rendering%3Asealing" in text
    assert re.findall(r'certificate-steps__step--(\w+)"', text) == ["done", "done", "current"]
    assert "<html" not in text
    assert "Contents" not in text


def test_state_box_unchanged_since_the_last_poll_is_no_content(me, owner, institution):
    certificate = queued(me, institution)
    url = page_url(certificate, "status/")

    same = owner.get(url, {"seen": "queued:"}, headers={"HX-Request": "true"})
    moved = owner.get(url, {"seen": "rendering:layout"}, headers={"HX-Request": "true"})

    assert (same.status_code, same.content) == (204, b"")
    assert moved.status_code == 200
    assert 'hx-trigger="every 2s"' in moved.text


def test_state_box_stops_polling_when_ready(me, owner, institution, documents):
    certificate = finished(queued(me, institution))

    response = owner.get(page_url(certificate, "status/"), headers={"HX-Request": "true"})

    assert "hx-trigger" not in response.text
    assert "hx-get" not in response.text
    assert f'href="/certificates/{certificate.public_id}/document.pdf"' in response.text


def test_failed_certificate_shows_a_plain_message_and_try_again(me, owner, institution):
    certificate = queued(me, institution)
    pipeline.fail(certificate.pk, "OSError: disk full on /srv/media")

    page = owner.get(page_url(certificate)).text
    box = owner.get(page_url(certificate, "status/"), headers={"HX-Request": "true"}).text

    assert "Something went wrong when the document was created." in page
    assert f'action="/certificates/{certificate.public_id}/retry/"' in page
    assert ">Try again</button>" in page
    assert "disk full" not in page
    assert "hx-trigger" not in box


# --- Download -----------------------------------------------------------------------------------


def test_download_gives_the_sealed_pdf_to_its_owner(
    me, owner, institution, student_user, client_for, documents, django_capture_on_commit_callbacks
):
    certificate = rendered(me, institution, django_capture_on_commit_callbacks)
    url = page_url(certificate, "document.pdf")

    response = owner.get(url)
    data = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="transcript-of-records-{certificate.display_code}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == certificate.sha256
    assert _call(client_for(student_user), "get", url).status_code == 404


def test_download_of_a_certificate_not_ready_is_not_found(me, owner, institution):
    certificate = queued(me, institution)
    assert owner.get(page_url(certificate, "document.pdf")).status_code == 404


# --- Retry (S-CERT-4) ---------------------------------------------------------------------------


def test_retry_queues_the_same_certificate_and_a_second_click_changes_nothing(
    me, owner, institution
):
    certificate = queued(me, institution)
    pipeline.fail(certificate.pk, "boom")

    first = owner.post(page_url(certificate, "retry/"))
    after_first = Certificate.objects.get()
    second = owner.post(page_url(certificate, "retry/"))
    after_second = Certificate.objects.get()

    assert first.url == second.url == page_url(certificate)
    assert after_first.pk == after_second.pk == certificate.pk
    assert after_first.check_code == certificate.check_code
    assert (after_first.state, after_first.failure) == (CertificateState.QUEUED, "")
    assert after_second.state_changed_at == after_first.state_changed_at
    assert "We are trying again" in owner.get(first.url).text


def test_retry_with_htmx_renders_the_same_row_and_returns_the_polling_box(
    me, owner, institution, documents, django_capture_on_commit_callbacks
):
    certificate = queued(me, institution)
    pipeline.fail(certificate.pk, "boom")

    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(page_url(certificate, "retry/"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.strip().startswith('<section id="certificate-state"')
    assert 'hx-trigger="every 2s"' in response.text
    done = Certificate.objects.get()
    assert (done.pk, done.state) == (certificate.pk, CertificateState.READY)


def test_retry_is_post_only(me, owner, institution):
    certificate = queued(me, institution)
    assert owner.get(page_url(certificate, "retry/")).status_code == 405


# --- The certificate page (S-CERT-2, S-CERT-3, B-5) ---------------------------------------------


def test_page_shows_check_code_verify_address_and_validity(me, owner, institution, settings):
    certificate = queued(me, institution)

    page = owner.get(page_url(certificate)).text

    code = certificate.display_code
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", code)
    assert f'<dd class="certificate-code">{code}</dd>' in page
    verify = settings.SITE_URL.rstrip("/") + f"/verify/{code}/"
    assert f'<a href="{verify}">{verify}</a>' in page
    assert f"<dd>{certificate.valid_until.isoformat()}</dd>" in page


def test_verification_log_lists_each_check_newest_first(me, owner, institution):
    certificate = queued(me, institution)
    unchecked = owner.get(page_url(certificate)).text
    checked(certificate, 2)

    page = owner.get(page_url(certificate)).text

    assert "Not checked yet." in unchecked
    lines = re.findall(
        r"Your document was checked on (\d{4}-\d\d-\d\d) at (\d\d:\d\d): ([^<]+)\.", page
    )
    today = clock.today().isoformat()
    assert [(day, method) for day, _time, method in lines] == [
        (today, "Link or QR code followed"),
        (today, "Check code entered"),
    ]
    assert "Not checked yet." not in page


def test_certificate_created_by_staff_says_so(me, owner, institution):
    admin = StaffRoleFactory(institution=institution, role="study_admin").user

    certificate = create_certificate(admin, me.person, institution)

    page = owner.get(page_url(certificate)).text

    assert "by the study administration on your behalf" in page


def test_frozen_content_keeps_a_later_result_out_until_a_new_certificate(me, owner, institution):
    """S-CERT-3: opening a certificate again shows what was true when it was created."""
    before = queued(me, institution)
    today = clock.today()
    instance = CourseInstanceFactory(
        course__institution=institution,
        course__code="LATE01",
        start_date=today - datetime.timedelta(days=60),
        end_date=today - datetime.timedelta(days=1),
    )
    register(me.person, instance)
    module = ModuleFactory(course=instance.course, code="L1", credits=7.5)
    certified(me.person, module, instance, examination_date=instance.end_date)

    old_page = owner.get(page_url(before)).text
    created = owner.post(
        "/certificates/",
        {
            "kind": "transcript",
            "language": "en",
            "include_modules": "on",
            "request_key": "8d3f0a4e-2b1c-4e5f-9a6b-7c8d9e0f1a2b",
        },
    )
    after = Certificate.objects.get(request_key="8d3f0a4e-2b1c-4e5f-9a6b-7c8d9e0f1a2b")
    new_page = owner.get(created.url).text

    assert created.url == page_url(after)
    assert "LATE01" not in old_page
    assert "<td>LATE01</td>" in new_page


def test_doctoral_options_are_offered_only_to_doctoral_students(me, owner, institution):
    plain = owner.get("/certificates/").text
    ProgrammeParticipationFactory(
        person=me.person,
        state=ParticipationState.REGISTERED,
        programme_instance__programme__institution=institution,
        programme_instance__programme__kind=ProgrammeKind.DOCTORAL_SUBJECT,
    )

    doctoral = owner.get("/certificates/").text

    legend = "Options for the registration certificate: doctoral studies"
    assert legend not in plain
    assert 'name="supervisors"' not in plain
    assert legend in doctoral
    assert 'name="supervisors"' in doctoral
    assert 'name="study_activity"' in doctoral
