"""The named students' study journeys at Lund, beyond what enrol() writes (issue #3).

enrol() gives each participation the ordinary path to its state. The stories here need more: a
continuation registration still to make, a dropout on a chosen day (early or later), a change of
course instance, applications made and removed. Each story lists the steps its participation
went through, dated relative to its instance and today; every step becomes a ParticipationEvent
with the note the services write, by the student where the student took it, and every
registration step a Registration for its study period.

`student` at Lund, besides enrol()'s courses (one open for registration now, one opening in ten
days, all in her programme):
- MATB21: registered for the first study period, the continuation registration open now;
- FYSA21: a later dropout six weeks into the course: shown while the course runs;
- MATA24: an early dropout five days into the course: hidden;
- FYSA31: withdrawn before the start: hidden;
- NUMA01: changed two days ago from the instance starting in two weeks to the one starting in
  six weeks, on which she must now register; the instance next term is still open to change to;
- MATC21: applied within the programme and removed the application: she may apply again.
`student2` is in the same programme and has applied for MATC21: she can remove the application.
"""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from catalog.models import CourseInstance
from institutions.demo.catalogue import DAY, WEEK, Catalogue
from institutions.demo.journey_courses import JourneyCourses
from institutions.demo.participations import Clock, historical_timestamps
from institutions.demo.programme_offers import PROGRAMME, ProgrammeOffers
from people.models import User
from registration.models import (
    Application,
    ApplicationOffer,
    CourseParticipation,
    ParticipationEvent,
    ParticipationSource,
    ParticipationState,
    ProgrammeParticipation,
    Registration,
)

S = ParticipationState


@dataclass(frozen=True)
class Step:
    state: str
    day: datetime.date
    note: str = ""
    # Admission is the university's doing; everything after it the student's own.
    by_student: bool = True
    # For a registration: the sequence of the study period registered for (S-REG-3).
    period: int | None = None


@dataclass(eq=False)
class Story:
    instance: CourseInstance
    steps: tuple[Step, ...]
    in_programme: bool = False
    source: str = ParticipationSource.ADMISSION
    early_dropout: bool = False
    changed_from: "Story | None" = None
    # A partial change of instance: the credits re-registered on (S-SWAP-1).
    scope_credits: Decimal | None = None
    participation: CourseParticipation | None = field(default=None, init=False)

    @property
    def state(self) -> str:
        return self.steps[-1].state

    @property
    def state_since(self) -> datetime.date:
        """The day the participation reached its state (a continuation keeps it registered)."""
        return next(step.day for step in self.steps if step.state == self.state)


def _opens(instance: CourseInstance) -> datetime.date:
    return instance.periods_list[0].registration_opens


def admitted(instance: CourseInstance) -> Step:
    return Step(S.ADMITTED, _opens(instance) - 30 * DAY, by_student=False)


def registered(instance: CourseInstance) -> Step:
    return Step(S.REGISTERED, _opens(instance) + DAY, "study period 1", period=1)


def student_stories(journey: JourneyCourses, today: datetime.date) -> list[Story]:
    ongoing, just_started = journey.ongoing, journey.just_started
    first, second = journey.change[:2]
    left = Story(
        first,
        (
            admitted(first),
            Step(S.CHANGED_INSTANCE, today - 2 * DAY, f"changed to {second.instance_code}"),
        ),
    )
    return [
        Story(
            journey.continuing,
            (admitted(journey.continuing), registered(journey.continuing)),
            in_programme=True,
        ),
        Story(
            ongoing,
            (
                admitted(ongoing),
                registered(ongoing),
                Step(S.DROPPED, ongoing.start_date + 4 * WEEK, "dropout by the student"),
            ),
        ),
        Story(
            just_started,
            (
                admitted(just_started),
                registered(just_started),
                Step(S.DROPPED, just_started.start_date + 5 * DAY, "early dropout by the student"),
            ),
            in_programme=True,
            early_dropout=True,
        ),
        Story(
            journey.starts_soon,
            (
                admitted(journey.starts_soon),
                Step(S.WITHDRAWN, today - 4 * DAY, "withdrawn by the student"),
            ),
        ),
        left,
        Story(
            second,
            (Step(S.ADMITTED, today - 2 * DAY, f"changed from {first.instance_code}"),),
            source=ParticipationSource.CHANGE,
            changed_from=left,
            # Part of the course only, as the guide's change of instance allows.
            scope_credits=(second.course.credits / 2).quantize(Decimal("0.1")),
        ),
        Story(
            journey.offered,
            (
                Step(S.EXPECTED, today - 2 * DAY, ParticipationSource.APPLICATION),
                Step(S.CANCELLED, today - DAY, "application removed"),
            ),
            in_programme=True,
            source=ParticipationSource.APPLICATION,
        ),
    ]


def student2_stories(journey: JourneyCourses, today: datetime.date) -> list[Story]:
    return [
        Story(
            journey.offered,
            (Step(S.EXPECTED, today - DAY, ParticipationSource.APPLICATION),),
            in_programme=True,
            source=ParticipationSource.APPLICATION,
        )
    ]


def tell(user: User, programme: ProgrammeParticipation, stories: list[Story], clock: Clock) -> None:
    """Write the stories' participations (in order: a change refers to an earlier story), their
    history and their registrations."""
    for story in stories:
        story.participation = CourseParticipation.objects.create(
            institution_id=story.instance.institution_id,
            person_id=user.person_id,
            course_instance=story.instance,
            programme_participation=programme if story.in_programme else None,
            state=story.state,
            source=story.source,
            early_dropout=story.early_dropout,
            changed_from=story.changed_from.participation if story.changed_from else None,
            scope_credits=story.scope_credits,
            created_at=clock.moment(story.steps[0].day),
            state_changed_at=clock.moment(story.state_since),
        )
    ParticipationEvent.objects.bulk_create(
        ParticipationEvent(
            institution_id=story.instance.institution_id,
            course_participation=story.participation,
            actor=user if step.by_student else None,
            at=clock.moment(step.day),
            from_state=before.state if before else "",
            to_state=step.state,
            note=step.note,
        )
        for story in stories
        for before, step in itertools.pairwise((None, *story.steps))
    )
    periods = {
        (story.instance.pk, p.sequence): p for story in stories for p in story.instance.periods_list
    }
    Registration.objects.bulk_create(
        Registration(
            institution_id=story.instance.institution_id,
            participation=story.participation,
            course_instance=story.instance,
            study_period_id=periods[(story.instance.pk, step.period)].study_period_id,
            registered_at=clock.moment(step.day),
            registered_by=user,
        )
        for story in stories
        for step in story.steps
        if step.period is not None
    )


def applications(user: User, stories: list[Story], offer: ApplicationOffer, clock: Clock) -> None:
    """The Application rows behind the stories' applications to `offer`: removed when the
    story ends in a removal."""
    Application.objects.bulk_create(
        Application(
            institution_id=offer.institution_id,
            person_id=user.person_id,
            offer=offer,
            course_participation=story.participation,
            applied_at=clock.moment(story.steps[0].day),
            removed_at=clock.moment(story.steps[-1].day) if story.state == S.CANCELLED else None,
        )
        for story in stories
        if story.source == ParticipationSource.APPLICATION
    )


def create_study_journeys(
    lu: Catalogue, journey: JourneyCourses, offers: ProgrammeOffers, today: datetime.date
) -> None:
    """After enrol(): the named students' programme participations exist."""
    clock = Clock(today)
    users = User.objects.select_related("person").in_bulk(
        ["student", "student2"], field_name="username"
    )
    with historical_timestamps():
        for username, stories in (
            ("student", student_stories(journey, today)),
            ("student2", student2_stories(journey, today)),
        ):
            user = users[username]
            programme = ProgrammeParticipation.objects.get(
                person_id=user.person_id, programme_instance=lu.programmes[PROGRAMME]
            )
            tell(user, programme, stories, clock)
            applications(user, stories, offers.offer, clock)
