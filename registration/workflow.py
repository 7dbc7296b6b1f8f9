"""The participation state machine (DESIGN.md § Workflows as explicit state machines).

One table of allowed transitions; `transition` is the only code that changes a participation's
state, and it writes the ParticipationEvent in the caller's transaction.
"""

from django.utils import timezone

from people.models import User
from registration.models import (
    CourseParticipation,
    ParticipationEvent,
    ParticipationState,
    ProgrammeParticipation,
)

S = ParticipationState

ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        (S.ADMITTED, S.REGISTERED),
        (S.EXPECTED, S.REGISTERED),
        (S.REGISTERED, S.COMPLETED),
        # The certified course grade that completed the course was removed (T-REM-1).
        (S.COMPLETED, S.REGISTERED),
        (S.ADMITTED, S.WITHDRAWN),
        (S.EXPECTED, S.WITHDRAWN),
        (S.EXPECTED, S.CANCELLED),
        (S.REGISTERED, S.DROPPED),
        (S.ADMITTED, S.CHANGED_INSTANCE),
        (S.EXPECTED, S.CHANGED_INSTANCE),
        (S.REGISTERED, S.CHANGED_INSTANCE),
    }
)

# Where a participation can start.
INITIAL: frozenset[str] = frozenset({S.ADMITTED, S.EXPECTED})


class TransitionError(Exception):
    """A change of state the table does not allow: a bug in the caller, not a person's error."""


def transition(
    participation: CourseParticipation | ProgrammeParticipation,
    to_state: str,
    *,
    actor: User | None,
    note: str = "",
) -> None:
    """Move a locked participation to `to_state` and record it."""
    from_state = participation.state
    if (from_state, to_state) not in ALLOWED:
        raise TransitionError(f"{from_state} → {to_state} is not an allowed transition")
    participation.state = to_state
    participation.state_changed_at = timezone.now()
    participation.save(update_fields=["state", "state_changed_at"])
    record(participation, from_state=from_state, actor=actor, note=note)


def record(
    participation: CourseParticipation | ProgrammeParticipation,
    *,
    from_state: str,
    actor: User | None,
    note: str = "",
) -> ParticipationEvent:
    """The history row for a participation's current state (also for its creation, from "")."""
    is_course = isinstance(participation, CourseParticipation)
    return ParticipationEvent.objects.create(
        institution_id=participation.institution_id,
        course_participation=participation if is_course else None,
        programme_participation=None if is_course else participation,
        actor=actor,
        from_state=from_state,
        to_state=participation.state,
        note=note[:500],
    )
