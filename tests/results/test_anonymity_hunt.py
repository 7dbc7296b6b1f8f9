"""B-6, T-ANON-1 (#17 point 2): a hunt for the link between an anonymisation code and a person.

For an anonymous session in every state (signed up; drafts by code; certified, ready and draft
side by side) a reporter of the course and an examiner of another course fetch every staff page
and download the URL configuration has (found by walking it, so pages added later are hunted
too) with every id of the world filled in, and try the known ways in (a file keyed by identity
number, the report sheet by name). The hunt fails when any response carries both a code and a
name or identity number of the session's students, or the grade of a result that came by code,
not yet certified, next to the student's name.

The grades of the module's scale are made for the hunt (Qa7, Qb7, …): each student's draft has
its own, so finding one on a page by name is a leak. Grade pickers (select, datalist) list every
grade and are left out of the search; so is the uploader's own file echoed back (not on these
pages: the file's grade is Qd7, nobody's draft).
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import Grade, GradingScale
from ladokportal import clock
from people import identity
from results.models import Result
from results.services import certifying, reporting
from results.validation import Entry
from tests import urlwalk
from tests.factories.exams import ActivitySessionFactory, SignupFactory
from tests.factories.results import reporting_world

pytestmark = pytest.mark.django_db

CODES = ["TEN1-QQAAAA", "TEN1-QQBBBB", "TEN1-QQCCCC"]
DRAFT_GRADES = ["Qa7", "Qb7", "Qc7"]
FILE_GRADE = "Qd7"
STATES = ["signed_up", "drafts", "mixed"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _day(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


class Hunt:
    def __init__(self, institution):
        self.world = w = reporting_world(institution, students=3, modules=1)
        scale = GradingScale.objects.create(code="HUNT", name_sv="Jakt", name_en="Hunt")
        self.grades = {
            code: Grade.objects.create(
                scale=scale, code=code, passing=n > 0, rank=n + 1, name_sv=code, name_en=code
            )
            for n, code in enumerate([*DRAFT_GRADES, FILE_GRADE])
        }
        self.module = w.modules[0]
        self.module.grading_scale = scale
        self.module.save()
        for n, person in enumerate(w.students):
            person.first_name, person.last_name = f"Xavqa{n}", f"Quorrel{n}"
            person.save()
        start = timezone.make_aware(datetime.datetime.combine(_day(-3), datetime.time(8)))
        self.session = ActivitySessionFactory(
            institution=institution,
            label="TEN1",
            anonymous=True,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=5),
            course_instances=[w.instance],
        )
        self.session.modules.set([self.module])
        for person, code in zip(w.students, CODES, strict=True):
            SignupFactory(session=self.session, person=person, anonymisation_code=code)

    def report_by_code(self) -> list[Result]:
        reporting.save_drafts(
            self.world.reporter,
            course_instance=self.world.instance,
            module=self.module,
            entries=[
                Entry(person=p, grade=self.grades[g], examination_date=_day(-3))
                for p, g in zip(self.world.students, DRAFT_GRADES, strict=True)
            ],
            activity_session=self.session,
        )
        return list(Result.objects.order_by("person_id"))

    def mixed(self) -> None:
        drafts = {r.person_id: r for r in self.report_by_code()}
        first, second = (drafts[p.pk] for p in self.world.students[:2])
        ready = reporting.mark_ready(
            self.world.reporter,
            results=[first, second],
            graded_by=self.world.reporter,
            notify=self.world.examiner,
        )
        certifying.certify(self.world.examiner, results=[r for r in ready if r.pk == first.pk])

    # --- what counts as a leak

    def sealed_grades(self) -> dict[int, str]:
        """Each student's grade that came by code and is not yet certified."""
        return {
            r.person_id: r.grade.code
            for r in Result.objects.filter(
                certified_at__isnull=True, activity_session__anonymous=True
            ).select_related("grade")
        }

    def leaks(self, where: str, html: str) -> list[str]:
        found = []
        codes = [c for c in CODES if c in html]
        sealed = self.sealed_grades()
        text = re.sub(r"(?s)<(select|datalist)\b.*?</\1>", "", html)
        for person in self.world.students:
            marks = (
                person.first_name,
                person.last_name,
                person.identity_number,
                identity.display(person.identity_number),
            )
            named = [m for m in marks if m in html]
            if not named:
                continue
            if codes:
                found.append(f"{where}: code {codes} beside {named}")
            grade = sealed.get(person.pk)
            if grade and re.search(rf"(?<![\w-]){grade}(?![\w-])", text):
                found.append(f"{where}: draft grade {grade} beside {named}")
        return found


def _pages(hunt: Hunt) -> list[str]:
    w = hunt.world
    values = {
        "instance_id": [w.instance.public_id],
        "module": [hunt.module.code, "course"],
        "target": [hunt.module.code, "course"],
        "session_id": [hunt.session.public_id],
        "result_id": [r.public_id for r in Result.objects.all()],
        "person_id": [p.public_id for p in w.students],
    }
    pages = urlwalk.urls("staff/", values)
    file_template = reverse("staff_results_file_template", args=[w.instance.public_id, "M1"])
    session = reverse("staff_certify_session", args=[hunt.session.public_id])
    return [
        *pages,
        f"{session}?status=certified",
        f"{file_template}?format=csv",
        f"{file_template}?format=csv&session={hunt.session.public_id}",
        f"{reverse('staff_exam_export', args=[hunt.session.public_id])}?format=csv",
        f"{reverse('staff_students')}?q={w.students[0].identity_number}",
    ]


def _by_identity_file(hunt: Hunt) -> SimpleUploadedFile:
    rows = [["personnummer", "betyg", "examinationsdatum"]] + [
        [identity.display(p.identity_number), FILE_GRADE, _day(-1).isoformat()]
        for p in hunt.world.students
    ]
    text = "\r\n".join(";".join(row) for row in rows) + "\r\n"
    return SimpleUploadedFile("grades.csv", text.encode("utf-8-sig"), content_type="text/csv")


def _ways_in(hunt: Hunt, client) -> list[tuple[str, str]]:
    """The known attacks: a file keyed by identity number (with and without naming the
    session), then saving whatever its preview offered."""
    w = hunt.world
    page = reverse("staff_results_file", args=[w.instance.public_id, hunt.module.code])
    answers = []
    for session in ("", str(hunt.session.public_id)):
        response = client.post(page, {"file": _by_identity_file(hunt), "session": session})
        html = response.content.decode()
        answers.append((f"POST {page} session={session!r}", html))
        token = re.search(r'name="token" value="([^"]+)"', html)
        if token:
            saved = client.post(f"{page}save/", {"token": token.group(1)}, follow=True)
            answers.append((f"POST {page}save/", saved.content.decode()))
    return answers


@pytest.mark.parametrize("state", STATES)
def test_no_page_links_a_code_to_a_person(institution, client_for, state):
    hunt = Hunt(institution)
    if state == "drafts":
        hunt.report_by_code()
    elif state == "mixed":
        hunt.mixed()
    before = {r.pk: (r.grade_id, r.version) for r in Result.objects.all()}
    leaks: list[str] = []
    fetched = 0
    for who in ("reporter", "outsider"):
        client = client_for(getattr(hunt.world, who))
        for url in _pages(hunt):
            response = client.get(url)
            assert response.status_code < 500, url
            if response.status_code == 200 and not response.streaming:
                fetched += 1
                leaks += hunt.leaks(f"{who} GET {url}", response.content.decode(errors="replace"))
        for where, html in _ways_in(hunt, client):
            leaks += hunt.leaks(f"{who} {where}", html)
        # What the file attack left behind shows on the code sheet and the report sheet.
        for url in (
            reverse("staff_report_codes", args=[hunt.session.public_id]),
            reverse("staff_report_sheet", args=[hunt.world.instance.public_id, hunt.module.code]),
        ):
            leaks += hunt.leaks(f"{who} after GET {url}", client.get(url).content.decode())
    assert fetched > 10  # the walk found the staff pages
    assert not leaks, "\n".join(leaks)
    after = {r.pk: (r.grade_id, r.version) for r in Result.objects.filter(pk__in=before)}
    assert after == before, "a draft reported by code changed by name"
