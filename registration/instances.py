"""What study administrators do with course instances (T-ADM-3): create and edit one with its
study periods and their registration windows, and admit students to it in bulk from a list of
identity numbers after a preview.

Each service checks the same rule as the pages (registration.rules: a study administrator of the
university, of the course's org unit or of the course), validates what a person can get wrong
with a message that says what is wrong, and writes in one transaction."""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from catalog.models import Course, CourseInstance, CourseInstancePeriod, StudyPeriod
from ladokportal.errors import DomainError, NotAllowed
from people import identity
from people.models import Person, User
from people.rules import administers_studies_at
from registration.models import CourseParticipation


class InstanceError(DomainError):
    """A course instance that cannot be saved as given; `problems` says each thing wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class PeriodData:
    study_period: StudyPeriod
    credits: Decimal
    registration_opens: datetime.date | None = None
    registration_closes: datetime.date | None = None


@dataclass(frozen=True)
class InstanceData:
    instance_code: str
    start_date: datetime.date
    end_date: datetime.date
    pace: int
    town: str
    teaching_language: str
    periods: tuple[PeriodData, ...] = field(default_factory=tuple)


def manages_course(user: User, course: Course) -> bool:
    """The study-administrator rule of registration.rules, for a course before it has the
    instance being created."""
    from registration.rules import manages_course_instance

    return manages_course_instance(
        user, CourseInstance(course=course, institution_id=course.institution_id)
    )


def problems_with(course: Course, data: InstanceData, instance: CourseInstance | None) -> list[str]:
    """Everything wrong with `data`, each in a sentence; empty when it can be saved."""
    problems = []
    if data.end_date < data.start_date:
        problems.append(_("The instance ends before it starts."))
    if not data.periods:
        problems.append(_("Give at least one study period."))
    taken = CourseInstance.objects.filter(
        institution_id=course.institution_id, instance_code=data.instance_code
    ).select_related("course")
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    other = taken.first()
    if other is not None:
        problems.append(
            _("The instance code %(code)s is already used by %(course)s (%(start)s).")
            % {
                "code": data.instance_code,
                "course": other.course.code,
                "start": other.start_date.isoformat(),
            }
        )
    ordered = sorted(data.periods, key=lambda p: p.study_period.start_date)
    if len({p.study_period.pk for p in ordered}) != len(ordered):
        problems.append(_("A study period is given twice."))
    for earlier, later in itertools.pairwise(ordered):
        if later.study_period.start_date <= earlier.study_period.end_date and (
            earlier.study_period.pk != later.study_period.pk
        ):
            problems.append(
                _("The study periods %(first)s and %(second)s overlap.")
                % {"first": earlier.study_period.code, "second": later.study_period.code}
            )
    for period in ordered:
        opens, closes = period.registration_opens, period.registration_closes
        if opens and closes and closes < opens:
            problems.append(
                _("The registration period of %(period)s closes before it opens.")
                % {"period": period.study_period.code}
            )
    if (
        ordered
        and ordered[0].registration_opens
        and ordered[0].registration_opens > data.start_date
    ):
        problems.append(
            _("The registration period of %(period)s opens after the instance starts.")
            % {"period": ordered[0].study_period.code}
        )
    return problems


def save_instance(
    actor: User, *, course: Course, data: InstanceData, instance: CourseInstance | None = None
) -> CourseInstance:
    """Create a course instance (or change `instance`) with its study periods in order."""
    if not administers_studies_at.test(actor, course.institution_id) or not manages_course(
        actor, course
    ):
        raise NotAllowed(_("Only the course's study administrators manage its instances."))
    problems = problems_with(course, data, instance)
    if problems:
        raise InstanceError(problems)
    fields = {
        "instance_code": data.instance_code,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "pace": data.pace,
        "town": data.town,
        "teaching_language": data.teaching_language,
    }
    try:
        with transaction.atomic():
            if instance is None:
                instance = CourseInstance.objects.create(
                    institution_id=course.institution_id, course=course, **fields
                )
            else:
                instance = CourseInstance.objects.select_for_update().get(pk=instance.pk)
                for name, value in fields.items():
                    setattr(instance, name, value)
                instance.save(update_fields=list(fields))
            _save_periods(instance, data.periods)
    except IntegrityError:
        raise InstanceError(
            [_("The instance was changed at the same moment by someone else: try again.")]
        ) from None
    return instance


def _save_periods(instance: CourseInstance, periods: tuple[PeriodData, ...]) -> None:
    """The periods as given, in date order; a period with registrations stays (PROTECT on
    the registrations refuses deleting it)."""
    ordered = sorted(periods, key=lambda p: p.study_period.start_date)
    existing = {p.study_period_id: p for p in instance.periods.all()}
    wanted = {p.study_period.pk for p in ordered}
    gone = [p.pk for sp, p in existing.items() if sp not in wanted]
    # Sequences move out of the way first: (course_instance, sequence) is unique.
    instance.periods.update(sequence=F("sequence") + 100)
    CourseInstancePeriod.objects.filter(pk__in=gone).delete()
    for sequence, period in enumerate(ordered, start=1):
        values = {
            "sequence": sequence,
            "credits": period.credits,
            "registration_opens": period.registration_opens,
            "registration_closes": period.registration_closes,
        }
        CourseInstancePeriod.objects.update_or_create(
            institution_id=instance.institution_id,
            course_instance=instance,
            study_period=period.study_period,
            defaults=values,
        )


# --- Copying last year's ---------------------------------------------------------------------


def copy_of_last(course: Course) -> tuple[dict, list[dict]]:
    """A starting point for the next instance: the course's latest instance moved a year on,
    each study period replaced by the period that starts about a year later. A form's initial
    values; nothing is saved."""
    last = (
        course.instances.order_by("-start_date").prefetch_related("periods__study_period").first()
    )
    if last is None:
        return {}, []
    year = datetime.timedelta(days=364)
    later = {
        sp.start_date: sp
        for sp in StudyPeriod.objects.filter(
            institution_id=course.institution_id, start_date__gt=last.start_date
        )
    }

    def next_year(period: StudyPeriod) -> StudyPeriod | None:
        target = period.start_date + year
        near = [sp for day, sp in later.items() if abs((day - target).days) <= 31]
        return near[0] if near else None

    periods = []
    for period in last.periods.all():
        moved = next_year(period.study_period)
        periods.append(
            {
                "study_period": moved.pk if moved else None,
                "credits": period.credits,
                "registration_opens": period.registration_opens + year
                if period.registration_opens
                else None,
                "registration_closes": period.registration_closes + year
                if period.registration_closes
                else None,
            }
        )
    return (
        {
            "instance_code": "",
            "start_date": last.start_date + year,
            "end_date": last.end_date + year,
            "pace": last.pace,
            "town": last.town,
            "teaching_language": last.teaching_language,
        },
        periods,
    )


# --- Admitting in bulk ------------------------------------------------------------------------


@dataclass
class AdmissionLine:
    text: str
    person: Person | None = None
    problem: str = ""


@dataclass
class AdmissionPreview:
    lines: list[AdmissionLine]

    @property
    def admissible(self) -> list[AdmissionLine]:
        return [line for line in self.lines if line.person is not None and not line.problem]


def preview_admissions(instance: CourseInstance, pasted: str) -> AdmissionPreview:
    """Each non-empty line of the pasted list: the person it names, or why not (not a valid
    number, nobody with it, already on the instance, named twice). Two queries."""
    lines, numbers = [], []
    for raw in pasted.splitlines():
        text = raw.strip()
        if not text:
            continue
        line = AdmissionLine(text=text)
        try:
            number = identity.normalise(text)
        except ValidationError as error:
            line.problem = str(error.messages[0])
            number = ""
        lines.append(line)
        numbers.append(number)
    persons = {p.identity_number: p for p in Person.objects.filter(identity_number__in=numbers)}
    present = set(
        CourseParticipation.objects.filter(
            course_instance=instance, person__in=persons.values()
        ).values_list("person_id", flat=True)
    )
    seen = set()
    for line, number in zip(lines, numbers, strict=True):
        if line.problem:
            continue
        line.person = persons.get(number)
        if line.person is None:
            line.problem = _("Nobody has this identity number here.")
        elif line.person.pk in present:
            line.problem = _("Already on this course instance.")
        elif line.person.pk in seen:
            line.problem = _("Named twice in the list.")
        else:
            seen.add(line.person.pk)
    return AdmissionPreview(lines)


def admit_many(actor: User, *, instance: CourseInstance, pasted: str) -> list[CourseParticipation]:
    """Admit everyone the preview of `pasted` finds admissible, in one transaction: all or,
    if anyone was admitted meanwhile, none (the person sees the preview again)."""
    from registration.services import admit

    preview = preview_admissions(instance, pasted)
    if not preview.admissible:
        raise DomainError(_("Nobody in the list can be admitted."))
    with transaction.atomic():
        return [
            admit(actor, person=line.person, course_instance=instance)
            for line in preview.admissible
        ]
