"""Whether a student may sign up for or cancel an activity session now, and if not, why and
when (S-EXAM-4, B-1). The services refuse with these verdicts; the pages show them."""

import datetime

from django.utils.translation import gettext as _

from exams.models import ActivitySession, Signup
from institutions.models import InstitutionSettings
from registration.eligibility import YES, Verdict


def can_sign_up(  # noqa: PLR0911 - one early answer per rule reads best here
    session: ActivitySession,
    *,
    takes_course: bool,
    signup: Signup | None,
    taken_places: int,
    today: datetime.date,
) -> Verdict:
    if signup is not None and signup.is_active:
        return Verdict(False, _("You are signed up."))
    if not takes_course:
        return Verdict(False, _("The session is for students registered on its course."))
    if session.signup_opens is None or session.signup_closes is None:
        return Verdict(False, _("Students do not sign up for this session themselves."))
    if today < session.signup_opens:
        return Verdict(
            False,
            _("Sign-up opens %(date)s.") % {"date": session.signup_opens.isoformat()},
            opens_on=session.signup_opens,
        )
    if today > session.signup_closes:
        return Verdict(
            False, _("Sign-up closed %(date)s.") % {"date": session.signup_closes.isoformat()}
        )
    if session.capacity is not None and taken_places >= session.capacity:
        return Verdict(
            False,
            _("The session is full: all %(places)s places are taken.")
            % {"places": session.capacity},
        )
    return YES


def can_cancel(
    session: ActivitySession,
    signup: Signup | None,
    settings: InstitutionSettings,
    today: datetime.date,
) -> Verdict:
    if signup is None or not signup.is_active:
        return Verdict(False, _("You are not signed up."))
    if not settings.allow_exam_cancel or not session.students_may_cancel:
        return Verdict(
            False, _("Contact your university's study administration to cancel this sign-up.")
        )
    if session.signup_closes is None or today > session.signup_closes:
        return Verdict(False, _("Sign-ups can no longer be cancelled: the sign-up period is over."))
    return YES
