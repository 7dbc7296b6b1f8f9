"""Two members of staff acting on the same results at the same moment (DESIGN.md § Workflows:
optimistic locking, never a silent overwrite; T-REP-1, T-REP-3, T-CERT-1, T-CERT-2, T-REM-1).

Each act runs in its own thread and database connection, released together by a barrier, on
PostgreSQL where row locks are real; head starts in turn let each order happen besides the true
race. Whatever the interleaving, the end is one that the two acts one after the other could have
made, and every change has its event.
"""

import pytest
from django.db import connection

from results.errors import ResultError, StaleResult
from results.models import Result, ResultAction, ResultEvent, ResultState
from results.services import certifying, removal, reporting
from results.validation import Entry
from tests.concurrency import REPETITIONS, head_start, run_together
from tests.factories.results import grade, reporting_world
from tests.results.deep_helpers import days_ago, fresh, report, timeline

pytestmark = [
    pytest.mark.postgres,
    # The flush after each test empties the grading scales; the factories put them back.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are exercised on PostgreSQL"
    ),
]

S = ResultState
A = ResultAction


def refused(outcome: object) -> bool:
    """Whether the act was refused: a StaleResult (anything else unexpected fails the test)."""
    if isinstance(outcome, Exception):
        assert isinstance(outcome, StaleResult), repr(outcome)
        return True
    return False


def versions_match_history(*results: Result) -> None:
    for result in results:
        current = fresh(result)
        assert current.version == len(timeline(result)), timeline(result)
        assert timeline(result)[-1][2] == current.state


def ready_batch(world) -> list[Result]:
    """Every student's result on the first module, marked ready, as the certify preview loads
    them."""
    drafts = [report(world, person) for person in world.students]
    reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )
    return [fresh(r) for r in drafts]


def test_two_teachers_saving_the_same_draft_one_wins(institution):
    """Both pages showed version N; whichever saves first wins, the other is told and nothing
    of theirs is written over it."""
    for repetition in range(REPETITIONS):
        world = reporting_world(institution, students=1, modules=1)
        draft = report(world, world.students[0])
        seen = draft.version

        def save(actor, code, on, draft=draft, world=world, seen=seen):
            return reporting.save_drafts(
                actor,
                course_instance=world.instance,
                module=world.module,
                entries=[
                    Entry(
                        person=draft.person,
                        grade=grade(code),
                        examination_date=days_ago(on),
                        result=draft,
                        version=seen,
                    )
                ],
            )

        outcomes = run_together(
            lambda s=save, w=world: s(w.reporter, "U", 3),
            lambda s=save, w=world: s(w.examiner, "G", 4),
            delays=head_start(repetition),
        )

        assert sorted(refused(o) for o in outcomes) == [False, True]
        winner = 0 if not refused(outcomes[0]) else 1
        result = fresh(draft)
        assert (result.grade.code, result.examination_date) == [
            ("U", days_ago(3)),
            ("G", days_ago(4)),
        ][winner]
        assert result.version == seen + 1
        assert timeline(draft) == [
            (A.REPORTED, "", S.DRAFT),
            (A.EDITED, S.DRAFT, S.DRAFT),
        ]
        last = ResultEvent.objects.filter(result=draft).latest("pk")
        assert last.actor == [world.reporter, world.examiner][winner]


def test_two_teachers_reporting_the_same_new_result_make_one_draft(institution):
    for repetition in range(REPETITIONS):
        world = reporting_world(institution, students=1, modules=1)
        student = world.students[0]

        def new(actor, code, world=world, student=student):
            return reporting.save_drafts(
                actor,
                course_instance=world.instance,
                module=world.module,
                entries=[Entry(person=student, grade=grade(code), examination_date=days_ago(2))],
            )

        outcomes = run_together(
            lambda n=new, w=world: n(w.reporter, "G"),
            lambda n=new, w=world: n(w.study_admin, "U"),
            delays=head_start(repetition),
        )

        assert sorted(refused(o) for o in outcomes) == [False, True]
        [made] = Result.objects.filter(course_instance=world.instance)
        assert made.state == S.DRAFT
        assert made.grade.code == ("G" if not refused(outcomes[0]) else "U")
        assert timeline(made) == [(A.REPORTED, "", S.DRAFT)]


@pytest.mark.parametrize("rival", ["remove", "unmark"])
def test_certifying_a_batch_while_one_of_it_is_removed_or_sent_back(institution, rival):
    """The examiner certifies the batch the preview showed while one of its results (ready) is
    removed or sent back to draft. Either that came first and the whole batch is refused as
    stale, or the certification came first and the other act, made from the page as it was, is
    refused; removing the now certified result afterwards is a decision of its own (T-REM-1).
    Never some certified and one removed or draft without the events to say so."""
    for repetition in range(REPETITIONS):
        world = reporting_world(institution, students=3, modules=1)
        batch = ready_batch(world)
        target = batch[1]

        def other(target=target, world=world):
            if rival == "remove":
                return removal.remove(world.examiner, result=target, reason="Wrong student")
            return reporting.unmark(world.reporter, results=[target])

        certified, moved = run_together(
            lambda b=batch, w=world: certifying.certify(w.examiner, results=b),
            other,
            delays=head_start(repetition),
        )

        states = [fresh(r).state for r in batch]
        gone = S.REMOVED if rival == "remove" else S.DRAFT
        assert refused(certified) != refused(moved)
        if refused(certified):
            assert states == [S.READY, gone, S.READY]
            assert timeline(target)[-1] == (
                A.REMOVED if rival == "remove" else A.UNMARKED,
                S.READY,
                gone,
            )
            assert not ResultEvent.objects.filter(result__in=batch, action=A.CERTIFIED).exists()
        else:
            assert states == [S.CERTIFIED] * 3
            assert ResultEvent.objects.filter(result__in=batch, action=A.CERTIFIED).count() == 3
            if rival == "remove":
                removal.remove(world.examiner, result=fresh(target), reason="Wrong student")
                assert [a for a, _f, _t in timeline(target)] == [
                    A.REPORTED,
                    A.MARKED_READY,
                    A.CERTIFIED,
                    A.REMOVED,
                ]
            else:
                with pytest.raises(ResultError):  # certified: no way back to draft
                    reporting.unmark(world.reporter, results=[fresh(target)])
        versions_match_history(*batch)


def test_certify_clicked_twice_certifies_once_and_mails_once(institution, mailoutbox):
    """A double click sends the same batch twice at once: one certifies, the other is refused as
    stale; one CERTIFIED event and one e-mail per student (B-2)."""
    for repetition in range(REPETITIONS):
        world = reporting_world(institution, students=3, modules=1)
        for n, student in enumerate(world.students):
            student.email = f"s{repetition}-{n}@student.example"
            student.save(update_fields=["email"])
        batch = ready_batch(world)
        mailoutbox.clear()  # the examiner's "results are ready" message

        outcomes = run_together(
            lambda b=batch, w=world: certifying.certify(w.examiner, results=b),
            lambda b=batch, w=world: certifying.certify(w.examiner, results=b),
            delays=head_start(repetition),
        )

        assert sorted(refused(o) for o in outcomes) == [False, True]
        assert {fresh(r).state for r in batch} == {S.CERTIFIED}
        for result in batch:
            assert [a for a, _f, _t in timeline(result)].count(A.CERTIFIED) == 1
        versions_match_history(*batch)
        assert sorted(m.to[0] for m in mailoutbox) == sorted(s.email for s in world.students)


def course_grade_ready(world) -> tuple[list[Result], Result]:
    """The first student's modules certified as passed and their course grade marked ready."""
    student = world.students[0]
    modules = []
    for module in world.modules:
        draft = report(world, student, module=module)
        reporting.mark_ready(world.reporter, results=[draft], graded_by=world.reporter, notify=None)
        [certified] = certifying.certify(world.examiner, results=[fresh(draft)])
        modules.append(fresh(certified))
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=None,
        entries=[Entry(person=student, grade=grade("G"), examination_date=days_ago(2))],
    )
    course_grade = Result.objects.get(person=student, module=None)
    reporting.mark_ready(
        world.reporter, results=[course_grade], graded_by=world.reporter, notify=None
    )
    return modules, fresh(course_grade)


@pytest.mark.parametrize("rival", ["remove", "prepare_removal"])
def test_a_course_grade_certified_while_its_module_result_is_removed(institution, rival):
    """T-REM-1: a certified module result cannot go while a certified course grade rests on it,
    and a course grade is certified only on passed, certified modules. Certifying the course
    grade and removing one of its module results at once must not both succeed: each act checks
    the other's row, so without a lock on what it rests on both checks pass (write skew) and a
    certified course grade is left resting on a removed result."""
    for repetition in range(REPETITIONS):
        world = reporting_world(institution, students=1, modules=2)
        modules, course_grade = course_grade_ready(world)
        module = modules[0]

        def away(module=module, world=world):
            if rival == "remove":
                return removal.remove(world.examiner, result=module, reason="Beslut 3")
            return removal.prepare_removal(world.reporter, result=module, reason="Dnr 3")

        certified, removed = run_together(
            lambda c=course_grade, w=world: certifying.certify(w.examiner, results=[c]),
            away,
            delays=head_start(repetition),
        )

        for outcome in (certified, removed):
            assert not isinstance(outcome, Exception) or isinstance(outcome, ResultError), outcome
        course_state, module_state = fresh(course_grade).state, fresh(module).state
        if rival == "remove":
            assert isinstance(certified, Exception) != isinstance(removed, Exception)
            assert (course_state, module_state) in (
                (S.CERTIFIED, S.CERTIFIED),
                (S.READY, S.REMOVED),
            )
        else:
            # A prepared removal leaves the module result valid; the course grade may rest on
            # it, and then the removal cannot be certified until the course grade goes.
            assert (course_state, module_state) in (
                (S.CERTIFIED, S.CERTIFIED),
                (S.CERTIFIED, S.REMOVAL_PREPARED),
                (S.READY, S.REMOVAL_PREPARED),
            )
            if course_state == S.CERTIFIED and module_state == S.REMOVAL_PREPARED:
                with pytest.raises(ResultError, match="course grade"):
                    removal.remove(world.examiner, result=fresh(module))
        versions_match_history(course_grade, module)
