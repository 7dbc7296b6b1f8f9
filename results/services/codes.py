"""Reporting by anonymisation code (T-ANON-1, B-6): the acts of the report-by-code page, where
one activity session's codes can belong to students of several course instances.

Each act is the reporting act (results.services.reporting) done once per course instance, all
in one transaction: every instance's rights are checked by that act, and either every instance's
results change or none do. The acts speak without names (B-6): a refusal whose message would
name a student is raised again with one that does not. A missing right (NotAllowed) passes
through unchanged.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import CourseInstance, Module
from exams.models import ActivitySession
from people.models import User
from results.errors import InvalidEntries, ResultError, StaleResult
from results.models import Result
from results.services import reporting
from results.validation import Entry


def save_code_sheet(
    actor: User,
    *,
    activity_session: ActivitySession,
    module: Module,
    groups: list[tuple[CourseInstance, list[Entry]]],
) -> dict[str, int]:
    """Save the sheet's rows as drafts linked to the session (T-ANON-1 "Save"): `groups` holds
    the entries per course instance the codes' students take the course on. All or nothing."""
    totals: Counter = Counter()
    try:
        with transaction.atomic():
            for instance, entries in groups:
                totals.update(
                    reporting.save_drafts(
                        actor,
                        course_instance=instance,
                        module=module,
                        entries=entries,
                        activity_session=activity_session,
                    )
                )
    except (StaleResult, InvalidEntries) as error:
        raise ResultError(
            _(
                "Someone else reported or changed some of these results at the same time. "
                "Nothing was saved; reload the page to see their change."
            )
        ) from error
    except ResultError as error:
        raise ResultError(_("Nothing was saved.")) from error
    return {"created": totals["created"], "changed": totals["changed"]}


def mark_ready_by_code(
    actor: User, *, results: list[Result], graded_by: User, notify: User | None
) -> list[Result]:
    """Klarmarkera by code (T-REP-3): the chosen drafts, of any of the session's course
    instances, go for certification; see reporting.mark_ready."""
    with _nameless(results), transaction.atomic():
        return [
            moved
            for group in _by_instance(results)
            for moved in reporting.mark_ready(
                actor, results=group, graded_by=graded_by, notify=notify
            )
        ]


def unmark_by_code(actor: User, *, results: list[Result]) -> list[Result]:
    """Back to draft by code (T-REP-3): see reporting.unmark."""
    with _nameless(results), transaction.atomic():
        return [
            moved
            for group in _by_instance(results)
            for moved in reporting.unmark(actor, results=group)
        ]


def _by_instance(results: list[Result]) -> list[list[Result]]:
    groups: dict[int, list[Result]] = {}
    for result in results:
        groups.setdefault(result.course_instance_id, []).append(result)
    return list(groups.values())


@contextmanager
def _nameless(results: list[Result]) -> Iterator[None]:
    """Raise a ResultError again without the student's name when its message names one (B-6)."""
    try:
        yield
    except ResultError as error:
        text = str(error)
        if isinstance(error, StaleResult) or any(r.person.full_name in text for r in results):
            raise ResultError(
                _(
                    "Some of the chosen results cannot be changed now: someone else changed "
                    "them. Reload the page to see their state."
                )
            ) from error
        raise
