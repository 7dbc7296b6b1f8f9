"""What a student's own pages change about their results (S-HOME-1)."""

from django.utils import timezone

from results.models import VISIBLE_TO_STUDENT, Result


def mark_seen(person_id: int, result_ids: list[int]) -> None:
    """S-HOME-1: the start page has shown these newly certified results; they are not new again."""
    Result.objects.filter(
        pk__in=result_ids,
        person_id=person_id,
        state__in=VISIBLE_TO_STUDENT,
        seen_by_student_at__isnull=True,
    ).update(seen_by_student_at=timezone.now())
