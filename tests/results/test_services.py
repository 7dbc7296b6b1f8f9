"""The result services end to end on the domain: report, mark ready, certify, remove (T-REP-1,
T-REP-3, T-REP-4, T-CERT-1, T-CERT-2, T-REM-1, B-2)."""

import datetime

import pytest

from ladokportal import clock
from registration.models import ParticipationState
from results.errors import InvalidEntries, NotAllowed, ResultError, StaleResult
from results.models import Result, ResultAction, ResultEvent, ResultState
from results.services import certifying, removal, reporting
from results.validation import Entry
from tests.factories import PersonFactory
from tests.factories.results import grade, reporting_world

pytestmark = pytest.mark.django_db

TODAY = clock.today


def _entries(world, code="G", days_ago=2):
    return [
        Entry(person=s, grade=grade(code), examination_date=TODAY() - datetime.timedelta(days_ago))
        for s in world.students
    ]


def _report(world, module=None, code="G"):
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=module or world.module,
        entries=_entries(world, code),
    )
    return list(
        Result.objects.filter(
            course_instance=world.instance, module=module or world.module, state=ResultState.DRAFT
        )
    )


def _certified(world, module=None, code="G"):
    drafts = _report(world, module, code)
    ready = reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )
    return certifying.certify(world.examiner, results=ready)


def test_save_creates_drafts_with_events(institution):
    world = reporting_world(institution)
    counts = reporting.save_drafts(
        world.reporter, course_instance=world.instance, module=world.module, entries=_entries(world)
    )
    assert counts == {"created": 3, "changed": 0, "unchanged": 0}
    results = Result.objects.filter(course_instance=world.instance)
    assert {r.state for r in results} == {ResultState.DRAFT}
    assert ResultEvent.objects.filter(action=ResultAction.REPORTED).count() == 3


def test_saving_the_same_again_changes_nothing(institution):
    world = reporting_world(institution)
    drafts = _report(world)
    entries = [
        Entry(
            person=r.person,
            grade=r.grade,
            examination_date=r.examination_date,
            result=r,
            version=r.version,
        )
        for r in drafts
    ]
    counts = reporting.save_drafts(
        world.reporter, course_instance=world.instance, module=world.module, entries=entries
    )
    assert counts["unchanged"] == 3
    assert ResultEvent.objects.count() == 3


def test_stale_save_is_refused_and_nothing_changes(institution):
    world = reporting_world(institution)
    draft = _report(world)[0]
    seen_version = draft.version
    reporting.correct(
        world.examiner,
        result=draft,
        entry=Entry(
            person=draft.person,
            grade=grade("U"),
            examination_date=draft.examination_date,
            version=seen_version,
        ),
    )
    with pytest.raises(StaleResult):
        reporting.save_drafts(
            world.reporter,
            course_instance=world.instance,
            module=world.module,
            entries=[
                Entry(
                    person=draft.person,
                    grade=grade("G"),
                    examination_date=draft.examination_date,
                    result=draft,
                    version=seen_version,
                )
            ],
        )
    draft.refresh_from_db()
    assert draft.grade.code == "U"


def test_invalid_rows_save_nothing(institution):
    world = reporting_world(institution)
    stranger = PersonFactory()
    entries = [*_entries(world), Entry(person=stranger, grade=grade("G"), examination_date=TODAY())]
    entries[0].examination_date = TODAY() + datetime.timedelta(days=1)
    entries[1].grade = grade("5", "U345")
    with pytest.raises(InvalidEntries) as caught:
        reporting.save_drafts(
            world.reporter, course_instance=world.instance, module=world.module, entries=entries
        )
    assert set(caught.value.errors) == {0, 1, 3}
    assert "future" in caught.value.errors[0][0]
    assert "registered" in caught.value.errors[3][0]
    assert not Result.objects.exists()


def test_date_before_instance_start_refused(institution):
    world = reporting_world(institution)
    entries = _entries(world, days_ago=40)
    with pytest.raises(InvalidEntries):
        reporting.save_drafts(
            world.reporter, course_instance=world.instance, module=world.module, entries=entries
        )


def test_outsider_cannot_report_or_certify(institution):
    world = reporting_world(institution)
    with pytest.raises(NotAllowed):
        reporting.save_drafts(
            world.outsider,
            course_instance=world.instance,
            module=world.module,
            entries=_entries(world),
        )
    drafts = _report(world)
    ready = reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )
    with pytest.raises(NotAllowed):
        certifying.certify(world.outsider, results=ready)
    with pytest.raises(NotAllowed):
        certifying.certify(world.reporter, results=ready)
    assert not Result.objects.filter(state=ResultState.CERTIFIED).exists()


def test_mark_ready_tells_the_examiner(institution, mailoutbox, django_capture_on_commit_callbacks):
    world = reporting_world(institution)
    drafts = _report(world)
    with pytest.raises(ResultError):
        reporting.mark_ready(
            world.reporter, results=drafts, graded_by=world.reporter, notify=world.outsider
        )
    with django_capture_on_commit_callbacks(execute=True):
        reporting.mark_ready(
            world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
        )
    assert [m.to for m in mailoutbox] == [[world.examiner.email]]
    assert world.instance.course.code in mailoutbox[0].subject


def test_certify_makes_results_visible_and_mails_students(
    institution, mailoutbox, django_capture_on_commit_callbacks
):
    world = reporting_world(institution)
    for s in world.students:
        s.email = f"{s.pk}@student.example"
        s.language = "en"
        s.save()
    drafts = _report(world)
    ready = reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        certifying.certify(world.examiner, results=ready)
    assert set(Result.objects.values_list("state", flat=True)) == {ResultState.CERTIFIED}
    assert len(mailoutbox) == 3
    assert "certified" in mailoutbox[0].body


def test_certify_refuses_a_result_changed_after_the_preview(institution):
    world = reporting_world(institution)
    ready = reporting.mark_ready(
        world.reporter, results=_report(world), graded_by=world.reporter, notify=None
    )
    first = ready[0]
    reporting.correct(
        world.reporter,
        result=first,
        entry=Entry(
            person=first.person,
            grade=grade("U"),
            examination_date=first.examination_date,
            version=first.version,
        ),
    )
    with pytest.raises(StaleResult):
        certifying.certify(world.examiner, results=ready)
    assert not Result.objects.filter(state=ResultState.CERTIFIED).exists()


def test_course_grade_needs_every_module_passed(institution):
    world = reporting_world(institution, students=1, modules=2)
    student = world.students[0]
    course_entry = [
        Entry(person=student, grade=grade("G"), examination_date=TODAY() - datetime.timedelta(2))
    ]
    with pytest.raises(InvalidEntries):
        reporting.save_drafts(
            world.reporter, course_instance=world.instance, module=None, entries=course_entry
        )
    _certified(world, world.modules[0])
    _certified(world, world.modules[1])
    with pytest.raises(InvalidEntries):  # a failing course grade
        reporting.save_drafts(
            world.reporter,
            course_instance=world.instance,
            module=None,
            entries=[
                Entry(
                    person=student,
                    grade=grade("U"),
                    examination_date=TODAY() - datetime.timedelta(2),
                )
            ],
        )
    reporting.save_drafts(
        world.reporter, course_instance=world.instance, module=None, entries=course_entry
    )
    course_grade = Result.objects.get(module=None)
    reporting.mark_ready(
        world.reporter, results=[course_grade], graded_by=world.reporter, notify=None
    )
    course_grade.refresh_from_db()
    certifying.certify(world.examiner, results=[course_grade])
    participation = student.course_participations.get()
    assert participation.state == ParticipationState.COMPLETED

    module_result = Result.objects.filter(module=world.modules[0]).get()
    with pytest.raises(ResultError, match="course grade"):
        removal.remove(world.examiner, result=module_result, reason="Fel student")
    course_grade.refresh_from_db()
    removal.remove(world.examiner, result=course_grade, reason="Beslut 2026-123")
    participation.refresh_from_db()
    assert participation.state == ParticipationState.REGISTERED  # no longer completed
    assert list(participation.events.values_list("from_state", "to_state"))[-1] == (
        ParticipationState.COMPLETED,
        ParticipationState.REGISTERED,
    )
    module_result.refresh_from_db()
    removal.remove(world.examiner, result=module_result, reason="Beslut 2026-124")
    module_result.refresh_from_db()
    assert module_result.state == ResultState.REMOVED


def test_removal_prepared_then_certified(institution):
    world = reporting_world(institution, students=1)
    result = _certified(world)[0]
    with pytest.raises(ResultError):
        removal.prepare_removal(world.reporter, result=result, reason=" ")
    prepared = removal.prepare_removal(world.reporter, result=result, reason="Dnr 2026/55")
    assert prepared.state == ResultState.REMOVAL_PREPARED
    with pytest.raises(NotAllowed):
        removal.remove(world.reporter, result=prepared)
    removed = removal.remove(world.examiner, result=prepared)
    assert removed.state == ResultState.REMOVED
    assert removed.removal_reason == "Dnr 2026/55"
    actions = list(ResultEvent.objects.filter(result=result).values_list("action", flat=True))
    assert actions == ["reported", "marked_ready", "certified", "removal_prepared", "removed"]
    # A new result can be reported after the removal.
    _report(world)
    assert Result.objects.filter(state=ResultState.DRAFT).count() == 1


def test_certified_result_never_changes_in_place(institution):
    world = reporting_world(institution, students=1)
    result = _certified(world)[0]
    with pytest.raises(StaleResult):
        reporting.save_drafts(
            world.reporter,
            course_instance=world.instance,
            module=world.module,
            entries=[
                Entry(
                    person=result.person,
                    grade=grade("U"),
                    examination_date=result.examination_date,
                    result=result,
                    version=result.version,
                )
            ],
        )
    result.refresh_from_db()
    assert result.grade.code == "G"


def test_fail_then_pass_keeps_both(institution):
    world = reporting_world(institution, students=1)
    _certified(world, code="U")
    _certified(world, code="G")
    assert list(Result.objects.order_by("id").values_list("grade__code", "state")) == [
        ("U", ResultState.CERTIFIED),
        ("G", ResultState.CERTIFIED),
    ]


def test_certify_500_has_fixed_queries(institution, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 40):
        world = reporting_world(institution, students=size, modules=1)
        ready = reporting.mark_ready(
            world.reporter, results=_report(world), graded_by=world.reporter, notify=None
        )
        with CaptureQueriesContext(connection) as ctx:
            certifying.certify(world.examiner, results=ready)
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_nothing_new_is_reported_under_a_certified_course_grade(institution):
    """T-REM-1: a certified course grade rests on the module results. A second course grade or a
    new module result (which would change what counts) waits until the course grade is removed."""
    world = reporting_world(institution, students=1, modules=1)
    student = world.students[0]
    _certified(world, world.modules[0])
    day = Result.objects.get().examination_date
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=None,
        entries=[Entry(person=student, grade=grade("G"), examination_date=day)],
    )
    course_grade = Result.objects.get(module=None)
    ready = reporting.mark_ready(
        world.reporter, results=[course_grade], graded_by=world.reporter, notify=None
    )
    certifying.certify(world.examiner, results=ready)
    for module in (None, world.modules[0]):
        with pytest.raises(InvalidEntries) as caught:
            reporting.save_drafts(
                world.reporter,
                course_instance=world.instance,
                module=module,
                entries=[Entry(person=student, grade=grade("U"), examination_date=day)],
            )
        assert any("must be removed first" in m for m in caught.value.errors[0])
    assert Result.objects.count() == 2
    course_grade.refresh_from_db()
    removal.remove(world.examiner, result=course_grade, reason="Dnr 2026/77")
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.modules[0],
        entries=[Entry(person=student, grade=grade("U"), examination_date=day)],
    )
    assert Result.objects.filter(state=ResultState.DRAFT).count() == 1
