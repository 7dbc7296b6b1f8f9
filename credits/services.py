"""Everything a person does with a credit-transfer case (S-CRED-1..3): the student writes a draft
(items, attachments) and submits it; a case officer takes it, keeps internal notes and decides
each item. Each service checks who acts, locks what it changes and writes the case's history in
the same transaction.

A decision to credit an item in full creates the credited result: an ordinary certified Result
of source "credit" on the target module (or the course grade when the whole course is credited),
with its timeline (reported, marked ready, certified, each by the case officer, source "credit",
B-3), so it counts wherever results count. A partial credit records the credited credits on the
decision and creates no result: the module is completed when the rest is examined.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Course, CourseInstance, Grade, Module
from credits import attachments
from credits.models import (
    CaseAction,
    CaseAttachment,
    CaseCounter,
    CaseEvent,
    CaseNote,
    CaseStatus,
    CreditCase,
    CreditItem,
    ItemKind,
    Outcome,
    Scope,
)
from credits.rules import handles_credits_at
from institutions.models import Institution
from ladokportal import clock
from ladokportal.errors import DomainError, NotAllowed
from people.models import Person, User

DEFAULT_APPEAL = gettext_lazy(
    "You may appeal this decision to the Higher Education Appeals Board (Överklagandenämnden "
    "för högskolan). Send your appeal in writing to the university within three weeks of the "
    "day you received the decision."
)


class CreditError(DomainError):
    pass


def _event(case: CreditCase, action: str, actor: User | None, before: str, item=None) -> None:
    CaseEvent.objects.create(
        institution_id=case.institution_id,
        case=case,
        item=item,
        action=action,
        actor=actor,
        from_status=before,
        to_status=case.status,
    )


# --- The student's application ------------------------------------------------------------------


def start_draft(person: Person, *, institution: Institution) -> CreditCase:
    """The student's draft at the university: the one there is, or a new one."""
    found = CreditCase.objects.filter(
        person=person, institution=institution, status=CaseStatus.DRAFT
    ).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return CreditCase.objects.create(person=person, institution=institution)
    except IntegrityError:  # a second tab made it first
        return CreditCase.objects.get(
            person=person, institution=institution, status=CaseStatus.DRAFT
        )


def _lock_draft(person: Person, case: CreditCase) -> CreditCase:
    locked = CreditCase.objects.select_for_update().filter(pk=case.pk, person=person).first()
    if locked is None:
        raise NotAllowed
    if locked.status != CaseStatus.DRAFT:
        raise CreditError(_("This application has already been submitted."))
    return locked


@transaction.atomic
def set_targets(person: Person, *, case: CreditCase, targets: dict) -> None:
    """Step 2: for each item (by public id) its target, a (course, module or None, scope)."""
    case = _lock_draft(person, case)
    items = {item.public_id: item for item in case.items.select_for_update()}
    for public_id, (course, module, scope) in targets.items():
        item = items.get(public_id)
        if item is None:
            raise NotAllowed
        _check_target(case, course, module)
        item.target_course, item.target_module, item.scope = course, module, scope
        item.save(update_fields=["target_course", "target_module", "scope"])


def _check_target(case: CreditCase, course: Course, module: Module | None) -> None:
    if course.institution_id != case.institution_id:
        raise CreditError(_("Choose a course at this university."))
    if module is not None and module.course_id != course.pk:
        raise CreditError(_("The module does not belong to the course chosen."))


@transaction.atomic
def save_item(
    person: Person,
    *,
    case: CreditCase,
    item: CreditItem | None = None,
    kind: str,
    target_course: Course | None = None,
    target_module: Module | None = None,
    scope: str = Scope.WHOLE,
    university: str = "",
    country: str = "",
    course_name: str = "",
    credits: Decimal | None = None,
    credit_system: str = "",
    grade_text: str = "",
    grading_scale: str = "",
    completed_on: datetime.date | None = None,
    description: str = "",
    foreign_merit=None,
) -> CreditItem:
    """Add an item to the draft, or change one of its items."""
    case = _lock_draft(person, case)
    if target_course is not None:
        _check_target(case, target_course, target_module)
    if kind == ItemKind.EDUCATION and not (course_name and university):
        raise CreditError(_("Name the course and the university where you studied it."))
    if kind == ItemKind.EXPERIENCE and not description:
        raise CreditError(_("Describe the experience you want credited."))
    if completed_on is not None and completed_on > clock.today():
        raise CreditError(_("The date cannot be in the future."))
    if foreign_merit is not None and foreign_merit.person_id != person.pk:
        raise NotAllowed
    if item is None:
        item = CreditItem(institution_id=case.institution_id, case=case)
    elif item.case_id != case.pk:
        raise NotAllowed
    for name, value in {
        "kind": kind,
        "target_course": target_course,
        "target_module": target_module,
        "scope": scope,
        "university": university,
        "country": country,
        "course_name": course_name,
        "credits": credits,
        "credit_system": credit_system,
        "grade_text": grade_text,
        "grading_scale": grading_scale,
        "completed_on": completed_on,
        "description": description,
        "foreign_merit": foreign_merit,
    }.items():
        setattr(item, name, value)
    item.save()
    return item


@transaction.atomic
def remove_item(person: Person, *, case: CreditCase, item: CreditItem) -> None:
    case = _lock_draft(person, case)
    if item.case_id != case.pk:
        raise NotAllowed
    item.delete()


def add_attachment(person: Person, *, case: CreditCase, upload) -> CaseAttachment:
    """Check the file by its content (credits.attachments), store it under a random name and
    record it on the draft. A file stored for an act that then fails is removed again."""
    checked = attachments.check(upload)
    stored = attachments.store(checked.content)
    try:
        with transaction.atomic():
            case = _lock_draft(person, case)
            if case.attachments.count() >= attachments.MAX_PER_CASE:
                raise CreditError(
                    _("An application can have at most %(n)s attachments.")
                    % {"n": attachments.MAX_PER_CASE}
                )
            return CaseAttachment.objects.create(
                institution_id=case.institution_id,
                case=case,
                original_name=checked.name,
                content_type=checked.kind,
                size=len(checked.content),
                stored_name=stored,
                sha256=checked.sha256,
            )
    except BaseException:
        attachments.delete(stored)
        raise


@transaction.atomic
def remove_attachment(person: Person, *, case: CreditCase, attachment: CaseAttachment) -> None:
    case = _lock_draft(person, case)
    if attachment.case_id != case.pk:
        raise NotAllowed
    stored = attachment.stored_name
    attachment.delete()
    transaction.on_commit(lambda: attachments.delete(stored))


def _next_number(institution_id: int, year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(
        institution_id=institution_id, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"TG-{year}-{counter.last:04d}"


@transaction.atomic
def submit(person: Person, *, case: CreditCase) -> CreditCase:
    """Send the application: it gets its case number and waits for a case officer."""
    case = _lock_draft(person, case)
    if not case.items.exists():
        raise CreditError(_("Add at least one thing you want credited before you submit."))
    if case.items.filter(target_course__isnull=True).exists():
        raise CreditError(_("Choose what each item should be credited as before you submit."))
    now = timezone.now()
    case.number = _next_number(case.institution_id, clock.date_of(now).year)
    case.status = CaseStatus.SUBMITTED
    case.submitted_at = now
    case.save(update_fields=["number", "status", "submitted_at"])
    _event(case, CaseAction.SUBMITTED, person.user if hasattr(person, "user") else None, "draft")
    return case


# --- Case handling ------------------------------------------------------------------------------


def _require_officer(actor: User, case: CreditCase) -> None:
    if not handles_credits_at.test(actor, case.institution_id):
        raise NotAllowed(_("Only a credit-transfer case officer of the university may do this."))


def _lock_case(actor: User, case: CreditCase) -> CreditCase:
    _require_officer(actor, case)
    locked = CreditCase.objects.select_for_update().get(pk=case.pk)
    if locked.status == CaseStatus.DRAFT:
        raise CreditError(_("The application has not been submitted."))
    return locked


@transaction.atomic
def take(actor: User, *, case: CreditCase) -> CreditCase:
    """The case officer takes the case: it is under review with them as its officer."""
    case = _lock_case(actor, case)
    if case.status in (CaseStatus.DECIDED,):
        raise CreditError(_("The case is already decided."))
    before = case.status
    case.case_officer = actor
    if case.status == CaseStatus.SUBMITTED:
        case.status = CaseStatus.UNDER_REVIEW
    case.save(update_fields=["case_officer", "status"])
    _event(case, CaseAction.TAKEN, actor, before)
    return case


@transaction.atomic
def add_note(actor: User, *, case: CreditCase, text: str) -> CaseNote:
    case = _lock_case(actor, case)
    text = text.strip()
    if not text:
        raise CreditError(_("Write the note first."))
    return CaseNote.objects.create(
        institution_id=case.institution_id, case=case, author=actor, text=text[:5000]
    )


def _instance_for(item: CreditItem, person: Person) -> CourseInstance:
    """The course instance the credited result is recorded on: the student's own on the target
    course, else the latest instance that has started, else the first one planned."""
    from registration.models import CourseParticipation

    course = item.target_course
    mine = (
        CourseParticipation.objects.filter(person=person, course_instance__course=course)
        .select_related("course_instance")
        .order_by("-course_instance__start_date")
        .first()
    )
    if mine is not None:
        return mine.course_instance
    instances = CourseInstance.objects.filter(course=course)
    found = (
        instances.filter(start_date__lte=clock.today()).order_by("-start_date").first()
        or instances.order_by("start_date").first()
    )
    if found is None:
        raise CreditError(_("The course has no instance to record the credit on."))
    return found


def _credited_result(actor: User, item: CreditItem, grade: Grade, now) -> "Result":  # noqa: F821
    """The certified result of source "credit", with its timeline written through the results
    workflow's moves (reported → marked ready → certified), all by the case officer."""
    from results import workflow
    from results.models import Result, ResultAction, ResultEvent, ResultSource

    case = item.case
    result = Result(
        institution_id=item.institution_id,
        person_id=case.person_id,
        course_instance=_instance_for(item, case.person),
        module=item.target_module,
        grade=grade,
        examination_date=clock.date_of(now),
        source=ResultSource.CREDIT,
        reported_by=actor,
        graded_by=actor,
        certified_by=actor,
        certified_at=now,
        annotations={},
    )
    events = []
    note = _("Credit transfer %(number)s") % {"number": case.number}
    for action in (ResultAction.REPORTED, ResultAction.MARKED_READY, ResultAction.CERTIFIED):
        before = workflow.snapshot(result if events else None)
        workflow.advance(result, action, before)
        events.append(
            workflow.event(
                result, action, actor=actor, source=ResultSource.CREDIT, before=before, note=note
            )
        )
    result.save()
    ResultEvent.objects.bulk_create(events)
    return result


@transaction.atomic
def decide_item(
    actor: User,
    *,
    item: CreditItem,
    outcome: str,
    grade: Grade | None = None,
    credited_credits: Decimal | None = None,
    refusal_reason: str = "",
    appeal_instruction: str = "",
) -> CreditItem:
    """Decide one item: credited (in full, or partly with the credited credits) with the grade
    the rules give, or refused with a reason and the appeal instruction. An item is decided
    once: a second officer deciding at the same moment waits for the lock and is refused."""
    case = _lock_case(actor, item.case)
    item = (
        CreditItem.objects.select_for_update(of=("self",))
        .select_related("target_course", "target_module", "case__person")
        .get(pk=item.pk, case=case)
    )
    if item.decided:
        raise CreditError(_("This item has already been decided."))
    now = timezone.now()
    if outcome == Outcome.CREDITED:
        target_credits = item.target_credits
        credited_credits = target_credits if credited_credits is None else credited_credits
        if credited_credits <= 0 or credited_credits > target_credits:
            raise CreditError(
                _("Credited credits must be more than 0 and at most %(max)s.")
                % {"max": target_credits}
            )
        scale_id = (item.target_module or item.target_course).grading_scale_id
        if grade is None or grade.scale_id != scale_id or not grade.passing:
            raise CreditError(_("Choose a passing grade on the target's grading scale."))
        item.grade = grade
        item.credited_credits = credited_credits
        item.scope = Scope.WHOLE if credited_credits == target_credits else Scope.PARTIAL
        if item.scope == Scope.WHOLE:
            item.result = _credited_result(actor, item, grade, now)
    elif outcome == Outcome.REFUSED:
        if not refusal_reason.strip():
            raise CreditError(_("Give the reason for the refusal."))
        item.refusal_reason = refusal_reason.strip()
        item.appeal_instruction = appeal_instruction.strip() or str(DEFAULT_APPEAL)
    else:
        raise CreditError(_("Choose credited or refused."))
    item.outcome = outcome
    item.decided_by = actor
    item.decided_at = now
    item.save()
    before = case.status
    undecided = case.items.filter(outcome="").exists()
    case.status = CaseStatus.PARTLY_DECIDED if undecided else CaseStatus.DECIDED
    if case.case_officer_id is None:
        case.case_officer = actor
    case.save(update_fields=["status", "case_officer"])
    _event(
        case,
        CaseAction.CREDITED if outcome == Outcome.CREDITED else CaseAction.REFUSED,
        actor,
        before,
        item,
    )
    return item
