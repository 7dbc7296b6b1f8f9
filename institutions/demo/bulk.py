"""Volume for performance tests: `seed_demo --students N`.

Persons, participations, history and registrations are written with bulk_create in batches, and
no bulk student gets a login, so a hundred thousand students load in minutes. Their completed
courses carry no results: certified module and course grades with their history
(result_history.py) are about five rows per completed course, which tripled the load time; the
named and drawn students have them. Identity numbers
follow from the student's index alone (identities.bulk_identity_number), so they are unique and
the same on every run.
"""

import datetime
import random
from collections.abc import Callable

from institutions.demo.catalogue import Catalogue
from institutions.demo.participations import BATCH, enrol
from institutions.demo.persons import bulk_student
from institutions.demo.students import draw_plan
from people.models import Person

PROGRAMME_SHARE = 0.2


def create_bulk_students(
    count: int,
    catalogues: dict[str, Catalogue],
    today: datetime.date,
    rng: random.Random,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create `count` students; the number of course participations made."""
    universities = list(catalogues.values())
    participations = 0
    for first in range(0, count, BATCH):
        persons = [bulk_student(i, rng) for i in range(first, min(count, first + BATCH))]
        Person.objects.bulk_create(persons, batch_size=BATCH)
        plans = [
            draw_plan(
                person,
                rng.choice(universities),
                rng,
                today,
                in_programme=rng.random() < PROGRAMME_SHARE,
            )
            for person in persons
        ]
        participations += enrol(plans, today)
        if progress:
            progress(first + len(persons))
    return participations
