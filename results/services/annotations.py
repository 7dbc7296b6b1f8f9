"""What reporters set up around the reporting page: annotation columns (resultatnoteringar,
T-REP-2) and the points-to-grades table of an activity session (B-8).

The same shape as the other result services: the actor first, rights checked with
results.rules, one transaction, a ResultError with a message fit to show when nothing could be
done.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from catalog.models import CourseInstance, Grade, Module
from exams.models import ActivitySession
from people.models import User
from results import points
from results.errors import NotAllowed, ResultError
from results.models import AnnotationColumn, AnnotationKind, GradeThreshold
from results.rules import Rights
from results.services.common import check_module, require_reporting


def add_column(
    actor: User,
    *,
    course_instance: CourseInstance,
    module: Module | None,
    kind: str,
    shown_to_student: bool,
) -> AnnotationColumn:
    """A new column on the reporting page of the module (or of the whole course when module is
    None), for every instance of the course. At most one column of each kind."""
    require_reporting(actor, course_instance)
    check_module(course_instance, module)
    if kind not in AnnotationKind.values:
        raise ResultError(_("Choose what the column holds."))
    try:
        with transaction.atomic():
            return AnnotationColumn.objects.create(
                institution_id=course_instance.institution_id,
                course_id=course_instance.course_id,
                module=module,
                kind=kind,
                shown_to_student=shown_to_student,
            )
    except IntegrityError:
        raise ResultError(
            _("There already is a column “%(kind)s” there.") % {"kind": AnnotationKind(kind).label}
        ) from None


def remove_column(
    actor: User, *, course_instance: CourseInstance, module: Module | None, kind: str
) -> None:
    """The column leaves the reporting page. Values already reported stay on the results (and
    show again if the column is added back); certified results never change."""
    require_reporting(actor, course_instance)
    check_module(course_instance, module)
    deleted, _rows = AnnotationColumn.objects.filter(
        course_id=course_instance.course_id, module=module, kind=kind
    ).delete()
    if not deleted:
        raise ResultError(_("That column has already been removed."))


def set_thresholds(
    actor: User,
    *,
    session: ActivitySession,
    module: Module,
    minimums: list[tuple[Grade, Decimal | None]],
) -> int:
    """Replace the session's thresholds on the module's grading scale (B-8). `minimums` holds
    every grade of the scale with its minimum points, None where none is given. Returns how
    many thresholds the session now has on the scale."""
    instances = list(
        session.course_instances.filter(course_id=module.course_id).select_related("course")
    )
    rights = Rights.load(actor, session.institution_id)
    if not instances or not rights.may_report(instances[0].course):
        raise NotAllowed(_("You do not have the right to report results on this course."))
    if any(grade.scale_id != module.grading_scale_id for grade, _minimum in minimums):
        raise ResultError(_("Every grade must be on the module's grading scale."))
    errors = points.check_thresholds(minimums)
    if errors:
        raise ResultError(" ".join(errors))
    with transaction.atomic():
        # One editor at a time per session: the second waits and then replaces the first.
        ActivitySession.objects.select_for_update().filter(pk=session.pk).first()
        GradeThreshold.objects.filter(
            session=session, grade__scale_id=module.grading_scale_id
        ).delete()
        created = GradeThreshold.objects.bulk_create(
            GradeThreshold(
                institution_id=session.institution_id,
                session=session,
                grade=grade,
                min_points=minimum,
            )
            for grade, minimum in minimums
            if minimum is not None
        )
    return len(created)
