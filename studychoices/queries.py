"""Reads for study choices and applications within a programme, for the student's pages."""

import datetime

from people.models import Person


def start_page(person: Person, today: datetime.date) -> dict:
    """The "study choices" and "applications" sections of the start page (S-HOME-2)."""
    return {"choices_open": [], "applications_open": []}
