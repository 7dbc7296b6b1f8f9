"""Certifying results (Attestera, T-CERT-1..3): the examiner's formal decision, which makes
the results visible to their students, completes the participations their course grades
finish and tells each student by e-mail. See results.services for what every act does."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Module
from ladokportal import clock
from notifications.models import NotificationKind
from notifications.services import notify_many
from people.models import User
from results.errors import ResultError
from results.models import VISIBLE_TO_STUDENT, Result, ResultAction
from results.services.common import lock_versions, move_all, move_participations, require_certifying

A = ResultAction


def certify(actor: User, *, results: list[Result]) -> list[Result]:
    """Attestera (T-CERT-1, T-CERT-3): the formal decision. Exactly the results and versions the
    preview showed become visible to their students, in one transaction and a fixed number of
    queries however many; each student is told by e-mail in their language (B-2)."""
    if not results:
        raise ResultError(_("Choose at least one result to certify."))
    with transaction.atomic():
        found = lock_versions(results)
        require_certifying(actor, found)
        _check_course_grade_basis(found)
        now = timezone.now()

        def decide(result: Result) -> None:
            result.certified_by = actor
            result.certified_at = now

        moved = move_all(
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

    move_participations(course_grades, actor, P.REGISTERED, P.COMPLETED, "course grade certified")
