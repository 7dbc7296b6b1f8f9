"""What students and study administrators do with participations: one function per action.

Each service checks the actor's right, locks the participation it changes, asks eligibility.py
whether the action is allowed now (the same rule the pages show), changes state through
workflow.transition (which writes the history) and commits as one transaction. A refusal raises
RegistrationError with a message fit to show the person.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CourseInstance, CourseInstancePeriod
from exams.models import ActivitySession
from institutions.models import InstitutionSettings
from ladokportal import clock
from ladokportal.errors import DomainError, NotAllowed
from ladokportal.templatetags.portal import credits as format_credits
from people.models import Person, User
from people.rules import administers_studies_at
from registration import eligibility, workflow
from registration.models import (
    ACTIVE_STATES,
    Application,
    ApplicationOffer,
    CourseParticipation,
    LeaveOfAbsence,
    ParticipationSource,
    ParticipationState,
    ProgrammeParticipation,
    Registration,
)
from registration.rules import manages_course_instance

S = ParticipationState


class RegistrationError(DomainError):
    """An action the person may not take now; the message says why."""


def _refuse_unless(verdict: eligibility.Verdict) -> None:
    if not verdict:
        raise RegistrationError(verdict.reason)


def _require_own(actor: User, person_id: int) -> None:
    if actor.person_id != person_id:
        raise NotAllowed(_("A student acts only on their own studies."))


def _settings(institution_id: int) -> InstitutionSettings:
    return InstitutionSettings.objects.select_related("institution").get(
        institution_id=institution_id
    )


def _lock_course(participation: CourseParticipation) -> CourseParticipation:
    return (
        CourseParticipation.objects.select_for_update(of=("self",))
        .select_related("course_instance__course")
        .get(pk=participation.pk)
    )


def _lock_programme(participation: ProgrammeParticipation) -> ProgrammeParticipation:
    return ProgrammeParticipation.objects.select_for_update().get(pk=participation.pk)


def _registered_sequences(participation: CourseParticipation) -> set[int]:
    return set(
        CourseInstancePeriod.objects.filter(
            course_instance_id=participation.course_instance_id,
            study_period__in=participation.registrations.values("study_period"),
        ).values_list("sequence", flat=True)
    )


# --- Registration (S-REG-1..4) ------------------------------------------------------------------


def register(
    actor: User, *, participation: CourseParticipation, period: CourseInstancePeriod
) -> Registration:
    """The student registers on a study period of their course instance."""
    _require_own(actor, participation.person_id)
    return _register(actor, participation, period, staff=False)


def register_on_behalf(
    actor: User, *, participation: CourseParticipation, period: CourseInstancePeriod
) -> Registration:
    """A study administrator registers a student, also outside the registration period."""
    if not manages_course_instance(actor, participation.course_instance):
        raise NotAllowed(
            _("Only the course's study administrators register on a student's behalf.")
        )
    return _register(actor, participation, period, staff=True)


def _register(
    actor: User, participation: CourseParticipation, period: CourseInstancePeriod, *, staff: bool
) -> Registration:
    if period.course_instance_id != participation.course_instance_id:
        raise RegistrationError(_("That study period does not belong to this course instance."))
    with transaction.atomic():
        # Every service locks a programme place before its courses: a registration racing a
        # programme withdrawal or dropout then waits for it instead of deadlocking.
        programme = (
            ProgrammeParticipation.objects.select_for_update().get(
                pk=participation.programme_participation_id
            )
            if participation.programme_participation_id
            else None
        )
        # The course lock serialises two clicks (or a registration racing a withdrawal): the
        # second request waits here and then sees what the first did.
        locked = _lock_course(participation)
        _refuse_unless(
            eligibility.can_register(
                locked,
                period,
                _registered_sequences(locked),
                clock.today(),
                staff=staff,
                fee_hold=None if staff else _fee_hold(locked, programme, period),
            )
        )
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    institution_id=locked.institution_id,
                    participation=locked,
                    course_instance_id=locked.course_instance_id,
                    study_period_id=period.study_period_id,
                    registered_by=actor,
                )
        except IntegrityError:
            raise RegistrationError(
                _("You are already registered for this study period.")
            ) from None
        note = f"study period {period.sequence}"
        if locked.state == S.REGISTERED:
            workflow.record(
                locked, from_state=S.REGISTERED, actor=actor, note=f"continuation, {note}"
            )
        else:
            workflow.transition(locked, S.REGISTERED, actor=actor, note=note)
        _register_programme_too(actor, programme)
    return registration


def _fee_hold(
    participation: CourseParticipation,
    programme: ProgrammeParticipation | None,
    period: CourseInstancePeriod,
):
    """#15: the student's unpaid fee period for this term of the course or its programme."""
    from fees import queries as fee_queries

    programme_instance_id = programme.programme_instance_id if programme else None
    holds = fee_queries.registration_holds(
        participation.person_id,
        course_instance_ids=[participation.course_instance_id],
        programme_instance_ids=[programme_instance_id] if programme_instance_id else [],
    )
    return fee_queries.hold_for(
        holds,
        course_instance_id=participation.course_instance_id,
        programme_instance_id=programme_instance_id,
        study_period_id=period.study_period_id,
    )


def _register_programme_too(actor: User, programme: ProgrammeParticipation | None) -> None:
    """Registering on a programme's course takes up the place on the programme as well."""
    if programme is not None and programme.state in (S.ADMITTED, S.EXPECTED):
        workflow.transition(programme, S.REGISTERED, actor=actor, note="registered on a course")


# --- Withdrawal and dropout (S-WD-1..3) ---------------------------------------------------------


def withdraw(actor: User, *, participation: CourseParticipation) -> None:
    """Withdrawal (återbud) from a course: the place goes to the next applicant."""
    _require_own(actor, participation.person_id)
    with transaction.atomic():
        locked = _lock_course(participation)
        _refuse_unless(eligibility.can_withdraw(locked, _settings(locked.institution_id)))
        workflow.transition(locked, S.WITHDRAWN, actor=actor, note="withdrawn by the student")


def withdraw_from_programme(
    actor: User, *, participation: ProgrammeParticipation
) -> list[CourseParticipation]:
    """Withdrawal from a programme withdraws from its courses too; returns those courses."""
    _require_own(actor, participation.person_id)
    with transaction.atomic():
        locked = _lock_programme(participation)
        _refuse_unless(eligibility.can_withdraw(locked, _settings(locked.institution_id)))
        courses = list(
            locked.course_participations.select_for_update()
            .filter(state__in=[S.ADMITTED, S.EXPECTED, S.REGISTERED])
            .order_by("pk")
        )
        if any(course.state == S.REGISTERED for course in courses):
            raise RegistrationError(
                _(
                    "You are registered on a course in this programme. "
                    "To leave it, drop out instead."
                )
            )
        workflow.transition(locked, S.WITHDRAWN, actor=actor, note="withdrawn by the student")
        for course in courses:
            workflow.transition(
                course, S.WITHDRAWN, actor=actor, note="withdrawn with the programme"
            )
    return courses


def drop_out(actor: User, *, participation: CourseParticipation) -> bool:
    """Dropout (avbrott) from a registered course. Returns whether it was an early dropout,
    which counts the course as never started (hidden, and the student may apply again)."""
    _require_own(actor, participation.person_id)
    with transaction.atomic():
        locked = _lock_course(participation)
        settings = _settings(locked.institution_id)
        _refuse_unless(eligibility.can_drop_out(locked, settings))
        early = eligibility.is_early_dropout(
            locked, settings, clock.today(), first_exam=_first_exam(locked)
        )
        _drop(actor, locked, early=early, note="dropout by the student")
    return early


def _first_exam(participation: CourseParticipation):
    return (
        ActivitySession.objects.filter(course_instances=participation.course_instance_id)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )


def _drop(actor: User, participation: CourseParticipation, *, early: bool, note: str) -> None:
    workflow.transition(
        participation, S.DROPPED, actor=actor, note=("early " if early else "") + note
    )
    if early:
        participation.early_dropout = True
        participation.save(update_fields=["early_dropout"])


def drop_out_of_programme(
    actor: User, *, participation: ProgrammeParticipation
) -> list[CourseParticipation]:
    """Dropout from a programme applies to its courses: registered ones are dropped, places not
    yet taken up are withdrawn. Returns the courses it touched."""
    _require_own(actor, participation.person_id)
    today = clock.today()
    with transaction.atomic():
        locked = _lock_programme(participation)
        settings = _settings(locked.institution_id)
        _refuse_unless(eligibility.can_drop_out(locked, settings))
        courses = list(
            locked.course_participations.select_for_update(of=("self",))
            .select_related("course_instance")
            .filter(state__in=[S.ADMITTED, S.EXPECTED, S.REGISTERED])
            .order_by("pk")
        )
        workflow.transition(locked, S.DROPPED, actor=actor, note="dropout by the student")
        for course in courses:
            if course.state == S.REGISTERED:
                early = eligibility.is_early_dropout(
                    course, settings, today, first_exam=_first_exam(course)
                )
                _drop(actor, course, early=early, note="dropout with the programme")
            else:
                workflow.transition(
                    course, S.WITHDRAWN, actor=actor, note="dropout with the programme"
                )
    return courses


# --- Change of course instance (S-SWAP-1) -------------------------------------------------------


def change_instance_targets(participation: CourseParticipation) -> list[CourseInstance]:
    """Other instances of the same course that have not ended and on which the student holds,
    or has held, no place: going back to an instance left by a change, a withdrawal or a
    dropout would undo it, and re-entry goes through the institution (S-SWAP-1, S-WD-3).
    A removed application (cancelled) left no place behind."""
    taken = (
        CourseParticipation.objects.filter(person_id=participation.person_id)
        .exclude(state=S.CANCELLED)
        .values("course_instance")
    )
    return list(
        CourseInstance.objects.filter(
            course_id=participation.course_instance.course_id,
            end_date__gte=clock.today(),
        )
        .exclude(pk__in=taken)
        .select_related("course")
        .prefetch_related("periods__study_period")
        .order_by("start_date")
    )


def change_instance(
    actor: User,
    *,
    participation: CourseParticipation,
    target: CourseInstance,
    scope_credits: Decimal | None = None,
    scope_period: CourseInstancePeriod | None = None,
) -> CourseParticipation:
    """Move the student's place to another instance of the same course. The student then
    registers on the new instance; the change cannot be undone by the student."""
    _require_own(actor, participation.person_id)
    with transaction.atomic():
        locked = _lock_course(participation)
        settings = _settings(locked.institution_id)
        _refuse_unless(eligibility.can_change_instance(locked, settings))
        if target.pk not in {i.pk for i in change_instance_targets(locked)}:
            raise RegistrationError(_("You cannot change to that course instance."))
        _check_partial_scope(settings, locked, target, scope_credits, scope_period)
        workflow.transition(
            locked, S.CHANGED_INSTANCE, actor=actor, note=f"changed to {target.instance_code}"
        )
        new = CourseParticipation.objects.create(
            institution_id=locked.institution_id,
            person_id=locked.person_id,
            course_instance=target,
            programme_participation_id=locked.programme_participation_id,
            state=S.ADMITTED,
            source=ParticipationSource.CHANGE,
            changed_from=locked,
            scope_credits=scope_credits,
            scope_period=scope_period,
        )
        workflow.record(
            new,
            from_state="",
            actor=actor,
            note=f"changed from {locked.course_instance.instance_code}",
        )
    return new


def _check_partial_scope(
    settings: InstitutionSettings,
    participation: CourseParticipation,
    target: CourseInstance,
    credits: Decimal | None,
    period: CourseInstancePeriod | None,
) -> None:
    if credits is None and period is None:
        return
    if not settings.allow_partial_reregistration:
        raise RegistrationError(
            _("Your university does not allow re-registration on part of a course.")
        )
    course_credits = participation.course_instance.course.credits
    if credits is not None and not Decimal(0) < credits <= course_credits:
        raise RegistrationError(
            _("Choose a part of the course between 0 and %(credits)s credits.")
            # The number as the language writes it (7,5 in Swedish); the unit is in the text.
            % {"credits": format_credits(course_credits).split(" ")[0]}
        )
    if period is not None and period.course_instance_id != target.pk:
        raise RegistrationError(_("That study period does not belong to the new course instance."))


# --- Applications within a programme (S-APP-1, S-APP-2) -----------------------------------------


def apply(actor: User, *, offer: ApplicationOffer) -> Application:
    """Confirmed application: expected participation on the course or specialisation."""
    person = _person(actor)
    with transaction.atomic():
        programme = (
            ProgrammeParticipation.objects.select_for_update()
            .filter(
                person=person,
                programme_instance_id=offer.programme_instance_id,
                state__in=ACTIVE_STATES,
            )
            .first()
        )
        if programme is None:
            raise RegistrationError(_("You can apply only within a programme you take."))
        _refuse_unless(eligibility.application_window(offer.opens, offer.closes, clock.today()))
        if Application.objects.filter(person=person, offer=offer, removed_at__isnull=True).exists():
            raise RegistrationError(_("You have already applied."))
        course, spec = expected_participation(
            actor,
            person=person,
            programme=programme,
            course_instance=offer.course_instance,
            specialisation_instance=offer.specialisation_instance,
            source=ParticipationSource.APPLICATION,
        )
        try:
            with transaction.atomic():
                return Application.objects.create(
                    institution_id=offer.institution_id,
                    person=person,
                    offer=offer,
                    course_participation=course,
                    programme_participation=spec,
                )
        except IntegrityError:
            raise RegistrationError(_("You have already applied.")) from None


def remove_application(actor: User, *, application: Application) -> None:
    """Within the period, where the university allows it; the student may apply again."""
    _require_own(actor, application.person_id)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update().select_related("offer").get(pk=application.pk)
        )
        _refuse_unless(
            eligibility.can_remove_application(
                locked, _settings(locked.institution_id), clock.today()
            )
        )
        if locked.removed_at is not None:
            raise RegistrationError(_("The application has already been removed."))
        cancel_expected(
            actor,
            locked.course_participation,
            locked.programme_participation,
            note="application removed",
        )
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at"])


def _person(actor: User) -> Person:
    if actor.person_id is None:
        raise NotAllowed(_("Only students apply."))
    return actor.person


def expected_participation(
    actor: User,
    *,
    person: Person,
    programme: ProgrammeParticipation,
    course_instance: CourseInstance | None,
    specialisation_instance,
    source: str,
) -> tuple[CourseParticipation | None, ProgrammeParticipation | None]:
    """Expected participation (förväntat deltagande) on a course instance or a specialisation."""
    target = course_instance or specialisation_instance
    model = CourseParticipation if course_instance else ProgrammeParticipation
    lookup = {"course_instance": target} if course_instance else {"programme_instance": target}
    if model.objects.filter(person=person, state__in=ACTIVE_STATES, **lookup).exists():
        raise RegistrationError(
            _("You already have a place on %(name)s.") % {"name": _target_name(target)}
        )
    extra = {"programme_participation": programme, "source": source} if course_instance else {}
    participation = model.objects.create(
        institution_id=programme.institution_id, person=person, state=S.EXPECTED, **lookup, **extra
    )
    workflow.record(participation, from_state="", actor=actor, note=source)
    return (participation, None) if course_instance else (None, participation)


def _target_name(target: CourseInstance | object) -> str:
    return str(getattr(target, "course", None) or getattr(target, "programme", target))


def cancel_expected(
    actor: User,
    course: CourseParticipation | None,
    programme: ProgrammeParticipation | None,
    *,
    note: str,
) -> None:
    """Take back the expected participation an application or choice gave (within its period).
    Once the student has registered, the place is theirs and only dropout applies."""
    if course is not None:
        locked = _lock_course(course)
        if locked.state != S.EXPECTED:
            raise RegistrationError(_("You have registered on the course: drop out instead."))
        workflow.transition(locked, S.CANCELLED, actor=actor, note=note)
    if programme is not None:
        locked = _lock_programme(programme)
        if locked.state != S.EXPECTED:
            raise RegistrationError(_("You have started the specialisation: drop out instead."))
        workflow.transition(locked, S.CANCELLED, actor=actor, note=note)


# --- Study administration (T-ADM-3) -------------------------------------------------------------


def admit(
    actor: User,
    *,
    person: Person,
    course_instance: CourseInstance,
    programme_participation: ProgrammeParticipation | None = None,
) -> CourseParticipation:
    """A study administrator gives a student a place on a course instance."""
    if not manages_course_instance(actor, course_instance):
        raise NotAllowed(_("Only the course's study administrators admit students."))
    if programme_participation is not None and programme_participation.person_id != person.pk:
        raise RegistrationError(_("That programme place belongs to another student."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                participation = CourseParticipation.objects.create(
                    institution_id=course_instance.institution_id,
                    person=person,
                    course_instance=course_instance,
                    programme_participation=programme_participation,
                    state=S.ADMITTED,
                    source=ParticipationSource.STAFF,
                )
        except IntegrityError:
            raise RegistrationError(
                _("The student already has a place on this course instance.")
            ) from None
        workflow.record(
            participation, from_state="", actor=actor, note="admitted by study administration"
        )
    return participation


# A leave of absence is a pause in a programme: it begins within the programme's years and lasts
# at most this long (#17 point 4: no leave from 0001-01-01 to 9999-12-31).
LEAVE_LONGEST = datetime.timedelta(days=2 * 366)


def _check_leave_dates(instance, start: datetime.date, end: datetime.date) -> None:
    if not instance.start_date <= start <= instance.end_date:
        raise RegistrationError(
            _("The leave must begin while the programme runs, between %(first)s and %(last)s.")
            % {"first": instance.start_date.isoformat(), "last": instance.end_date.isoformat()}
        )
    if end - start > LEAVE_LONGEST:
        raise RegistrationError(_("A leave of absence lasts at most two years."))


def record_leave(
    actor: User,
    *,
    participation: ProgrammeParticipation,
    start: datetime.date,
    end: datetime.date,
    guaranteed_return: bool,
) -> LeaveOfAbsence:
    """A leave of absence (studieuppehåll) from a programme, shown on the programme page."""
    if not administers_studies_at(actor, participation.institution_id):
        raise NotAllowed(_("Only study administrators record a leave of absence."))
    if end < start:
        raise RegistrationError(_("The leave must end on or after the day it starts."))
    _check_leave_dates(participation.programme_instance, start, end)
    with transaction.atomic():
        locked = _lock_programme(participation)
        if locked.state not in ACTIVE_STATES:
            raise RegistrationError(_("The student is no longer on this programme."))
        if locked.leaves.filter(start_date__lte=end, end_date__gte=start).exists():
            raise RegistrationError(_("The leave overlaps a leave already recorded."))
        leave = LeaveOfAbsence.objects.create(
            institution_id=locked.institution_id,
            programme_participation=locked,
            start_date=start,
            end_date=end,
            with_guaranteed_return=guaranteed_return,
            recorded_by=actor,
        )
        workflow.record(
            locked,
            from_state=locked.state,
            actor=actor,
            note=f"leave of absence {start.isoformat()} – {end.isoformat()}",
        )
    return leave
