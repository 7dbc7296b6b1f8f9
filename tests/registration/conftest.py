"""Builders for the registration domain tests: students of one university, course instances
whose registration windows sit relative to today, programmes with their courses."""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import translation

from catalog.models import CourseInstance, CourseInstancePeriod
from institutions.models import Institution, InstitutionSettings
from ladokportal import clock
from people.models import StaffRoleKind, User
from registration.models import (
    Application,
    CourseParticipation,
    LeaveOfAbsence,
    ParticipationEvent,
    ParticipationState,
    ProgrammeParticipation,
    Registration,
)
from tests.factories import (
    CourseFactory,
    CourseInstanceFactory,
    CourseInstancePeriodFactory,
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
)

Window = tuple[int, int] | None


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def _english():
    """Refusal messages are compared word for word, in the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def today() -> datetime.date:
    return clock.today()


@pytest.fixture
def uni_settings(institution: Institution) -> InstitutionSettings:
    """The university's switches; tests change them and save."""
    return InstitutionSettings.objects.get(institution=institution)


@pytest.fixture
def student(institution: Institution) -> User:
    return UserFactory(username="sara", person=PersonFactory(first_name="Sara"))


@pytest.fixture
def other_student(institution: Institution) -> User:
    return UserFactory(username="olle", person=PersonFactory(first_name="Olle"))


@pytest.fixture
def study_admin(institution: Institution) -> User:
    user = UserFactory(username="siv")
    StaffRoleFactory(user=user, institution=institution, role=StaffRoleKind.STUDY_ADMIN)
    return user


@pytest.fixture
def make_instance(institution: Institution, today: datetime.date) -> Callable[..., CourseInstance]:
    """A course instance starting `start` days from today, with one study period per window.
    A window is (opens, closes) in days from today, or None for a period without one."""

    def make(
        *,
        windows: tuple[Window, ...] = ((-5, 5),),
        start: int = 10,
        length: int = 120,
        course=None,
        **fields,
    ) -> CourseInstance:
        instance = CourseInstanceFactory(
            course=course or CourseFactory(institution=institution),
            start_date=today + days(start),
            end_date=today + days(start + length),
            **fields,
        )
        for sequence, window in enumerate(windows, start=1):
            CourseInstancePeriodFactory(
                course_instance=instance,
                sequence=sequence,
                credits=(instance.course.credits / len(windows)).quantize(Decimal("0.1")),
                registration_opens=None if window is None else today + days(window[0]),
                registration_closes=None if window is None else today + days(window[1]),
            )
        return instance

    return make


def period(instance: CourseInstance, sequence: int = 1) -> CourseInstancePeriod:
    return instance.periods.get(sequence=sequence)


S = ParticipationState


def rows() -> dict[str, int]:
    """How many rows each participation table holds: a refusal must leave them all alone."""
    models = (
        Application,
        CourseParticipation,
        LeaveOfAbsence,
        ParticipationEvent,
        ProgrammeParticipation,
        Registration,
    )
    return {model.__name__: model.objects.count() for model in models}


def history(participation) -> list[tuple[int | None, str, str, str]]:
    """(actor id, from, to, note) of every event of a participation, oldest first."""
    return list(participation.events.values_list("actor_id", "from_state", "to_state", "note"))
