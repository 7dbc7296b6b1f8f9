"""Shared steps of the deep result tests (test_workflow, test_rights, test_concurrency,
test_state_machine): bring a result to a state through the services only, so that its history is
the one production writes, and take a picture of every result row to prove a refusal changed
nothing (T-CERT-2, T-REM-1)."""

import datetime

from ladokportal import clock
from results.models import Result, ResultEvent, ResultState
from results.services import certifying, removal, reporting
from results.validation import Entry
from tests.factories.results import ReportingWorld, grade

S = ResultState


def days_ago(n: int) -> datetime.date:
    return clock.today() - datetime.timedelta(days=n)


def report(world: ReportingWorld, person, *, module=None, code="G", on=2) -> Result:
    """A new draft for `person` on `module` (default: the world's first module), by the
    world's reporter."""
    module = world.module if module is None else module
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=module,
        entries=[Entry(person=person, grade=grade(code), examination_date=days_ago(on))],
    )
    return Result.objects.get(
        person=person, course_instance=world.instance, module=module, state=S.DRAFT
    )


def result_in(world: ReportingWorld, state: str, person=None, *, module=None) -> Result:
    """A result in `state`, moved there by the services with the world's own staff: a draft is
    reported, marked ready by the reporter, certified by the examiner; a removal is prepared by
    the reporter; a removed result is a ready one the examiner removed."""
    person = person or world.students[0]
    result = report(world, person, module=module)
    if state == S.DRAFT:
        return result
    [result] = reporting.mark_ready(
        world.reporter, results=[result], graded_by=world.reporter, notify=world.examiner
    )
    if state == S.READY:
        return fresh(result)
    if state == S.REMOVED:
        removal.remove(world.examiner, result=result, reason="Reported on the wrong student")
        return fresh(result)
    [result] = certifying.certify(world.examiner, results=[result])
    if state == S.CERTIFIED:
        return fresh(result)
    assert state == S.REMOVAL_PREPARED, state
    removal.prepare_removal(world.reporter, result=result, reason="Dnr 2026/1")
    return fresh(result)


def fresh(result: Result) -> Result:
    """The result as a page would load it now (with its current version)."""
    return Result.objects.select_related("person", "course_instance__course", "module").get(
        pk=result.pk
    )


def picture() -> tuple[list[tuple], int]:
    """Every result row as it stands and the number of history rows: equal pictures before and
    after a refused act prove that it changed nothing."""
    rows = list(
        Result.objects.order_by("pk").values_list(
            "pk",
            "state",
            "version",
            "grade_id",
            "examination_date",
            "annotations",
            "graded_by_id",
            "notify_id",
            "certified_by_id",
            "certified_at",
            "removal_reason",
            "removal_prepared_by_id",
            "removed_by_id",
        )
    )
    return rows, ResultEvent.objects.count()


def timeline(result: Result) -> list[tuple[str, str, str]]:
    """(action, from, to) of a result's events, oldest first."""
    return list(
        ResultEvent.objects.filter(result=result)
        .order_by("pk")
        .values_list("action", "from_state", "to_state")
    )
