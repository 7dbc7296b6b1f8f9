"""Removing a result (T-REM-1): a reporter prepares the removal of a certified result (or
withdraws the preparation), the examiner removes it. A removed result leaves every student view
and stays in the history. See results.services for what every act does."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import User
from results.errors import ResultError
from results.models import VISIBLE_TO_STUDENT, Result, ResultAction, ResultState
from results.services.common import (
    lock_versions,
    move_all,
    move_participations,
    one_instance,
    require_certifying,
    require_reporting,
)

A = ResultAction
S = ResultState


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ResultError(_("Give the reason or case number for the removal."))
    return reason[:500]


def prepare_removal(actor: User, *, result: Result, reason: str) -> Result:
    """A reporter or administrator prepares the removal of a certified result; it stays valid
    until the examiner certifies the removal."""
    reason = _require_reason(reason)
    with transaction.atomic():
        found = lock_versions([result])
        require_reporting(actor, one_instance(found))
        _refuse_if_course_grade_rests_on(found)

        def prepare(r: Result) -> None:
            r.removal_reason = reason
            r.removal_prepared_by = actor

        return move_all(
            actor,
            found,
            A.REMOVAL_PREPARED,
            note=reason,
            fields=("removal_reason", "removal_prepared_by"),
            change=prepare,
        )[0]


def withdraw_removal(actor: User, *, result: Result) -> Result:
    with transaction.atomic():
        found = lock_versions([result])
        require_reporting(actor, one_instance(found))

        def clear(r: Result) -> None:
            r.removal_reason = ""
            r.removal_prepared_by = None

        return move_all(
            actor,
            found,
            A.REMOVAL_WITHDRAWN,
            fields=("removal_reason", "removal_prepared_by"),
            change=clear,
        )[0]


def remove(actor: User, *, result: Result, reason: str = "") -> Result:
    """The examiner removes a ready or certified result, or certifies a prepared removal. The
    result leaves every student view and stays in the history; a new one can then be reported."""
    with transaction.atomic():
        found = lock_versions([result])
        locked = found[result.pk]
        require_certifying(actor, found)
        if locked.state == S.REMOVAL_PREPARED and not reason:
            reason = locked.removal_reason
        reason = _require_reason(reason)
        _refuse_if_course_grade_rests_on(found)
        was_decided = locked.state in VISIBLE_TO_STUDENT
        now = timezone.now()

        def stamp(r: Result) -> None:
            r.removed_by = actor
            r.removed_at = now
            r.removal_reason = reason

        removed = move_all(
            actor,
            found,
            A.REMOVED,
            note=reason,
            fields=("removed_by", "removed_at", "removal_reason"),
            change=stamp,
        )[0]
        if removed.module_id is None and was_decided:
            # The course is no longer completed by a grade: back to registered (S-EDU-1).
            from registration.models import ParticipationState as P

            move_participations([removed], actor, P.COMPLETED, P.REGISTERED, "course grade removed")
        return removed


def _refuse_if_course_grade_rests_on(found: dict[int, Result]) -> None:
    """A certified module result cannot go while a certified course grade rests on it."""
    for result in found.values():
        if result.module_id is None or result.state not in VISIBLE_TO_STUDENT:
            continue
        resting = Result.objects.filter(
            person_id=result.person_id,
            course_instance__course_id=result.course_instance.course_id,
            module__isnull=True,
            state__in=VISIBLE_TO_STUDENT,
        ).exists()
        if resting:
            raise ResultError(
                _(
                    "A certified course grade rests on this module result. The course grade "
                    "must be removed first."
                )
            )
