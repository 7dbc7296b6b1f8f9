"""Reporting results (T-REP-1..5): save drafts, mark them ready for certification, un-mark,
correct and discard. One function per act; see results.services for what every act does."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import CourseInstance, Module
from exams.models import ActivitySession
from notifications.models import NotificationKind
from notifications.services import notify_user
from people.models import User
from results import anonymity, workflow
from results.errors import InvalidEntries, ResultError, StaleResult
from results.models import Result, ResultAction, ResultEvent, ResultSource
from results.rules import Rights
from results.services.common import (
    check_module,
    lock,
    lock_versions,
    move_all,
    one_instance,
    refuse_stale,
    require_reporting,
)
from results.validation import Entry, check_entries

A = ResultAction


def _refuse_sealed(results, activity_session: ActivitySession | None) -> None:
    """B-6 (results.anonymity): a result that came by anonymisation code changes by code only
    (its own session's code sheet, file or API) until it is certified. No query unless one of
    the results came from a session."""
    from_sessions = {r.activity_session_id for r in results if r.activity_session_id}
    if not from_sessions or (
        activity_session is not None and from_sessions == {activity_session.pk}
    ):
        return
    if ActivitySession.objects.filter(pk__in=from_sessions, anonymous=True).exists():
        raise ResultError(anonymity.sealed_message())


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
    require_reporting(actor, course_instance)
    check_module(course_instance, module)
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
            found = lock([e.result.pk for e in updates])
            _refuse_sealed(found.values(), activity_session)
            refuse_stale(
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


def mark_ready(
    actor: User, *, results: list[Result], graded_by: User, notify: User | None
) -> list[Result]:
    """Klarmarkera (T-REP-3): drafts go for certification; the person to notify (normally the
    examiner) gets an e-mail after commit. Students see nothing yet."""
    if not results:
        raise ResultError(_("Choose at least one result to mark as ready."))
    with transaction.atomic():
        found = lock_versions(results)
        instance = one_instance(found)
        require_reporting(actor, instance)
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

        moved = move_all(
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
        found = lock_versions(results)
        require_reporting(actor, one_instance(found))
        return move_all(actor, found, A.UNMARKED)


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
        # The examiner corrects on the Certify pages, where the session's link is theirs (B-6).
        activity_session=result.activity_session if result.activity_session_id else None,
    )
    return Result.objects.get(pk=result.pk)


def discard_draft(actor: User, *, result: Result) -> None:
    """A draft reported by mistake leaves the lists; it stays in the history."""
    with transaction.atomic():
        found = lock_versions([result])
        require_reporting(actor, one_instance(found))
        move_all(actor, found, A.DISCARDED)
