"""The portal's one calendar: every date taken from a moment is the date in Sweden.

Timestamps are stored in UTC. A date shown or stored from one (the day a registration was made,
a result certified, a removal decided, a certificate issued, the first day a reporting deadline
counts from) is the date on the wall in the portal's time zone, Europe/Stockholm, never the UTC
date: between midnight and 01:00 (02:00 in summer) Swedish time the two differ, and a legal record
must carry the day it was decided in Sweden.

`today()` and `date_of()` are the only ways the code turns a moment into a day; a test
(tests/test_clock.py) refuses `.date()` on a datetime and `timezone.localdate` anywhere else.
"""

import datetime

from django.utils import timezone


def zone() -> datetime.tzinfo:
    """The portal's time zone (settings.TIME_ZONE, Europe/Stockholm): fixed, whatever time zone a
    request may have activated, so a legal date never depends on who looks at it."""
    return timezone.get_default_timezone()


def now() -> datetime.datetime:
    """This moment, aware (UTC)."""
    return timezone.now()


def local(moment: datetime.datetime) -> datetime.datetime:
    """The moment as the clock on the wall in Sweden shows it."""
    if timezone.is_naive(moment):
        # A naive moment is already wall-clock time in Sweden (an imported spreadsheet cell).
        return moment
    return moment.astimezone(zone())


def date_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The day in Sweden of a moment; a date stays the date it is."""
    if isinstance(moment, datetime.datetime):
        return local(moment).date()
    return moment


def today() -> datetime.date:
    """Today in Sweden."""
    return date_of(now())
