"""Anonymity as one rule (B-6, T-ANON-1): what a member of staff may see of a result of an
anonymous activity session, wherever the result is shown.

A result is *sealed* while it came from an anonymous session and has never been certified
(a draft, one marked as ready, or one discarded or removed before any certification). Of a sealed
result:

- where students are named (the report sheet, a file keyed by identity number, the timeline,
  the student overview, e-mails, error messages): the name, never the grade, the date or the
  points, so that no grade can be matched against the codes that have one;
- where students are keyed by code (the code sheet, a file of codes, the exam systems' API):
  the code and the grade, never the name, the identity number or anything about the person's
  own situation;
- on the session's Certify tab: the code next to the name, to the examiners who certify that
  course and to nobody else.

Once certified the result is a decision like any other: shown by name where names are shown.
Every page, download, answer and message asks `sight` (or `sealed`), so that no path can
disagree with another.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from results.models import OPEN_STATES, Result, ResultState


class Place(StrEnum):
    BY_NAME = "by_name"
    BY_CODE = "by_code"
    CERTIFY = "certify"


@dataclass(frozen=True)
class Sight:
    name: bool
    code: bool
    grade: bool


NOTHING = Sight(name=False, code=False, grade=False)


def sealed(result: Result) -> bool:
    """From an anonymous session and never certified (the session is loaded with the result)."""
    session = result.activity_session if result.activity_session_id else None
    return bool(session and session.anonymous) and result.certified_at is None


def sealed_state(anonymous: bool, state: str, certified_at) -> bool:
    """`sealed` for values read without the model (lists built in SQL)."""
    return anonymous and certified_at is None and state in (*OPEN_STATES, ResultState.REMOVED)


def sight(rights, result: Result, place: Place) -> Sight:
    """What the person whose `rights` (results.rules.Rights) these are may see of `result` at
    `place`. Rights on the course are the pages' own guard; this decides the anonymity."""
    if place == Place.CERTIFY:
        if not rights.may_certify(result.course_instance.course):
            return NOTHING
        return Sight(name=True, code=True, grade=True)
    if not sealed(result):
        return Sight(name=place == Place.BY_NAME, code=place == Place.BY_CODE, grade=True)
    if place == Place.BY_CODE:
        return Sight(name=False, code=True, grade=True)
    return Sight(name=True, code=False, grade=False)


def may_link(rights, course) -> bool:
    """Whether a code may be shown next to a name before certification: the examiners who
    certify the course, on the session's Certify tab only."""
    return rights.may_certify(course)


class Personal(str):
    """A refusal that tells something about the student's own situation (not registered, a
    certified course grade resting on the results): shown by name, never next to a code."""

    __slots__ = ()


def by_code(message: str) -> str:
    """The message as it may be shown next to an anonymisation code (B-6)."""
    if isinstance(message, Personal):
        return _(
            "A result cannot be reported for this code now. The examiner sees why on the "
            "session's Certify tab."
        )
    return message


def sealed_message() -> str:
    return _(
        "This student sat an anonymous exam of this module: the result is reported by "
        "anonymisation code until it is certified, so nothing is saved by name here."
    )
