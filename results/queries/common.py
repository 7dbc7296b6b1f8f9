"""The look-ups the Report and Certify pages share: a course instance by its public id, and a
module of its course by code. Made through the scoped managers, so an instance of another
university is simply not found (the page answers 404)."""

import uuid

from django.db.models import Prefetch

from catalog.models import CourseInstance, Module


def course_instance(public_id: uuid.UUID, *, with_modules: bool = False) -> CourseInstance | None:
    """One course instance of the current university with its course and the course's grading
    scale. One query; two `with_modules`, which brings the course's modules for `module` and for
    the page to list."""
    instances = CourseInstance.objects.select_related("course__grading_scale")
    if with_modules:
        # The course's modules, each with its grading scale, in the order the pages list them.
        modules = Module.objects.select_related("grading_scale").order_by("position", "code")
        instances = instances.prefetch_related(Prefetch("course__modules", queryset=modules))
    return instances.filter(public_id=public_id).first()


def module(course_instance: CourseInstance, code: str) -> Module | None:
    """The module of the instance's course with this code, among the modules fetched with the
    instance (`course_instance(..., with_modules=True)`): no query."""
    return next((m for m in course_instance.course.modules.all() if m.code == code), None)
