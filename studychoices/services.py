"""What a student does with study choices within a programme (S-CHOICE-1, S-CHOICE-2).

A choice is checked against the period's rules before anything is written, and each refusal
names the rule that was broken. A confirmed choice gives expected participation (förväntat
deltagande) on every chosen course instance or specialisation, through the same function that
applications use (registration.services.expected_participation), and history is written in the
same transaction. The verdict functions here are what the pages ask as well (B-1).
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from institutions.models import InstitutionSettings
from ladokportal import clock
from ladokportal.errors import NotAllowed
from ladokportal.templatetags.portal import credits as format_credits
from people.models import Person, User
from registration import eligibility
from registration.eligibility import YES, Verdict
from registration.models import (
    ACTIVE_STATES,
    ParticipationSource,
    ParticipationState,
    ProgrammeParticipation,
)
from registration.services import RegistrationError, cancel_expected, expected_participation
from studychoices.models import ChoiceAlternative, ChoicePeriod, StudyChoice, StudyChoiceItem


class StudyChoiceError(RegistrationError):
    """A choice the student may not make or remove now; the message says which rule."""


# --- Verdicts: the services refuse with them, the pages show them (B-1) -------------------------


def can_choose(period: ChoicePeriod, *, chosen: bool, today: datetime.date) -> Verdict:
    """Within the choice period, once (until the choice is removed)."""
    if chosen:
        return Verdict(False, _("You have already made your choice in this period."))
    return eligibility.choice_window(period.opens, period.closes, today)


def can_remove_choice(
    choice: StudyChoice, settings: InstitutionSettings, today: datetime.date
) -> Verdict:
    """S-CHOICE-2: where the university allows it, within the period, before registration.
    Reads choice.items with their participations (prefetch them on a page)."""
    if not settings.allow_remove_choice:
        return Verdict(False, _("Your university does not let students remove a study choice."))
    if choice.removed_at is not None:
        return Verdict(False, _("The choice has already been removed."))
    period = choice.period
    if today > period.closes:
        return Verdict(
            False,
            _("The choice period ended %(date)s, so the choice can no longer be removed.")
            % {"date": period.closes.isoformat()},
        )
    for item in choice.items.all():
        held = item.course_participation or item.programme_participation
        if held is not None and held.state != ParticipationState.EXPECTED:
            return Verdict(False, _("You have registered on what you chose, so the choice stands."))
    return YES


def with_participations() -> Prefetch:
    """A choice's items with what they gave, as can_remove_choice reads them."""
    return Prefetch(
        "items",
        queryset=StudyChoiceItem.objects.select_related(
            "course_participation", "programme_participation"
        ).order_by("alternative__position", "alternative_id"),
    )


# --- Rules of a period --------------------------------------------------------------------------


def _number(amount: Decimal) -> str:
    """A credit amount without its unit ("30", "22.5"; "22,5" in Swedish)."""
    return format_credits(amount).split(" ")[0]


def check_rules(period: ChoicePeriod, alternatives: Sequence[ChoiceAlternative]) -> Verdict:
    """The period's rules: alternatives of this period, each once, how many, how many credits."""
    if any(alternative.period_id != period.pk for alternative in alternatives):
        return Verdict(False, _("You can only choose among the alternatives of this period."))
    if any(n > 1 for n in Counter(a.pk for a in alternatives).values()):
        return Verdict(False, _("Choose each alternative only once."))
    picks = len(alternatives)
    if picks < period.min_picks:
        return Verdict(
            False,
            ngettext(
                "Choose at least %(count)d alternative.",
                "Choose at least %(count)d alternatives.",
                period.min_picks,
            )
            % {"count": period.min_picks},
        )
    if picks > period.max_picks:
        return Verdict(
            False,
            ngettext(
                "Choose at most %(count)d alternative.",
                "Choose at most %(count)d alternatives.",
                period.max_picks,
            )
            % {"count": period.max_picks},
        )
    return _check_credits(period, alternatives)


def _check_credits(period: ChoicePeriod, alternatives: Sequence[ChoiceAlternative]) -> Verdict:
    total = sum(
        (a.course_instance.course.credits for a in alternatives if a.course_instance_id),
        Decimal(0),
    )
    low, high = period.min_credits, period.max_credits
    if (low is None or total >= low) and (high is None or total <= high):
        return YES
    values = {"total": format_credits(total)}
    if low is not None and high is not None:
        message = _("The chosen courses add up to %(total)s; choose between %(min)s and %(max)s.")
        values |= {"min": _number(low), "max": _number(high)}
    elif low is not None:
        message = _("The chosen courses add up to %(total)s; choose at least %(min)s.")
        values["min"] = format_credits(low)
    else:
        message = _("The chosen courses add up to %(total)s; choose at most %(max)s.")
        values["max"] = format_credits(high)
    return Verdict(False, message % values)


# --- Services -----------------------------------------------------------------------------------


def _refuse_unless(verdict: Verdict) -> None:
    if not verdict:
        raise StudyChoiceError(verdict.reason)


def _person(actor: User) -> Person:
    if actor.person_id is None:
        raise NotAllowed(_("Only students make study choices."))
    return actor.person


def _settings(institution_id: int) -> InstitutionSettings:
    return InstitutionSettings.objects.get(institution_id=institution_id)


def choose(
    actor: User, *, period: ChoicePeriod, alternatives: Sequence[ChoiceAlternative]
) -> StudyChoice:
    """The student's choice in a period: expected participation on each chosen alternative.
    A refused choice writes nothing."""
    person = _person(actor)
    alternatives = list(alternatives)
    with transaction.atomic():
        # Locking the student's place on the programme serialises two clicks of one student.
        programme = (
            ProgrammeParticipation.objects.select_for_update()
            .filter(
                person=person,
                programme_instance_id=period.programme_instance_id,
                state__in=ACTIVE_STATES,
            )
            .first()
        )
        if programme is None:
            raise StudyChoiceError(_("You can choose only within a programme you take."))
        chosen = StudyChoice.objects.filter(
            person=person, period=period, removed_at__isnull=True
        ).exists()
        _refuse_unless(can_choose(period, chosen=chosen, today=clock.today()))
        _refuse_unless(check_rules(period, alternatives))
        try:
            with transaction.atomic():
                choice = StudyChoice.objects.create(
                    institution_id=period.institution_id, person=person, period=period
                )
        except IntegrityError:
            raise StudyChoiceError(_("You have already made your choice in this period.")) from None
        for alternative in alternatives:
            _choose_one(actor, person, programme, choice, alternative)
    return choice


def _choose_one(
    actor: User,
    person: Person,
    programme: ProgrammeParticipation,
    choice: StudyChoice,
    alternative: ChoiceAlternative,
) -> None:
    try:
        course, specialisation = expected_participation(
            actor,
            person=person,
            programme=programme,
            course_instance=alternative.course_instance,
            specialisation_instance=alternative.specialisation_instance,
            source=ParticipationSource.CHOICE,
        )
    except RegistrationError as error:
        # "You already have a place on …": the whole choice is rolled back.
        raise StudyChoiceError(str(error)) from None
    StudyChoiceItem.objects.create(
        institution_id=choice.institution_id,
        choice=choice,
        alternative=alternative,
        course_participation=course,
        programme_participation=specialisation,
    )


def remove_choice(actor: User, *, choice: StudyChoice) -> None:
    """Within the period, where the university allows it: the expected participations are
    cancelled and the student may choose again."""
    if actor.person_id != choice.person_id:
        raise NotAllowed(_("A student removes only their own study choice."))
    with transaction.atomic():
        locked = (
            StudyChoice.objects.select_for_update(of=("self",))
            .select_related("period")
            .prefetch_related(with_participations())
            .get(pk=choice.pk)
        )
        _refuse_unless(can_remove_choice(locked, _settings(locked.institution_id), clock.today()))
        for item in locked.items.all():
            try:
                cancel_expected(
                    actor,
                    item.course_participation,
                    item.programme_participation,
                    note="study choice removed",
                )
            except RegistrationError as error:
                raise StudyChoiceError(str(error)) from None
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at"])
