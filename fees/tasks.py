"""The fee tasks of the Celery worker: the daily reminder before an instalment is due (B-2)."""

from celery import shared_task
from django_scopes import scopes_disabled

from fees.services import invoicing
from ladokportal import clock


@shared_task(name="fees.remind_due")
def remind_due() -> int:
    """Run by beat once a day; every university's invoices (each row says whose it is)."""
    with scopes_disabled():
        return invoicing.remind_due(clock.today())
