"""Whether a student may do something now, and if not, why and when (B-1).

One source of truth: the services call these functions before they act and refuse with the
verdict's reason; the pages call the same functions to decide whether to offer a button, and
show the reason where they do not.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from catalog.models import CourseInstancePeriod
from fees.templatetags.money import kronor
from institutions.models import InstitutionSettings
from ladokportal import clock
from registration.models import (
    ACTIVE_STATES,
    Application,
    CourseParticipation,
    ParticipationState,
    ProgrammeParticipation,
)
from results.models import VISIBLE_TO_STUDENT, Result

if TYPE_CHECKING:
    from fees.queries import FeeHold

S = ParticipationState


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""
    # When the action becomes possible, if it will (e.g. a registration period that opens later).
    opens_on: datetime.date | None = None
    # Refused only because a tuition fee is unpaid (#15): the start page says so.
    fee_unpaid: bool = False

    def __bool__(self) -> bool:
        return self.allowed


YES = Verdict(True)


def _contact(settings: InstitutionSettings) -> str:
    email = settings.institution.contact_email
    if email:
        return _("Contact your university's study administration: %(email)s.") % {"email": email}
    return _("Contact your university's study administration.")


def registration_period_state(
    period: CourseInstancePeriod, today: datetime.date
) -> tuple[str, int | None]:
    """("open" | "upcoming" | "closed" | "none", days until opening for an upcoming period)."""
    if period.registration_opens is None or period.registration_closes is None:
        return "none", None
    if today < period.registration_opens:
        return "upcoming", (period.registration_opens - today).days
    if today > period.registration_closes:
        return "closed", None
    return "open", None


def can_register(  # noqa: PLR0911 - one early answer per rule reads best here
    participation: CourseParticipation,
    period: CourseInstancePeriod,
    registered_sequences: set[int],
    today: datetime.date,
    *,
    staff: bool = False,
    fee_hold: "FeeHold | None" = None,
) -> Verdict:
    """S-REG-1..4: within the period's window, admitted (or already registered for an earlier
    period: continuation), not twice, not after withdrawal, in order of the study periods.
    Study administrators (staff=True) register outside the window too. A fee-liable student
    whose fee period for the term has its first instalment unpaid (`fee_hold`, from
    fees.queries.registration_holds) waits until it is paid (#15)."""
    # Staff read about the student, the student about themselves (#12 point 6).
    if participation.state in (S.WITHDRAWN, S.CANCELLED):
        return Verdict(
            False,
            _("The student has withdrawn from this course.")
            if staff
            else _("You have withdrawn from this course."),
        )
    if participation.state in (S.DROPPED, S.CHANGED_INSTANCE, S.COMPLETED):
        return Verdict(
            False,
            _("The student is no longer taking this course instance.")
            if staff
            else _("You are no longer taking this course instance."),
        )
    if period.sequence in registered_sequences:
        return Verdict(
            False,
            _("The student is already registered for this study period.")
            if staff
            else _("You are already registered for this study period."),
        )
    if participation.scope_period_id and participation.scope_period_id != period.pk:
        return Verdict(
            False,
            _("The student's change of instance covers another study period.")
            if staff
            else _("Your change of instance covers another study period."),
        )
    earlier = set(range(1, period.sequence))
    if participation.scope_period_id is None and not earlier <= registered_sequences:
        return Verdict(
            False,
            _("Register the student for the earlier study periods of the course first.")
            if staff
            else _("Register for the earlier study periods of the course first."),
        )
    if staff:
        return YES
    state, _days = registration_period_state(period, today)
    if state == "upcoming":
        return Verdict(
            False,
            _("Registration opens %(date)s.") % {"date": period.registration_opens.isoformat()},
            opens_on=period.registration_opens,
        )
    if state == "closed":
        return Verdict(
            False,
            _("The registration period ended %(date)s. Contact your university to register.")
            % {"date": period.registration_closes.isoformat()},
        )
    if state == "none":
        return Verdict(False, _("This course has no registration period you can use yourself."))
    return fee_paid(fee_hold)


def fee_paid(hold: "FeeHold | None") -> Verdict:
    """#15 build point 2 (B-1): a fee-liable student registers on a fee period only when its
    first instalment is paid; the reason says what to pay and by when."""
    if hold is None or not hold.blocks:
        return YES
    if not hold.invoiced or not hold.sent:
        return Verdict(
            False,
            _(
                "You pay a tuition fee for this term. Your invoice has not been sent yet; you "
                "can register when its first instalment is paid."
            ),
            fee_unpaid=True,
        )
    return Verdict(
        False,
        _(
            "Pay the first instalment of your tuition fee, %(amount)s, by %(date)s "
            "(reference number %(reference)s). You can register when it is paid."
        )
        % {
            "amount": kronor(hold.amount_due),
            "date": hold.due_date.isoformat() if hold.due_date else "",
            "reference": hold.reference,
        },
        fee_unpaid=True,
    )


def can_withdraw(
    participation: CourseParticipation | ProgrammeParticipation, settings: InstitutionSettings
) -> Verdict:
    """S-WD-1: withdrawal (återbud) from a place not yet taken up."""
    if not settings.allow_withdrawal:
        return Verdict(False, _("Your university handles withdrawals.") + " " + _contact(settings))
    if participation.state == S.REGISTERED and isinstance(participation, ProgrammeParticipation):
        return Verdict(False, _("You are registered. To leave the programme, drop out instead."))
    if participation.state == S.REGISTERED:
        return Verdict(False, _("You are registered. To leave the course, drop out instead."))
    if participation.state not in (S.ADMITTED, S.EXPECTED):
        return Verdict(False, _("There is no place to withdraw from."))
    return YES


def can_drop_out(
    participation: CourseParticipation | ProgrammeParticipation, settings: InstitutionSettings
) -> Verdict:
    """S-WD-2: dropout (avbrott) from registered studies."""
    if not settings.allow_dropout:
        return Verdict(False, _("Your university handles dropouts.") + " " + _contact(settings))
    if participation.state != S.REGISTERED:
        return Verdict(False, _("You can drop out only from studies you are registered on."))
    return YES


def passed_result_exists(course_instance_ref: str = "course_instance") -> Exists:
    """For annotating participations: whether the student has a passing result a student may
    see (certified, not removed) on the participation's course instance. The pages annotate
    it; is_early_dropout asks the database itself when it is not given."""
    return Exists(_passed_results(OuterRef("person_id"), OuterRef(course_instance_ref)))


def _passed_results(person_id, course_instance_id) -> QuerySet[Result]:
    return Result.objects.with_scopes_disabled().filter(
        person_id=person_id,
        course_instance_id=course_instance_id,
        state__in=VISIBLE_TO_STUDENT,
        grade__passing=True,
    )


def is_early_dropout(
    participation: CourseParticipation,
    settings: InstitutionSettings,
    today: datetime.date,
    *,
    first_exam: datetime.datetime | None = None,
    passed: bool | None = None,
) -> bool:
    """Early dropout (tidigt avbrott, S-WD-2): within the university's number of weeks from the
    course start, before the course instance's first activity session has begun (`first_exam`,
    from exams.models.first_session_start), and with no passed result on the instance (a module
    or the course, certified and not removed; drafts and results marked ready are not decisions
    yet). `passed` comes from passed_result_exists() where a page annotated it; left out, one
    query asks, so the services apply the very same rule."""
    start = participation.course_instance.start_date
    if today >= start + datetime.timedelta(weeks=settings.early_dropout_weeks):
        return False
    if first_exam is not None and clock.date_of(first_exam) <= today:
        return False
    if passed is None:
        # Results hang on a person and an instance: without both stored there are none.
        stored = participation.person_id is not None and participation.course_instance_id
        passed = (
            bool(stored)
            and _passed_results(participation.person_id, participation.course_instance_id).exists()
        )
    return not passed


def can_change_instance(
    participation: CourseParticipation, settings: InstitutionSettings
) -> Verdict:
    """S-SWAP-1."""
    if not settings.allow_change_instance:
        return Verdict(
            False,
            _("Your university handles changes of course instance.") + " " + _contact(settings),
        )
    if participation.state not in (S.ADMITTED, S.EXPECTED, S.REGISTERED):
        return Verdict(False, _("You can change instance only on a course you are taking."))
    return YES


def application_window(
    opens: datetime.date, closes: datetime.date, today: datetime.date
) -> Verdict:
    """S-APP-1: applications are possible within the offer's application period only."""
    if today < opens:
        return Verdict(
            False, _("Applications open %(date)s.") % {"date": opens.isoformat()}, opens_on=opens
        )
    if today > closes:
        return Verdict(
            False, _("The application period ended %(date)s.") % {"date": closes.isoformat()}
        )
    return YES


def choice_window(opens: datetime.date, closes: datetime.date, today: datetime.date) -> Verdict:
    """S-CHOICE-1: study choices are possible within the choice period only."""
    if today < opens:
        return Verdict(
            False,
            _("The choice period opens %(date)s.") % {"date": opens.isoformat()},
            opens_on=opens,
        )
    if today > closes:
        return Verdict(False, _("The choice period ended %(date)s.") % {"date": closes.isoformat()})
    return YES


def is_active(state: str) -> bool:
    return state in ACTIVE_STATES


def can_remove_application(
    application: Application, settings: InstitutionSettings, today: datetime.date
) -> Verdict:
    """S-APP-2: where the university allows it, within the application period, before the
    student has registered on what they applied for."""
    if not settings.allow_remove_application:
        return Verdict(False, _("Your university does not let students remove applications."))
    offer = application.offer
    if today > offer.closes:
        return Verdict(
            False,
            _("The application period ended %(date)s, so the application can no longer be removed.")
            % {"date": offer.closes.isoformat()},
        )
    if application.removed_at is not None:
        return Verdict(False, _("The application has already been removed."))
    held = application.course_participation or application.programme_participation
    if held is not None and held.state in (S.REGISTERED, S.COMPLETED, S.DROPPED):
        return Verdict(False, _("You have registered on what you applied for, so it stands."))
    if held is not None and held.state != S.EXPECTED:
        return Verdict(False, _("You no longer hold the place you applied for."))
    return YES
