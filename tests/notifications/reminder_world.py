"""A small world for the reminders (B-2, #21 point 4): at Lund (reminders on, three days ahead)
a registration period closing in two days, one closing in ten, and an exam whose sign-up closes
tomorrow; at Uppsala (reminders off) a registration period closing tomorrow. Three people are
due: Anna (Swedish) and Bo (English) to register, Eva to sign up."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from institutions.models import Institution, InstitutionSettings
from ladokportal import clock
from people.models import Person
from registration.models import ParticipationState
from tests.factories import PersonFactory, participation_with_periods
from tests.factories.exams import ActivitySessionFactory, SignupFactory

S = ParticipationState


@dataclass(frozen=True)
class ReminderWorld:
    anna: Person
    bo: Person
    eva: Person

    @property
    def due(self) -> dict[str, Person]:
        return {p.email: p for p in (self.anna, self.bo, self.eva)}


def build(lund: Institution, uppsala: Institution) -> ReminderWorld:
    InstitutionSettings.objects.filter(institution=lund).update(reminder_days=3)
    InstitutionSettings.objects.filter(institution=uppsala).update(send_reminders=False)
    person = PersonFactory

    anna = person(first_name="Anna", email="anna@example.se", language="sv")
    bo = person(first_name="Bo", email="bo@example.se", language="en")
    closing = participation_with_periods(anna, lund, windows=((-5, 2),))
    participation_with_periods(bo, lund, windows=((-5, 2),), state=S.EXPECTED)
    # Acted already: registered; withdrawn. Not yet due: closes in ten days.
    participation_with_periods(person(), lund, windows=((-5, 2),), state=S.REGISTERED, registered=1)
    participation_with_periods(person(), lund, windows=((-5, 2),), state=S.WITHDRAWN)
    participation_with_periods(person(), lund, windows=((-5, 10),))
    # No address: nobody to write to.
    participation_with_periods(person(email=""), lund, windows=((-5, 2),))
    del closing

    eva = person(first_name="Eva", email="eva@example.se", language="en")
    signed, cancelled = person(), person()
    taking = [
        participation_with_periods(p, lund, windows=((-30, -20),), state=S.REGISTERED, registered=1)
        for p in (eva, signed, cancelled)
    ]
    session = ActivitySessionFactory(
        institution=lund,
        course_instances=[t.course_instance for t in taking],
        signup_closes=clock.today() + datetime.timedelta(days=1),
    )
    SignupFactory(session=session, person=signed)
    SignupFactory(session=session, person=cancelled, cancelled_at=timezone.now())

    participation_with_periods(person(), uppsala, windows=((-5, 1),))
    return ReminderWorld(anna=anna, bo=bo, eva=eva)
