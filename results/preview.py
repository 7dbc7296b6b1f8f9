"""What certifying a batch will do, shown before the decision (B-4, T-CERT-1, T-CERT-3).

The preview lists exactly the students, grades and dates that become visible, to whom, and flags
what looks wrong so the examiner looks twice: a date after today, a grade or date that differs
from what the teacher marked ready, a student no longer registered on the instance, a failing
course grade. Warnings never block: the examiner decides. Two queries whatever the batch size
(the results, and the participations on the instance).
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ladokportal import clock
from registration.models import ParticipationState
from results.models import Result, ResultState
from results.queries import certify as certify_queries


@dataclass
class PreviewRow:
    result: Result
    warnings: list[str] = field(default_factory=list)
    # Whether the student has an e-mail address: they are told by e-mail too (B-2).
    emailed: bool = False


@dataclass
class Preview:
    rows: list[PreviewRow]
    # Chosen results that can no longer be certified (not ready any more, or gone).
    missing: int = 0

    @property
    def warning_count(self) -> int:
        return sum(1 for r in self.rows if r.warnings)


def _day(value: datetime.date) -> str:
    return value.isoformat()  # the portal's one date format, in both languages


def warnings_for(
    result: Result, participation_state: str | None, today: datetime.date
) -> list[str]:
    found = []
    if result.examination_date > today:
        found.append(
            _("The examination date %(date)s is after today.")
            % {"date": _day(result.examination_date)}
        )
    if result.ready_grade_id is not None and result.ready_grade_id != result.grade_id:
        found.append(
            _("The grade was %(before)s when marked as ready; it is now %(after)s.")
            % {"before": result.ready_grade.code, "after": result.grade.code}
        )
    if result.ready_date is not None and result.ready_date != result.examination_date:
        found.append(
            _("The date was %(before)s when marked as ready; it is now %(after)s.")
            % {"before": _day(result.ready_date), "after": _day(result.examination_date)}
        )
    if participation_state not in certify_queries.ON_INSTANCE:
        if participation_state is None:
            found.append(_("The student is not registered on this course instance."))
        else:
            found.append(
                _("The student is no longer registered on this course instance (%(state)s).")
                % {"state": ParticipationState(participation_state).label.lower()}
            )
    if result.module_id is None and not result.grade.passing:
        found.append(_("This is a failing grade on the whole course."))
    return found


def build(results: list[Result], chosen: int) -> Preview:
    """The preview of certifying `results` (loaded with certify_queries.results_by_public_id,
    all of one course instance); `chosen` is how many the examiner chose."""
    ready = [r for r in results if r.state == ResultState.READY]
    today = clock.today()
    states = (
        certify_queries.participation_states(
            ready[0].course_instance_id, [r.person_id for r in ready]
        )
        if ready
        else {}
    )
    rows = [
        PreviewRow(r, warnings_for(r, states.get(r.person_id), today), bool(r.person.email))
        for r in ready
    ]
    return Preview(rows=rows, missing=chosen - len(rows))
