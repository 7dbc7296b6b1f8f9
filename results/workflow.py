"""The result state machine (DESIGN.md § Workflows as explicit state machines; T-CERT-2, T-REM-1).

One table of allowed moves. `move` is the only code that changes a result's state, grade or date,
and it writes the ResultEvent in the caller's transaction. Services decide who may move what
(results.rules); this module only decides which moves exist.
"""

from django.utils import timezone

from results.models import Result, ResultAction, ResultEvent, ResultState

S = ResultState
A = ResultAction

# (from state, action) → to state. An action not listed for a state does not exist for it.
ALLOWED: dict[tuple[str, str], str] = {
    ("", A.REPORTED): S.DRAFT,
    (S.DRAFT, A.EDITED): S.DRAFT,
    (S.DRAFT, A.MARKED_READY): S.READY,
    (S.DRAFT, A.DISCARDED): S.REMOVED,
    (S.READY, A.EDITED): S.READY,
    (S.READY, A.UNMARKED): S.DRAFT,
    (S.READY, A.CERTIFIED): S.CERTIFIED,
    (S.READY, A.REMOVED): S.REMOVED,
    (S.CERTIFIED, A.REMOVAL_PREPARED): S.REMOVAL_PREPARED,
    (S.CERTIFIED, A.REMOVED): S.REMOVED,
    (S.REMOVAL_PREPARED, A.REMOVAL_WITHDRAWN): S.CERTIFIED,
    (S.REMOVAL_PREPARED, A.REMOVED): S.REMOVED,
}

# Grade and date change only in these states; a certified result never changes in place.
EDITABLE = frozenset({S.DRAFT, S.READY})


class TransitionError(Exception):
    """A move the table does not allow: a bug in the caller, not a person's error."""


def target(state: str, action: str) -> str:
    try:
        return ALLOWED[(state, action)]
    except KeyError:
        raise TransitionError(f"{action} is not allowed from {state or 'nothing'}") from None


def allows(state: str, action: str) -> bool:
    return (state, action) in ALLOWED


def event(result: Result, action: str, *, actor, source: str, before: dict, note: str = ""):
    """The unsaved history row for a move already applied to `result` (for bulk_create).
    `before` holds state, grade_id and examination_date as they were."""
    return ResultEvent(
        institution_id=result.institution_id,
        result=result,
        action=action,
        actor=actor,
        at=timezone.now(),
        source=source,
        from_state=before["state"],
        to_state=result.state,
        grade_before_id=before["grade_id"],
        grade_after_id=result.grade_id,
        date_before=before["examination_date"],
        date_after=result.examination_date,
        note=note[:500],
    )


def snapshot(result: Result | None) -> dict:
    if result is None:
        return {"state": "", "grade_id": None, "examination_date": None}
    return {
        "state": result.state,
        "grade_id": result.grade_id,
        "examination_date": result.examination_date,
    }


def advance(result: Result, action: str, before: dict) -> None:
    """Move `result` (in memory) by `action` from the state in `before` (taken with `snapshot`
    before any field changed) and count the version up. The caller saves the result and the
    event from `event` (one by one or in bulk)."""
    result.state = target(before["state"], action)
    result.version = result.version + 1 if before["state"] else 1
