"""The bodies of the certificate of expected participation and the registration certificate
(S-CERT-1): admissions not yet registered, and registrations current or within a period, grouped
by programme, with a doctoral student's supervisors and study activity when asked for."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from catalog.models import CourseInstancePeriod, ProgrammeKind
from certificates.content import credits
from certificates.errors import CertificateError
from certificates.options import Options
from institutions.models import Institution
from ladokportal.i18n import pick
from people.models import Person
from registration.models import (
    CourseParticipation,
    ParticipationState,
    ProgrammeParticipation,
    Registration,
    StudyActivity,
)

NOT_REGISTERED = (ParticipationState.ADMITTED, ParticipationState.EXPECTED)


def expected(
    person: Person, institution: Institution, options: Options, language: str, today
) -> dict:
    """Admissions (and expected participations) the student has not registered on yet, for
    courses and programmes that have not ended. Two queries."""
    programmes = ProgrammeParticipation.objects.filter(
        person=person,
        institution=institution,
        state__in=NOT_REGISTERED,
        programme_instance__end_date__gte=today,
    ).select_related("programme_instance__programme")
    courses = CourseParticipation.objects.filter(
        person=person,
        institution=institution,
        state__in=NOT_REGISTERED,
        course_instance__end_date__gte=today,
    ).select_related("course_instance__course")
    rows = [
        _education_row(p.programme_instance, p.programme_instance.programme, language, p.state)
        for p in programmes
    ] + [
        _education_row(c.course_instance, c.course_instance.course, language, c.state)
        for c in courses
    ]
    if not rows:
        raise CertificateError(
            _(
                "There is no admission that is not yet registered on, so a certificate of expected "
                "participation would have nothing to show."
            )
        )
    rows.sort(key=lambda row: (row["start"], row["code"]))
    return {"admissions": rows}


def _education_row(instance, education, language: str, state: str) -> dict:
    return {
        "code": education.code,
        "name": pick(education.name_sv, education.name_en, language),
        "credits": credits(education.credits),
        "instance_code": instance.instance_code,
        "start": instance.start_date.isoformat(),
        "end": instance.end_date.isoformat(),
        "pace": instance.pace,
        "town": instance.town,
        "state": str(ParticipationState(state).label),
    }


def registrations(
    person: Person, institution: Institution, options: Options, language: str, today
) -> dict:
    """Registrations on study periods that overlap the chosen period (or include today), grouped
    by programme; an empty period is a valid answer ("no registration"). Three queries, four with
    the doctoral additions."""
    first = options.date_from or today
    last = options.date_to or today
    rows = (
        Registration.objects.filter(
            participation__person=person,
            institution=institution,
            study_period__start_date__lte=last,
            study_period__end_date__gte=first,
        )
        .exclude(_not_registered(current=options.date_from is None))
        .select_related(
            "study_period",
            "course_instance__course",
            "participation__programme_participation__programme_instance__programme",
        )
        .order_by("study_period__start_date", "course_instance__course__code")
    )
    rows = list(rows)
    period_credits = {
        (p.course_instance_id, p.study_period_id): p.credits
        for p in CourseInstancePeriod.objects.filter(
            course_instance_id__in={r.course_instance_id for r in rows}
        )
    }
    groups: dict[str, dict] = {}
    for registration in rows:
        programme = registration.participation.programme_participation
        key = programme.programme_instance.programme.code if programme else ""
        group = groups.setdefault(key, _programme_group(programme, language))
        group["registrations"].append(_registration_row(registration, period_credits, language))
    doctoral = _doctoral(person, institution, options, language, first=first, last=last)
    return {
        "period": {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "current": options.date_from is None,
        },
        # Programmes in name order, then the courses taken outside any programme.
        "programmes": sorted(groups.values(), key=lambda g: (g["code"] == "", g["name"])),
        "doctoral": doctoral,
    }


def _not_registered(*, current: bool) -> Q:
    """Registrations a certificate must not state: a course the student left by withdrawing,
    by early dropout (counted as never started) or by changing instance. A later dropout was a
    real registration for a past period, but is no current one."""
    left = Q(
        participation__state__in=[
            ParticipationState.WITHDRAWN,
            ParticipationState.CHANGED_INSTANCE,
            ParticipationState.CANCELLED,
        ]
    ) | Q(participation__early_dropout=True)
    if current:
        left |= Q(participation__state=ParticipationState.DROPPED)
    return left


def _programme_group(programme: ProgrammeParticipation | None, language: str) -> dict:
    if programme is None:
        return {"code": "", "name": _("Courses outside a programme"), "registrations": []}
    education = programme.programme_instance.programme
    return {
        "code": education.code,
        "name": pick(education.name_sv, education.name_en, language),
        "registrations": [],
    }


def _registration_row(registration: Registration, period_credits: dict, language: str) -> dict:
    course = registration.course_instance.course
    period = registration.study_period
    amount = period_credits.get((registration.course_instance_id, period.pk), course.credits)
    return {
        "code": course.code,
        "name": pick(course.name_sv, course.name_en, language),
        "credits": credits(amount),
        "instance_code": registration.course_instance.instance_code,
        "pace": registration.course_instance.pace,
        "period": pick(period.name_sv, period.name_en, language),
        "start": period.start_date.isoformat(),
        "end": period.end_date.isoformat(),
    }


def doctoral_programmes(person: Person, institution: Institution):
    """The doctoral subjects the person studies at the university: the ones whose supervisors
    and study activity a registration certificate may add (and the forms offer). Admissions not
    yet taken up and removed applications are no doctoral studies."""
    return ProgrammeParticipation.objects.filter(
        person=person,
        institution=institution,
        programme_instance__programme__kind=ProgrammeKind.DOCTORAL_SUBJECT,
    ).exclude(state__in=[*NOT_REGISTERED, ParticipationState.CANCELLED])


def _doctoral(
    person: Person,
    institution: Institution,
    options: Options,
    language: str,
    *,
    first: datetime.date,
    last: datetime.date,
) -> list[dict]:
    """Supervisors and reported study activity of each doctoral programme, when asked for. Asking
    without being a doctoral student is refused rather than silently ignored."""
    if not (options.supervisors or options.study_activity):
        return []
    programmes = list(
        doctoral_programmes(person, institution)
        .select_related("programme_instance__programme", "study_plan")
        .order_by("programme_instance__programme__code")
    )
    if not programmes:
        raise CertificateError(
            _("Supervisors and study activity can be added only for doctoral students.")
        )
    activities: dict[int, list[dict]] = {p.pk: [] for p in programmes}
    if options.study_activity:
        overlapping = Q(start_date__lte=last, end_date__gte=first)
        for activity in StudyActivity.objects.filter(
            overlapping, programme_participation__in=programmes
        ).order_by("start_date"):
            activities[activity.programme_participation_id].append(
                {
                    "start": activity.start_date.isoformat(),
                    "end": activity.end_date.isoformat(),
                    "percent": activity.activity_percent,
                }
            )
    return [_doctoral_row(p, options, language, activities[p.pk]) for p in programmes]


def _doctoral_row(
    participation: ProgrammeParticipation, options: Options, language: str, activity: list
) -> dict:
    education = participation.programme_instance.programme
    plan = getattr(participation, "study_plan", None)
    row = {
        "code": education.code,
        "name": pick(education.name_sv, education.name_en, language),
        "supervisors": None,
        "activity": activity if options.study_activity else None,
    }
    if options.supervisors:
        row["supervisors"] = {
            "main": plan.main_supervisor if plan else "",
            "assistants": plan.assistant_supervisors if plan else "",
        }
    return row
