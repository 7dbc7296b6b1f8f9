"""Reads of a university's catalogue for the staff web's course search and course view (seed
004, T-ADM-3): find a course by code or name, a course with its instances, an instance with its
modules and activity sessions. Each a fixed number of queries; rights are judged by the page
with results.rules.Rights, which needs no query per course."""

from django.db.models import Prefetch, Q, QuerySet

from catalog.models import Course, CourseInstance, Module

SEARCH_LIMIT = 50


def search_courses(institution_id: int, text: str) -> QuerySet[Course]:
    """Courses of the university whose code starts with, or whose name (either language)
    contains, the text; at most SEARCH_LIMIT, by code. One query."""
    text = text.strip()
    return (
        Course.objects.filter(institution_id=institution_id)
        .filter(Q(code__istartswith=text) | Q(name_sv__icontains=text) | Q(name_en__icontains=text))
        .order_by("code")[:SEARCH_LIMIT]
    )


def course_with_instances(institution_id: int, code: str) -> Course | None:
    """The course with this code at the university and its instances, newest first. Two
    queries."""
    return (
        Course.objects.filter(institution_id=institution_id, code=code)
        .prefetch_related(
            Prefetch(
                "instances",
                queryset=CourseInstance.objects.order_by("-start_date", "instance_code"),
            )
        )
        .first()
    )


def instance_with_modules_and_sessions(course: Course, public_id) -> CourseInstance | None:
    """One instance of the course, its course's modules and its activity sessions (with the
    modules each examines). Four queries."""
    from exams.models import ActivitySession

    return (
        CourseInstance.objects.filter(course=course, public_id=public_id)
        .select_related("course")
        .prefetch_related(
            Prefetch("course__modules", queryset=Module.objects.order_by("position", "code")),
            Prefetch(
                "activity_sessions",
                queryset=ActivitySession.objects.order_by("starts_at").prefetch_related("modules"),
            ),
        )
        .first()
    )
