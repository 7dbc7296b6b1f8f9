"""A programme of one university with a student on it, choice periods and application offers
open today unless a test moves them."""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import translation

from catalog.models import ProgrammeInstance
from institutions.models import Institution, InstitutionSettings
from ladokportal import clock
from people.models import User
from registration.models import ProgrammeParticipation
from studychoices.models import ChoiceAlternative, ChoicePeriod
from tests.factories import (
    ChoiceAlternativeFactory,
    ChoicePeriodFactory,
    PersonFactory,
    ProgrammeInstanceFactory,
    ProgrammeParticipationFactory,
    UserFactory,
)


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
    return InstitutionSettings.objects.get(institution=institution)


@pytest.fixture
def programme(institution: Institution) -> ProgrammeInstance:
    return ProgrammeInstanceFactory(programme__institution=institution)


@pytest.fixture
def make_student(programme: ProgrammeInstance) -> Callable[..., User]:
    def make(username: str, instance: ProgrammeInstance = programme) -> User:
        person = PersonFactory()
        ProgrammeParticipationFactory(person=person, programme_instance=instance)
        return UserFactory(username=username, person=person)

    return make


@pytest.fixture
def student(make_student) -> User:
    return make_student("sara")


@pytest.fixture
def place(student: User, programme: ProgrammeInstance) -> ProgrammeParticipation:
    """The student's place on the programme."""
    return ProgrammeParticipation.objects.get(person=student.person, programme_instance=programme)


@pytest.fixture
def make_period(programme: ProgrammeInstance) -> Callable[..., ChoicePeriod]:
    def make(**fields) -> ChoicePeriod:
        return ChoicePeriodFactory(programme_instance=programme, **fields)

    return make


@pytest.fixture
def add_alternative() -> Callable[..., ChoiceAlternative]:
    def add(period: ChoicePeriod, credits: str = "7.5", **fields) -> ChoiceAlternative:
        if "specialisation_instance" in fields:
            fields["course_instance"] = None
        else:
            fields.setdefault("course_instance__course__credits", Decimal(credits))
        return ChoiceAlternativeFactory(period=period, **fields)

    return add
