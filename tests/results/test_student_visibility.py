"""Nothing uncertified is ever visible to a student, anywhere (B-6, S-EDU-3: "only certified
results are ever shown to students"; T-REP-3: "students see nothing yet"; T-REM-1: "removed
results leave every presentation to the student").

One student has a result in every state, each with its own grade and its own annotation in a
column shown to students, on an anonymous exam the student is signed up for. Every student page
is fetched (the start page first, while the results are still new) and must carry the
certified and prepared-for-removal results' marks at least once and never a draft's, a ready
result's or a removed one's.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from catalog.grading import SCALE_AF
from catalog.models import Module
from results.models import AnnotationColumn, AnnotationKind, ResultSource, ResultState
from results.services import removal
from tests.factories import ProgrammeParticipationFactory
from tests.factories.catalog import scale
from tests.factories.exams import ActivitySessionFactory, CalendarFeedFactory, SignupFactory
from tests.factories.results import reporting_world
from tests.studentweb.results_world import certify, login_for, ready, report

pytestmark = pytest.mark.django_db

# Grade names of the A–F scale (catalog/grading.py), one per state, and a mark per state.
SHOWN = {
    ResultState.CERTIFIED: ("E", "Sufficient", "MARK-CERTIFIED-E"),
    ResultState.REMOVAL_PREPARED: ("D", "Satisfactory", "MARK-PREPARED-D"),
}
HIDDEN = {
    ResultState.DRAFT: ("A", "Excellent", "MARK-DRAFT-A"),
    ResultState.READY: ("B", "Very good", "MARK-READY-B"),
    ResultState.REMOVED: ("C", "Good", "MARK-REMOVED-C"),
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def student(institution):
    """The student, her client, and the public ids her pages are reached by."""
    world = reporting_world(institution, students=1, modules=4)
    me = world.students[0]
    course = world.instance.course
    Module.objects.filter(course=course).update(grading_scale=scale(SCALE_AF))
    for module in world.modules:
        module.refresh_from_db()
        AnnotationColumn.objects.create(
            institution=institution, course=course, module=module, kind=AnnotationKind.TEXT
        )
    session = ActivitySessionFactory(
        institution=institution,
        anonymous=True,
        course_instances=[world.instance],
        starts_at=timezone.now() - datetime.timedelta(days=4),
        ends_at=timezone.now() - datetime.timedelta(days=4, hours=-4),
    )
    SignupFactory(session=session, person=me, anonymisation_code="TEN-4711")
    upcoming = ActivitySessionFactory(institution=institution, course_instances=[world.instance])
    SignupFactory(session=upcoming, person=me)
    m1, m2, m3, m4 = world.modules

    def make(state: str, module, **extra):
        code, _name, note = {**SHOWN, **HIDDEN}[state]
        options = {
            "module": module,
            "annotations": {"text": note},
            "source": ResultSource.API,
            "activity_session": session,
            **extra,
        }
        grades = {me: code}
        if state == ResultState.DRAFT:
            return report(world, grades, **options)[0]
        if state == ResultState.READY:
            return ready(world, grades, **options)[0]
        return certify(world, grades, **options)[0]

    make(ResultState.CERTIFIED, m1)
    prepared = make(ResultState.REMOVAL_PREPARED, m2)
    removal.prepare_removal(world.reporter, result=prepared, reason="Case 2026/12")
    removed = make(ResultState.REMOVED, m3, days_ago=3)
    removal.remove(world.examiner, result=removed, reason="Reported on the wrong student")
    make(ResultState.DRAFT, m3)
    make(ResultState.READY, m4)

    participation = me.course_participations.get(course_instance=world.instance)
    programme = ProgrammeParticipationFactory(
        person=me, state="registered", programme_instance__programme__institution=institution
    )
    participation.programme_participation = programme
    participation.save(update_fields=["programme_participation"])
    feed = CalendarFeedFactory(person=me)
    return {
        "client": login_for(me),
        "course": participation.public_id,
        "programme": programme.public_id,
        "session": session.public_id,
        "feed": feed.token,
    }


def student_pages(ids: dict) -> list[tuple[str, dict]]:
    """Every page a student reaches, the start page first (it shows new results once)."""
    course, programme, session = ids["course"], ids["programme"], ids["session"]
    return [
        (reverse("student_start"), {}),
        (reverse("my_education"), {}),
        *((reverse("my_education"), {"show": show}) for show in ("completed", "credited")),
        (reverse("my_education"), {"show": "not_completed"}),
        (reverse("course_page", args=[course]), {}),
        (reverse("course_drop_out", args=[course]), {}),
        (reverse("course_withdraw", args=[course]), {}),
        (reverse("course_change_instance", args=[course]), {}),
        (reverse("programme_page", args=[programme]), {}),
        (reverse("programme_drop_out", args=[programme]), {}),
        (reverse("exam_sessions"), {}),
        *((reverse("exam_sessions"), {"show": show}) for show in ("signed_up", "past")),
        (reverse("exam_session", args=[session]), {}),
        (reverse("exam_calendar_feed", args=[ids["feed"]]), {}),
        (reverse("my_details"), {}),
        (reverse("student_start"), {}),
    ]


def test_no_student_page_shows_a_draft_a_ready_or_a_removed_result(student, client_for):
    client = client_for(student["client"])
    seen = []

    for url, query in student_pages(student):
        response = client.get(url, query)
        assert response.status_code == 200, url
        text = response.content.decode()
        leaked = [
            f"{state}: {word}"
            for state, words in HIDDEN.items()
            for word in words[1:]
            if word in text
        ]
        assert leaked == [], url
        seen.append(text)

    everything = "\n".join(seen)
    for _code, name, note in SHOWN.values():
        assert name in everything
        assert note in everything


def test_the_partial_dialogs_for_htmx_show_nothing_uncertified_either(student, client_for):
    client = client_for(student["client"], HTTP_HX_REQUEST="true")

    texts = [
        client.get(reverse(name, args=[student["course"]])).content.decode()
        for name in ("course_drop_out", "course_withdraw", "course_change_instance")
    ]

    assert [w for t in texts for _s, (_c, *words) in HIDDEN.items() for w in words if w in t] == []


def test_the_course_page_shows_exactly_the_visible_grades(student, client_for):
    response = client_for(student["client"]).get(reverse("course_page", args=[student["course"]]))

    counting = [row.counting for row in response.context["results"].modules]
    shown = [c.result.grade.code if c else None for c in counting]
    assert shown == ["E", "D", None, None]
