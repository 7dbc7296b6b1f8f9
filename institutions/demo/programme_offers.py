"""What the mathematics programme at Lund offers its own students, open now (S-HOME-2).

- An application (anmälan, S-APP-1) to an elective of the programme's fourth term: opened three
  days ago, closes in two weeks.
- A study choice (studieval, S-CHOICE-1) among four electives of the same term: opened two days
  ago, closes in twelve days; pick one or two, at most 15 credits together. One alternative is
  15 credits, so picking it with another breaks the credit rule, and picking three breaks the
  rule on how many.

The electives join the programme's structure as elective (not mandatory) courses of term 4, the
term after the current one.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from catalog.models import ProgrammeCourse
from institutions.demo.catalogue import DAY, WEEK, Catalogue
from institutions.demo.journey_courses import JourneyCourses
from registration.models import ApplicationOffer
from studychoices.models import ChoiceAlternative, ChoicePeriod

PROGRAMME = "NGMAT"
ELECTIVE_TERM = 4


@dataclass(frozen=True)
class ProgrammeOffers:
    offer: ApplicationOffer
    choice_period: ChoicePeriod


def create_programme_offers(
    lu: Catalogue, journey: JourneyCourses, today: datetime.date
) -> ProgrammeOffers:
    programme = lu.programmes[PROGRAMME]
    institution = lu.institution
    ProgrammeCourse.objects.bulk_create(
        ProgrammeCourse(
            institution=institution,
            programme_instance=programme,
            course_instance=instance,
            term_number=ELECTIVE_TERM,
            mandatory=False,
        )
        for instance in (*journey.electives, journey.offered)
    )
    offer = ApplicationOffer.objects.create(
        institution=institution,
        programme_instance=programme,
        course_instance=journey.offered,
        opens=today - 3 * DAY,
        closes=today + 2 * WEEK,
    )
    period = ChoicePeriod.objects.create(
        institution=institution,
        programme_instance=programme,
        name_sv=f"Valfria kurser, termin {ELECTIVE_TERM}",
        name_en=f"Elective courses, term {ELECTIVE_TERM}",
        opens=today - 2 * DAY,
        closes=today + 12 * DAY,
        min_picks=1,
        max_picks=2,
        max_credits=Decimal(15),
    )
    ChoiceAlternative.objects.bulk_create(
        ChoiceAlternative(
            institution=institution, period=period, course_instance=instance, position=position
        )
        for position, instance in enumerate(journey.electives, start=1)
    )
    return ProgrammeOffers(offer, period)
