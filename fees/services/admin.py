"""Fee liabilities and fee periods, decided by fee administrators (#15 build point 3)."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CourseInstance, ProgrammeInstance, StudyPeriod
from fees.errors import FeeError
from fees.models import ExemptionGround, FeeEventKind, FeeLiability, FeePeriod
from fees.services.common import record, require_fee_admin
from institutions.models import Institution
from people.models import Person, User


def decide_liability(
    actor: User,
    *,
    institution: Institution,
    person: Person,
    liable: bool,
    ground: str = "",
    note: str = "",
) -> FeeLiability:
    """The student is fee-liable at the university, or exempt on a ground; a new decision
    replaces the earlier one, and the history keeps both."""
    require_fee_admin(actor, institution.pk)
    if liable:
        ground = ""
    elif ground not in ExemptionGround.values:
        raise FeeError(_("Choose the ground of the exemption."))
    with transaction.atomic():
        liability, _created = FeeLiability.objects.select_for_update().update_or_create(
            institution=institution,
            person=person,
            defaults={
                "liable": liable,
                "ground": ground,
                "note": note.strip()[:300],
                "decided_by": actor,
                "decided_at": timezone.now(),
            },
        )
        detail = "liable" if liable else f"exempt: {ground}"
        record(
            FeeEventKind.LIABILITY,
            institution_id=institution.pk,
            actor=actor,
            person_id=person.pk,
            detail=f"{detail} {note}".strip(),
        )
    return liability


def save_period(
    actor: User,
    *,
    institution: Institution,
    instance: CourseInstance | ProgrammeInstance,
    study_period: StudyPeriod,
    credits: Decimal,
    amount: Decimal,
    instalments: int,
    first_due_date: datetime.date,
    interval_days: int = 30,
) -> FeePeriod:
    """A new fee period for one term of a course or programme instance."""
    require_fee_admin(actor, institution.pk)
    if instance.institution_id != institution.pk or study_period.institution_id != institution.pk:
        raise FeeError(_("The instance and the term must belong to your university."))
    if amount <= 0 or credits <= 0 or not 1 <= instalments <= 12:
        raise FeeError(_("Enter a positive amount and scope, and 1 to 12 instalments."))
    course = instance if isinstance(instance, CourseInstance) else None
    programme = instance if isinstance(instance, ProgrammeInstance) else None
    try:
        with transaction.atomic():
            period = FeePeriod.objects.create(
                institution=institution,
                course_instance=course,
                programme_instance=programme,
                study_period=study_period,
                credits=credits,
                amount=amount,
                instalments=instalments,
                first_due_date=first_due_date,
                interval_days=interval_days,
            )
            record(
                FeeEventKind.PERIOD_SAVED,
                institution_id=institution.pk,
                actor=actor,
                fee_period_id=period.pk,
                amount=amount,
                detail=f"{study_period.code} {credits} hp, {instalments} instalment(s)",
            )
    except IntegrityError:
        raise FeeError(_("This instance already has a fee period for that term.")) from None
    return period
