"""Reads for study choices and applications within a programme, for the student's pages.

Everything is read through the logged-in person, and only within the programmes they take (an
active programme participation): another programme's period or offer is simply not found. Each
read costs a fixed number of SQL queries whatever the number of alternatives, offers or students.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from institutions.models import InstitutionSettings
from people.models import Person
from registration import eligibility
from registration.eligibility import Verdict
from registration.models import (
    ACTIVE_STATES,
    Application,
    ApplicationOffer,
    CourseParticipation,
    ParticipationSource,
    ProgrammeParticipation,
)
from studychoices.models import ChoiceAlternative, ChoicePeriod, StudyChoice, StudyChoiceItem
from studychoices.services import can_choose, can_remove_choice, with_participations


def _in_my_programmes(person: Person) -> Exists:
    return Exists(
        ProgrammeParticipation.objects.filter(
            person=person,
            programme_instance=OuterRef("programme_instance"),
            state__in=ACTIVE_STATES,
        )
    )


def _periods(person: Person) -> QuerySet[ChoicePeriod]:
    return ChoicePeriod.objects.filter(_in_my_programmes(person)).select_related(
        "programme_instance__programme"
    )


def _offers(person: Person) -> QuerySet[ApplicationOffer]:
    return ApplicationOffer.objects.filter(_in_my_programmes(person)).select_related(
        "programme_instance__programme",
        "course_instance__course",
        "specialisation_instance__programme",
    )


def start_page(person: Person, today: datetime.date) -> dict:
    """The "study choices" and "applications" sections of the start page (S-HOME-2): what is
    open today in the student's programmes, with whether they have already chosen or applied.
    Lazy: each list costs one query when its section is shown, none when it is switched off."""
    chosen = StudyChoice.objects.filter(
        person=person, period=OuterRef("pk"), removed_at__isnull=True
    )
    applied = Application.objects.filter(
        person=person, offer=OuterRef("pk"), removed_at__isnull=True
    )
    return {
        "choices_open": _periods(person)
        .filter(opens__lte=today, closes__gte=today)
        .annotate(chosen=Exists(chosen))
        .order_by("closes", "pk"),
        "applications_open": _offers(person)
        .filter(opens__lte=today, closes__gte=today)
        .annotate(applied=Exists(applied))
        .order_by("closes", "pk"),
    }


@dataclass(frozen=True)
class ChoicePage:
    period: ChoicePeriod
    alternatives: list[ChoiceAlternative]
    # The student's standing choice in the period, with its items, if any.
    choice: StudyChoice | None
    can_choose: Verdict
    can_remove: Verdict | None


def choice_period(person: Person, public_id: uuid.UUID) -> ChoicePeriod | None:
    """A choice period of one of the student's programmes, with its alternatives."""
    alternatives = ChoiceAlternative.objects.select_related(
        "course_instance__course", "specialisation_instance__programme"
    )
    return (
        _periods(person)
        .prefetch_related(Prefetch("alternatives", queryset=alternatives))
        .filter(public_id=public_id)
        .first()
    )


def choice_page(
    person: Person, period: ChoicePeriod, settings: InstitutionSettings, today: datetime.date
) -> ChoicePage:
    """The period, its alternatives and rules, the student's choice and what they may do."""
    choice = (
        StudyChoice.objects.filter(person=person, period=period, removed_at__isnull=True)
        .prefetch_related(with_participations())
        .first()
    )
    alternatives = list(period.alternatives.all())
    if choice is not None:
        choice.period = period
        # The items show their alternative's course details, loaded once with the period.
        by_pk = {alternative.pk: alternative for alternative in alternatives}
        for item in choice.items.all():
            item.alternative = by_pk[item.alternative_id]
    return ChoicePage(
        period=period,
        alternatives=alternatives,
        choice=choice,
        can_choose=can_choose(period, chosen=choice is not None, today=today),
        can_remove=None if choice is None else can_remove_choice(choice, settings, today),
    )


@dataclass(frozen=True)
class OfferPage:
    offer: ApplicationOffer
    # The student's standing application on the offer, if any.
    application: Application | None
    can_apply: Verdict
    can_remove: Verdict | None

    @property
    def name(self) -> str:
        """What the offer is for: the course's or the specialisation's name."""
        if self.offer.course_instance is not None:
            return self.offer.course_instance.course.name
        return self.offer.specialisation_instance.programme.name


def offer(person: Person, public_id: uuid.UUID) -> ApplicationOffer | None:
    """An application offer of one of the student's programmes."""
    return _offers(person).filter(public_id=public_id).first()


def offer_page(
    person: Person, offer: ApplicationOffer, settings: InstitutionSettings, today: datetime.date
) -> OfferPage:
    application = (
        offer.applications.filter(person=person, removed_at__isnull=True)
        .select_related("course_participation", "programme_participation")
        .first()
    )
    if application is None:
        return OfferPage(
            offer=offer,
            application=None,
            can_apply=eligibility.application_window(offer.opens, offer.closes, today),
            can_remove=None,
        )
    return OfferPage(
        offer=offer,
        application=application,
        can_apply=Verdict(False, ""),
        can_remove=eligibility.can_remove_application(application, settings, today),
    )


# --- Removing what brought the student to a course (S-CHOICE-2, S-APP-2) ------------------------


@dataclass(frozen=True)
class Removal:
    """The study choice or application that gave the student a course participation, and
    whether they may remove it now (the rule of the choice and application pages)."""

    choice: StudyChoice | None
    application: Application | None
    verdict: Verdict

    @property
    def is_choice(self) -> bool:
        return self.choice is not None

    @property
    def closes(self) -> datetime.date:
        return self.choice.period.closes if self.choice else self.application.offer.closes

    @property
    def courses(self) -> list[str]:
        """What else goes with a choice: its items' course or specialisation names."""
        if self.choice is None:
            return []
        return [
            held.course_instance.course.name
            if (held := item.course_participation) is not None
            else item.alternative.specialisation_instance.programme.name
            for item in self.choice.items.all()
        ]


def removal(
    participation: CourseParticipation, settings: InstitutionSettings, today: datetime.date
) -> Removal | None:
    """The standing choice or application behind the participation, if any. Two queries at
    most; none for a participation that came by admission."""
    if participation.source == ParticipationSource.CHOICE:
        choice = (
            StudyChoice.objects.filter(
                items__course_participation=participation, removed_at__isnull=True
            )
            .select_related("period")
            .prefetch_related(
                Prefetch(
                    "items",
                    queryset=StudyChoiceItem.objects.select_related(
                        "course_participation__course_instance__course",
                        "programme_participation",
                        "alternative__specialisation_instance__programme",
                    ).order_by("alternative__position", "alternative_id"),
                )
            )
            .first()
        )
        if choice is None:
            return None
        return Removal(choice, None, can_remove_choice(choice, settings, today))
    if participation.source == ParticipationSource.APPLICATION:
        application = (
            Application.objects.filter(course_participation=participation, removed_at__isnull=True)
            .select_related("offer", "course_participation", "programme_participation")
            .first()
        )
        if application is None:
            return None
        return Removal(
            None, application, eligibility.can_remove_application(application, settings, today)
        )
    return None
