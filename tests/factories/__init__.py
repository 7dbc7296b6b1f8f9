"""factory-boy factories. They build with django-scopes disabled (tests/conftest.py opens
scopes_disabled around every test that asks for `db` through the `unscoped` fixture)."""

from tests.factories.catalog import (
    CourseFactory,
    CourseInstanceFactory,
    CourseInstancePeriodFactory,
    ModuleFactory,
    ProgrammeFactory,
    ProgrammeInstanceFactory,
    StudyPeriodFactory,
)
from tests.factories.institutions import InstitutionFactory, LocalTextFactory, OrgUnitFactory
from tests.factories.people import (
    PersonFactory,
    StaffRoleFactory,
    UserFactory,
    valid_identity_number,
)
from tests.factories.registration import (
    ApplicationOfferFactory,
    CourseParticipationFactory,
    IndividualStudyPlanFactory,
    LeaveOfAbsenceFactory,
    ProgrammeParticipationFactory,
    RegistrationFactory,
    StudyActivityFactory,
    participation_with_periods,
)
from tests.factories.studychoices import (
    ChoiceAlternativeFactory,
    ChoicePeriodFactory,
    StudyChoiceFactory,
)

__all__ = [
    "ApplicationOfferFactory",
    "ChoiceAlternativeFactory",
    "ChoicePeriodFactory",
    "CourseFactory",
    "CourseInstanceFactory",
    "CourseInstancePeriodFactory",
    "CourseParticipationFactory",
    "IndividualStudyPlanFactory",
    "InstitutionFactory",
    "LeaveOfAbsenceFactory",
    "LocalTextFactory",
    "ModuleFactory",
    "OrgUnitFactory",
    "PersonFactory",
    "ProgrammeFactory",
    "ProgrammeInstanceFactory",
    "ProgrammeParticipationFactory",
    "RegistrationFactory",
    "StaffRoleFactory",
    "StudyActivityFactory",
    "StudyChoiceFactory",
    "StudyPeriodFactory",
    "UserFactory",
    "participation_with_periods",
    "valid_identity_number",
]
