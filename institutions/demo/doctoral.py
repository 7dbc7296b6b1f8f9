"""The doctoral student's programme records (S-EDU-4), seen by logging in as `doctoral`.

Amira Hassan began doctoral studies in mathematics at Lund last term. Her individual study plan
was established six weeks in and revised after a seven-week leave of absence (parental leave,
with guaranteed return) in the same term, recorded by the study administrator. Reported study
activity: full time before the leave, half time after it, 80 % this term.
"""

import datetime

from institutions.demo.catalogue import DAY, WEEK, Catalogue
from institutions.demo.participations import Clock, historical_timestamps
from institutions.demo.terms import Calendar
from people.models import User
from registration.models import (
    IndividualStudyPlan,
    LeaveOfAbsence,
    ParticipationEvent,
    ProgrammeParticipation,
    StudyActivity,
)

PROGRAMME = "NAMATE"
SUMMARY_SV = (
    "Avhandlingsprojektet studerar slumpvandringar och perkolation på slumpmässiga grafer. "
    "Planen omfattar forskarutbildningskurser om 60 hp, däribland Avancerad sannolikhetsteori, "
    "två publicerade artiklar före halvtidsseminariet och undervisning om högst 20 %."
)
SUMMARY_EN = (
    "The thesis project studies random walks and percolation on random graphs. The plan "
    "includes 60 credits of doctoral courses, among them Advanced Probability Theory, two "
    "published papers before the half-time seminar and teaching of at most 20 %."
)


def create_doctoral_records(
    lu: Catalogue, calendar: Calendar, study_admin: User, today: datetime.date
) -> None:
    """After enrol(): the doctoral student's programme participation exists."""
    participation = ProgrammeParticipation.objects.get(
        person__user__username="doctoral", programme_instance=lu.programmes[PROGRAMME]
    )
    start = participation.programme_instance.start_date
    leave_start, leave_end = start + 8 * WEEK, start + 15 * WEEK - DAY
    common = {"institution_id": participation.institution_id}
    IndividualStudyPlan.objects.create(
        **common,
        programme_participation=participation,
        established_on=start + 6 * WEEK,
        revised_on=leave_end + 2 * WEEK,
        main_supervisor="Professor Karin Lindqvist",
        assistant_supervisors="Docent Erik Sjöberg, Dr Sofia Bergman",
        planned_defence=participation.programme_instance.end_date - 4 * WEEK,
        summary_sv=SUMMARY_SV,
        summary_en=SUMMARY_EN,
    )
    StudyActivity.objects.bulk_create(
        StudyActivity(
            **common,
            programme_participation=participation,
            start_date=first,
            end_date=last,
            activity_percent=percent,
        )
        for first, last, percent in (
            (start, leave_start - DAY, 100),
            (leave_end + DAY, calendar.last.end, 50),
            (calendar.current.start, calendar.current.end, 80),
        )
    )
    _record_leave(participation, leave_start, leave_end, study_admin, Clock(today))


def _record_leave(
    participation: ProgrammeParticipation,
    start: datetime.date,
    end: datetime.date,
    study_admin: User,
    clock: Clock,
) -> None:
    """As registration.services.record_leave writes it: the leave and a history row."""
    recorded = clock.moment(start - 2 * WEEK)
    with historical_timestamps():
        LeaveOfAbsence.objects.create(
            institution_id=participation.institution_id,
            programme_participation=participation,
            start_date=start,
            end_date=end,
            with_guaranteed_return=True,
            recorded_by=study_admin,
            recorded_at=recorded,
        )
        ParticipationEvent.objects.create(
            institution_id=participation.institution_id,
            programme_participation=participation,
            actor=study_admin,
            at=recorded,
            from_state=participation.state,
            to_state=participation.state,
            note=f"leave of absence {start.isoformat()} – {end.isoformat()}",
        )
