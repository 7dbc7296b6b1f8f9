"""Reads for the student's study pages, shaped for them, with a fixed number of SQL queries.
Everything is read through the logged-in person in the current university's scope."""

import datetime

from people.models import Person


def start_page(person: Person, today: datetime.date) -> dict:
    """The registration and current-course sections of the start page (S-HOME-3, S-REG-1..3)."""
    return {"registrations_open": [], "current_courses": []}
