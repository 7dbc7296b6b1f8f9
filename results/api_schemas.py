"""The shapes of the integration API (T-EXT-1), from which ninja writes the OpenAPI schema.

What a record may contain is checked here, field by field, so that a malformed body is answered
with 422 naming the field; whether a well-formed record can become a draft (the student, the
module, the grade on its scale) is the integration service's question, and a record that cannot
is kept as a RejectedRecord (B-7). Strings exclude control characters: they are stored as they
came, and PostgreSQL refuses NUL.
"""

import datetime
import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, model_validator

from results.services.integration import Pushed

MAX_RECORDS = 1000
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"


class RecordIn(Schema):
    """One result from the exam system. Exactly one of `anonymisation_code` (anonymous exams)
    and `identity_number` says whose it is."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    anonymisation_code: str | None = Field(
        None,
        min_length=1,
        max_length=20,
        pattern=r"^[A-Za-z0-9-]+$",
        description="The student's anonymisation code on this session (anonymous exams).",
        examples=["TEN1-ACD34F"],
    )
    identity_number: str | None = Field(
        None,
        min_length=10,
        max_length=13,
        pattern=r"^[0-9]{6}([0-9]{2})?[-+]?[0-9]{4}$",
        description="Personal identity number, YYYYMMDD-XXXX (sessions that are not anonymous).",
        examples=["19990308-1234"],
    )
    module_code: str | None = Field(
        None,
        min_length=1,
        max_length=20,
        pattern=_PRINTABLE,
        description="The module (delmoment). May be left out when the session has one module.",
        examples=["TEN1"],
    )
    grade: str = Field(
        min_length=1,
        max_length=5,
        pattern=r"^[A-Za-z0-9]+$",
        description="A grade code of the module's grading scale (see the session's modules).",
        examples=["VG"],
    )
    examination_date: datetime.date = Field(description="The examination date, YYYY-MM-DD.")
    points: Annotated[Decimal, Field(ge=0, lt=10000, max_digits=6, decimal_places=2)] | None = (
        Field(None, description="Examination points, where the module has a points column.")
    )
    external_id: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        pattern=_PRINTABLE,
        description="The exam system's own id of the record; a re-sent record is recognised by it.",
    )

    @model_validator(mode="after")
    def _one_key(self) -> "RecordIn":
        if (self.anonymisation_code is None) == (self.identity_number is None):
            raise ValueError("give exactly one of anonymisation_code and identity_number")
        return self

    def to_pushed(self) -> Pushed:
        return Pushed(**self.model_dump())


class ModuleOut(Schema):
    code: str
    course_code: str
    name_sv: str
    name_en: str
    grading_scale: str = Field(description="The code of the module's grading scale.")
    grades: list[str] = Field(description="The grade codes a record may carry, lowest first.")
    points: bool = Field(description="Whether examination points can be stored.")


class SessionOut(Schema):
    id: uuid.UUID
    label: str
    kind: str
    name_sv: str
    name_en: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    anonymous: bool = Field(description="Records are keyed by anonymisation code.")
    reporting_deadline: datetime.date = Field(description="When results are due (T-DEAD-1).")
    modules: list[ModuleOut]


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"


class RecordOutcome(Schema):
    """What became of one record; it echoes only what the client sent (B-6)."""

    index: int = Field(description="The record's position in the request, from 0.")
    outcome: Outcome
    reason: str | None = Field(None, description="Why the record was rejected.")
    rejected_id: uuid.UUID | None = Field(
        None, description="The id of the rejected record in the university's integration inbox."
    )
    anonymisation_code: str | None = None
    identity_number: str | None = None
    module_code: str | None = None
    external_id: str | None = None


class PushOut(Schema):
    created: int
    updated: int
    unchanged: int
    rejected: int
    records: list[RecordOutcome]


class Message(Schema):
    detail: str


class ValidationIssue(Schema):
    loc: list[str | int] = Field(description='Where: e.g. ["body", "records", 3, "grade"].')
    msg: str
    type: str


class ValidationOut(Schema):
    detail: list[ValidationIssue]
