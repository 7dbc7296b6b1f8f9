"""What the result services share: the rights checks, locking the results an act changes (and
refusing them when someone changed them since the page showed them), moving locked results
through the workflow with their history, and moving the participations a course grade completes.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CourseInstance, Module
from people.models import User
from results import workflow
from results.errors import NotAllowed, ResultError, StaleResult
from results.models import Result, ResultEvent, ResultSource
from results.rules import Rights

# ------------------------------------------------------------------------------------------------
# Rights


def require_reporting(actor: User, course_instance: CourseInstance) -> Rights:
    rights = Rights.load(actor, course_instance.institution_id)
    if not rights.may_report(course_instance.course):
        raise NotAllowed(_("You do not have the right to report results on this course."))
    return rights


def require_certifying(actor: User, found: dict[int, Result]) -> None:
    if not found:
        return
    rights = Rights.load(actor, next(iter(found.values())).institution_id)
    if not all(rights.may_certify(r.course_instance.course) for r in found.values()):
        raise NotAllowed(_("Only an examiner of the course may do this."))


def check_module(course_instance: CourseInstance, module: Module | None) -> None:
    if module is not None and module.course_id != course_instance.course_id:
        raise ResultError(_("The module does not belong to this course."))


# ------------------------------------------------------------------------------------------------
# Locking


def lock(ids: list[int]) -> dict[int, Result]:
    """The results, locked for this transaction, with what pages and e-mails need."""
    rows = (
        Result.objects.select_for_update(of=("self",))
        .select_related("course_instance__course", "module", "grade", "person")
        .filter(pk__in=ids)
        .order_by("pk")  # always the same order: two bulk acts cannot deadlock
    )
    return {r.pk: r for r in rows}


def refuse_stale(results: list[Result], found: dict[int, Result], versions: dict[int, int]):
    stale = [
        r.person.full_name
        for r in results
        if r.pk not in found or (r.pk in versions and found[r.pk].version != versions[r.pk])
    ]
    if stale:
        raise StaleResult(
            _(
                "Someone else changed these results after you opened the page: %(names)s. "
                "Nothing was saved; reload the page to see their change."
            )
            % {"names": ", ".join(stale)},
            stale,
        )


def lock_versions(results: list[Result]) -> dict[int, Result]:
    found = lock([r.pk for r in results])
    refuse_stale(results, found, {r.pk: r.version for r in results})
    return found


def one_instance(found: dict[int, Result]) -> CourseInstance:
    instances = {r.course_instance_id for r in found.values()}
    if len(instances) != 1:
        raise ResultError(_("Choose results of one course instance at a time."))
    return next(iter(found.values())).course_instance


# ------------------------------------------------------------------------------------------------
# Moving


def move_all(
    actor: User,
    found: dict[int, Result],
    action: str,
    *,
    source: str = ResultSource.PAGE,
    note: str = "",
    fields: tuple[str, ...] = (),
    change=None,
) -> list[Result]:
    """Move every locked result by `action` (after `change` sets other fields), saved and
    recorded in two queries."""
    events = []
    moved = list(found.values())
    for result in moved:
        if not workflow.allows(result.state, action):
            raise ResultError(
                _("The result of %(name)s is %(state)s; this cannot be done to it.")
                % {"name": result.person.full_name, "state": result.get_state_display().lower()}
            )
        before = workflow.snapshot(result)
        if change:
            change(result)
        workflow.advance(result, action, before)
        events.append(
            workflow.event(result, action, actor=actor, source=source, before=before, note=note)
        )
    Result.objects.bulk_update(moved, ["state", "version", *fields])
    ResultEvent.objects.bulk_create(events)
    return moved


def move_participations(
    course_grades: list[Result], actor: User, from_state: str, to_state: str, note: str
) -> None:
    """Move the participations the course grades belong to, in bulk and with their history
    (registration.workflow's table allows both directions): a certified course grade completes
    the participation, its removal makes it registered again (S-EDU-1)."""
    if not course_grades:
        return
    from registration.models import CourseParticipation, ParticipationEvent
    from registration.workflow import ALLOWED

    assert (from_state, to_state) in ALLOWED  # noqa: S101  (a programming error, not input)
    pairs = Q()
    for r in course_grades:
        pairs |= Q(person_id=r.person_id, course_instance_id=r.course_instance_id)
    participations = list(
        CourseParticipation.objects.select_for_update()
        .filter(pairs, state=from_state)
        .order_by("pk")
    )
    now = timezone.now()
    for p in participations:
        p.state = to_state
        p.state_changed_at = now
    CourseParticipation.objects.bulk_update(participations, ["state", "state_changed_at"])
    ParticipationEvent.objects.bulk_create(
        ParticipationEvent(
            institution_id=p.institution_id,
            course_participation=p,
            actor=actor,
            from_state=from_state,
            to_state=to_state,
            note=note,
        )
        for p in participations
    )
