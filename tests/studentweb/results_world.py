"""Results for the student-page tests, made through results.services as staff make them (so
they carry history and the states are reached the real way): reported, marked ready,
certified, prepared for removal, removed."""

import datetime

from catalog.models import Module
from ladokportal import clock
from people.models import Person, User
from results.models import Result, ResultSource, ResultState
from results.services import certifying, reporting
from results.validation import Entry
from tests.factories import UserFactory
from tests.factories.results import ReportingWorld, grade


def login_for(person: Person) -> User:
    return UserFactory(username=f"s{person.pk}", person=person)


def report(
    world: ReportingWorld,
    grades: dict[Person, str],
    *,
    module: Module | None = None,
    days_ago: int = 2,
    source: str = ResultSource.PAGE,
    annotations: dict[str, str] | None = None,
    scale: str | None = None,
    activity_session=None,
) -> list[Result]:
    """Drafts of `grades` (person → grade code) on `module` (None: the course grade)."""
    day = clock.today() - datetime.timedelta(days=days_ago)
    scale_code = scale or (module or world.instance.course).grading_scale.code
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=module,
        entries=[
            Entry(
                person=person,
                grade=grade(code, scale_code),
                examination_date=day,
                annotations=annotations or {},
            )
            for person, code in grades.items()
        ],
        source=source,
        activity_session=activity_session,
    )
    return list(
        Result.objects.filter(
            course_instance=world.instance,
            module=module,
            state=ResultState.DRAFT,
            person__in=list(grades),
        ).order_by("pk")
    )


def ready(world: ReportingWorld, grades: dict[Person, str], **options) -> list[Result]:
    drafts = report(world, grades, **options)
    return reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )


def certify(world: ReportingWorld, grades: dict[Person, str], **options) -> list[Result]:
    return certifying.certify(world.examiner, results=ready(world, grades, **options))


def course_grade(world: ReportingWorld, person: Person, code: str, **options) -> Result:
    """Certify every module G (the latest module dated `days_ago`), then the course grade."""
    days_ago = options.pop("days_ago", 2)
    for module in world.modules:
        certify(world, {person: "G"}, module=module, days_ago=days_ago)
    return certify(world, {person: code}, module=None, days_ago=days_ago, **options)[0]
