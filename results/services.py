"""What staff do with results (T-REP-1..5, T-CERT-1..3, T-REM-1, T-EXT-1). One function per act.

Each service checks the actor's rights (results.rules), validates, locks what it changes, moves
the results through results.workflow (which writes the history) in one transaction, and schedules
e-mails after commit. Bulk acts cost a fixed number of queries however many results they touch.
Every error is a results.errors.ResultError with a message fit to show; when one is raised
nothing has changed.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import CourseInstance, Module
from exams.models import ActivitySession
from ladokportal import clock
from notifications.models import NotificationKind
from notifications.services import notify_many, notify_user
from people.models import User
from results import workflow
from results.errors import InvalidEntries, NotAllowed, ResultError, StaleResult
from results.models import (
    OPEN_STATES,
    VISIBLE_TO_STUDENT,
    Result,
    ResultAction,
    ResultEvent,
    ResultSource,
    ResultState,
)
from results.rules import Rights
from results.validation import Entry, check_entries

A = ResultAction
S = ResultState


# ------------------------------------------------------------------------------------------------
# Reporting


def _require_reporting(actor: User, course_instance: CourseInstance) -> Rights:
    rights = Rights.load(actor, course_instance.institution_id)
    if not rights.may_report(course_instance.course):
        raise NotAllowed(_("You do not have the right to report results on this course."))
    return rights


def _lock(ids: list[int]) -> dict[int, Result]:
    """The results, locked for this transaction, with what pages and e-mails need."""
    rows = (
        Result.objects.select_for_update(of=("self",))
        .select_related("course_instance__course", "module", "grade", "person")
        .filter(pk__in=ids)
        .order_by("pk")  # always the same order: two bulk acts cannot deadlock
    )
    return {r.pk: r for r in rows}


def _refuse_stale(results: list[Result], found: dict[int, Result], versions: dict[int, int]):
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


def save_drafts(
    actor: User,
    *,
    course_instance: CourseInstance,
    module: Module | None,
    entries: list[Entry],
    source: str = ResultSource.PAGE,
    activity_session: ActivitySession | None = None,
) -> dict[str, int]:
    """Save reported rows as drafts (T-REP-1 "Save"): new results, or changes to open results
    whose version still matches. Rows that change nothing are left alone. All or nothing."""
    _require_reporting(actor, course_instance)
    if module is not None and module.course_id != course_instance.course_id:
        raise ResultError(_("The module does not belong to this course."))
    errors = check_entries(course_instance, module, entries)
    if errors:
        raise InvalidEntries(
            ngettext(
                "%(count)d row has errors; nothing was saved.",
                "%(count)d rows have errors; nothing was saved.",
                len(errors),
            )
            % {"count": len(errors)},
            errors,
        )
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    try:
        with transaction.atomic():
            updates = [e for e in entries if e.result is not None]
            found = _lock([e.result.pk for e in updates])
            _refuse_stale(
                [e.result for e in updates],
                found,
                {e.result.pk: e.version for e in updates if e.version is not None},
            )
            events: list[ResultEvent] = []
            changed: list[Result] = []
            for entry in updates:
                result = found[entry.result.pk]
                if result.state not in workflow.EDITABLE:
                    raise StaleResult(
                        _("The result of %(name)s has been certified meanwhile; it cannot change.")
                        % {"name": result.person.full_name},
                        [result.person.full_name],
                    )
                if _same(result, entry):
                    counts["unchanged"] += 1
                    continue
                before = workflow.snapshot(result)
                result.grade = entry.grade
                result.examination_date = entry.examination_date
                result.annotations = _clean(entry.annotations)
                workflow.advance(result, A.EDITED, before)
                changed.append(result)
                events.append(
                    workflow.event(result, A.EDITED, actor=actor, source=source, before=before)
                )
            if changed:
                Result.objects.bulk_update(
                    changed, ["grade", "examination_date", "annotations", "state", "version"]
                )
            counts["changed"] = len(changed)
            created = [
                Result(
                    institution_id=course_instance.institution_id,
                    person=e.person,
                    course_instance=course_instance,
                    module=module,
                    grade=e.grade,
                    examination_date=e.examination_date,
                    annotations=_clean(e.annotations),
                    source=source,
                    activity_session=activity_session,
                    reported_by=actor,
                )
                for e in entries
                if e.result is None
            ]
            for result in created:
                workflow.advance(result, A.REPORTED, workflow.snapshot(None))
            Result.objects.bulk_create(created)
            events += [
                workflow.event(
                    r, A.REPORTED, actor=actor, source=source, before=workflow.snapshot(None)
                )
                for r in created
            ]
            ResultEvent.objects.bulk_create(events)
            counts["created"] = len(created)
    except IntegrityError:
        # Another teacher reported a result for one of these students at the same moment: the
        # one-open-result constraint refused the second. Theirs stands; this save is refused.
        raise StaleResult(
            _(
                "Someone else reported results for some of these students at the same time. "
                "Nothing was saved; reload the page to see theirs."
            )
        ) from None
    return counts


def _clean(annotations: dict) -> dict:
    return {k: str(v).strip() for k, v in annotations.items() if v not in ("", None)}


def _same(result: Result, entry: Entry) -> bool:
    return (
        result.grade_id == (entry.grade.pk if entry.grade else None)
        and result.examination_date == entry.examination_date
        and result.annotations == _clean(entry.annotations)
    )


def _lock_versions(results: list[Result]) -> dict[int, Result]:
    found = _lock([r.pk for r in results])
    _refuse_stale(results, found, {r.pk: r.version for r in results})
    return found


def _move_all(
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


def _one_instance(found: dict[int, Result]) -> CourseInstance:
    instances = {r.course_instance_id for r in found.values()}
    if len(instances) != 1:
        raise ResultError(_("Choose results of one course instance at a time."))
    return next(iter(found.values())).course_instance


def mark_ready(
    actor: User, *, results: list[Result], graded_by: User, notify: User | None
) -> list[Result]:
    """Klarmarkera (T-REP-3): drafts go for certification; the person to notify (normally the
    examiner) gets an e-mail after commit. Students see nothing yet."""
    if not results:
        raise ResultError(_("Choose at least one result to mark as ready."))
    with transaction.atomic():
        found = _lock_versions(results)
        instance = _one_instance(found)
        _require_reporting(actor, instance)
        course = instance.course
        if not _has_reporting_right(graded_by, instance):
            raise ResultError(_("The grading teacher must have a right to report on this course."))
        if notify is not None and not Rights.load(notify, instance.institution_id).may_certify(
            course
        ):
            raise ResultError(_("The person to notify must be an examiner of this course."))

        def stamp(result: Result) -> None:
            result.graded_by = graded_by
            result.notify = notify
            result.ready_grade = result.grade
            result.ready_date = result.examination_date

        moved = _move_all(
            actor,
            found,
            A.MARKED_READY,
            fields=("graded_by", "notify", "ready_grade", "ready_date"),
            change=stamp,
        )
        if notify is not None:
            notify_user(
                notify,
                NotificationKind.RESULTS_READY,
                context={
                    "count": len(moved),
                    "course_code": course.code,
                    "course_name_sv": course.name_sv,
                    "course_name_en": course.name_en,
                    "instance_code": instance.instance_code,
                    "reporter": actor.get_full_name() or actor.get_username(),
                },
            )
    return moved


def _has_reporting_right(user: User, instance: CourseInstance) -> bool:
    return Rights.load(user, instance.institution_id).may_report(instance.course)


def unmark(actor: User, *, results: list[Result]) -> list[Result]:
    """Back to draft (T-REP-3, T-CERT-1): by a reporter or the examiner."""
    if not results:
        raise ResultError(_("Choose at least one result."))
    with transaction.atomic():
        found = _lock_versions(results)
        _require_reporting(actor, _one_instance(found))
        return _move_all(actor, found, A.UNMARKED)


def correct(actor: User, *, result: Result, entry: Entry) -> Result:
    """Change grade, date or annotations of a draft or ready result (T-REP-3, T-CERT-1: "correct
    a grade first"); the same checks as reporting."""
    entry.result = result
    save_drafts(
        actor,
        course_instance=result.course_instance,
        module=result.module,
        entries=[entry],
        source=ResultSource.PAGE,
    )
    return Result.objects.get(pk=result.pk)


def discard_draft(actor: User, *, result: Result) -> None:
    """A draft reported by mistake leaves the lists; it stays in the history."""
    with transaction.atomic():
        found = _lock_versions([result])
        _require_reporting(actor, _one_instance(found))
        _move_all(actor, found, A.DISCARDED)


# ------------------------------------------------------------------------------------------------
# Certifying


def _require_certifying(actor: User, found: dict[int, Result]) -> None:
    if not found:
        return
    rights = Rights.load(actor, next(iter(found.values())).institution_id)
    if not all(rights.may_certify(r.course_instance.course) for r in found.values()):
        raise NotAllowed(_("Only an examiner of the course may do this."))


def certify(actor: User, *, results: list[Result]) -> list[Result]:
    """Attestera (T-CERT-1, T-CERT-3): the formal decision. Exactly the results and versions the
    preview showed become visible to their students, in one transaction and a fixed number of
    queries however many; each student is told by e-mail in their language (B-2)."""
    if not results:
        raise ResultError(_("Choose at least one result to certify."))
    with transaction.atomic():
        found = _lock_versions(results)
        _require_certifying(actor, found)
        _check_course_grade_basis(found)
        now = timezone.now()

        def decide(result: Result) -> None:
            result.certified_by = actor
            result.certified_at = now

        moved = _move_all(
            actor, found, A.CERTIFIED, fields=("certified_by", "certified_at"), change=decide
        )
        _complete_participations([r for r in moved if r.module_id is None], actor)
        notify_many(
            [(r.person, _certified_context(r)) for r in moved], NotificationKind.RESULT_CERTIFIED
        )
    return moved


def _certified_context(result: Result) -> dict:
    course = result.course_instance.course
    module = result.module
    return {
        "course_code": course.code,
        "course_name_sv": course.name_sv,
        "course_name_en": course.name_en,
        "module_name_sv": module.name_sv if module else "",
        "module_name_en": module.name_en if module else "",
        "grade_code": result.grade.code,
        "instance_id": str(result.course_instance.public_id),
        # The day of the decision in Sweden, as the student's course page shows it.
        "certified_on": clock.date_of(result.certified_at).isoformat(),
    }


def _check_course_grade_basis(found: dict[int, Result]) -> None:
    """A course grade is certified only while every module result it rests on is still passed
    and certified: three queries a course in the batch (the certify page sends one course),
    whatever the number of results."""
    course_grades = [r for r in found.values() if r.module_id is None]
    if not course_grades:
        return
    from results.validation import all_modules_passed, counting_module_results

    by_course: dict[int, list[Result]] = {}
    for r in course_grades:
        by_course.setdefault(r.course_instance.course_id, []).append(r)
    for course_id, rows in by_course.items():
        # Lock the module results the grades rest on first: a removal of one of them at the same
        # moment (which locks it, then looks for a certified course grade) either finishes before
        # this reads them or waits and then sees the course grade (T-REM-1). Without the lock both
        # checks pass and a certified course grade rests on a removed result.
        list(
            Result.objects.select_for_update(of=("self",))
            .filter(
                person_id__in=[r.person_id for r in rows],
                course_instance__course_id=course_id,
                module__isnull=False,
                state__in=VISIBLE_TO_STUDENT,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        counting = counting_module_results(course_id, [r.person_id for r in rows])
        module_ids = list(Module.objects.filter(course_id=course_id).values_list("pk", flat=True))
        for r in rows:
            if not all_modules_passed(module_ids, counting.get(r.person_id, {})):
                raise ResultError(
                    _("The course grade of %(name)s no longer rests on passed module results.")
                    % {"name": r.person.full_name}
                )


def _complete_participations(course_grades: list[Result], actor: User) -> None:
    """A certified course grade completes the student's registered participation (S-EDU-1)."""
    from registration.models import ParticipationState as P

    _move_participations(course_grades, actor, P.REGISTERED, P.COMPLETED, "course grade certified")


def _move_participations(
    course_grades: list[Result], actor: User, from_state: str, to_state: str, note: str
) -> None:
    """Move the participations the course grades belong to, in bulk and with their history
    (registration.workflow's table allows both directions)."""
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


# ------------------------------------------------------------------------------------------------
# Removal (T-REM-1)


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
        found = _lock_versions([result])
        _require_reporting(actor, _one_instance(found))
        _refuse_if_course_grade_rests_on(found)

        def prepare(r: Result) -> None:
            r.removal_reason = reason
            r.removal_prepared_by = actor

        return _move_all(
            actor,
            found,
            A.REMOVAL_PREPARED,
            note=reason,
            fields=("removal_reason", "removal_prepared_by"),
            change=prepare,
        )[0]


def withdraw_removal(actor: User, *, result: Result) -> Result:
    with transaction.atomic():
        found = _lock_versions([result])
        _require_reporting(actor, _one_instance(found))

        def clear(r: Result) -> None:
            r.removal_reason = ""
            r.removal_prepared_by = None

        return _move_all(
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
        found = _lock_versions([result])
        locked = found[result.pk]
        _require_certifying(actor, found)
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

        removed = _move_all(
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

            _move_participations(
                [removed], actor, P.COMPLETED, P.REGISTERED, "course grade removed"
            )
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


# ------------------------------------------------------------------------------------------------
# Students


def mark_seen(person_id: int, result_ids: list[int]) -> None:
    """S-HOME-1: the start page has shown these newly certified results; they are not new again."""
    Result.objects.filter(
        pk__in=result_ids,
        person_id=person_id,
        state__in=VISIBLE_TO_STUDENT,
        seen_by_student_at__isnull=True,
    ).update(seen_by_student_at=timezone.now())


def open_result_for(person_id: int, course_instance: CourseInstance, module: Module | None):
    return Result.objects.filter(
        person_id=person_id,
        course_instance=course_instance,
        module=module,
        state__in=OPEN_STATES,
    ).first()
