"""The demo's certificates (S-CERT-1..4, B-5): one of each kind, ready to open and to verify.

Made as students and staff make them, through certificates.services.create, and rendered, sealed
and stored here in the seed's own process (certificates.pipeline.produce), so `make run` without a
worker shows finished PDFs. All at Lund:

- `student` (Stina): a transcript of records in English, issued yesterday and checked three times
  since (check code, link, upload: her page says when and how, B-5); a registration certificate in
  Swedish for her current registrations; a national transcript in English with her Lund and
  Uppsala results; a certificate of expected participation in Swedish for the courses she is
  admitted to and not yet registered on, created on her behalf by `studyadmin`; and a registration
  certificate that has expired: issued a year and three weeks ago, it is gone from her list but
  the study administrator still sees it, and /verify/ says it is no longer valid;
- `doctoral` (Amira): a registration certificate with her supervisors and study activity;
- `alumnus` (Johan): a transcript of records in Swedish.

Check codes are random (certificates.codes), so they differ from one seeding to the next; the
command prints them (Summary.lines) so they can be tried on /verify/. Everything else is placed
relative to today.
"""

import datetime
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from certificates import content, pipeline, seal, services
from certificates.models import Certificate, CertificateCheck, CertificateKind, CheckMethod
from certificates.options import Options
from institutions.demo.terms import Calendar
from institutions.models import Institution
from ladokportal import clock
from notifications.models import Notification
from people.models import User

DAY = datetime.timedelta(days=1)
# The expired certificate ran out this long ago.
EXPIRED_FOR = 21 * DAY
# How the checked transcript was verified after it was issued yesterday at one o'clock: an
# employer followed the link in an e-mailed PDF, typed the code from a printout, uploaded the file.
ISSUED_AT = datetime.time(13)
CHECKS = (
    (CheckMethod.LINK, datetime.timedelta(minutes=40)),
    (CheckMethod.CODE, datetime.timedelta(hours=1, minutes=5)),
    (CheckMethod.UPLOAD, datetime.timedelta(hours=3, minutes=30)),
)


@dataclass(frozen=True)
class Order:
    """One certificate of the demo: whose, what, and who asked for it."""

    owner: str  # the login of the person the certificate is about
    kind: str
    language: str
    options: dict
    by: str = ""  # the login that created it; the owner when empty
    issued_days_ago: int = 0  # 0: issued now; otherwise at ISSUED_AT that many days back
    expired: bool = False
    checked: bool = False

    def created_by(self) -> str:
        return self.by or self.owner


def orders(calendar: Calendar) -> tuple[Order, ...]:
    term = calendar.current
    # This term, not "today": in the summer the doctoral student's activity of the autumn ahead.
    this_term = {"date_from": term.start, "date_to": term.end}
    return (
        Order("student", CertificateKind.TRANSCRIPT, "en", {}, issued_days_ago=1, checked=True),
        Order("student", CertificateKind.REGISTRATION, "sv", {}),
        Order("student", CertificateKind.NATIONAL_TRANSCRIPT, "en", {}),
        Order("student", CertificateKind.EXPECTED_PARTICIPATION, "sv", {}, by="studyadmin"),
        Order("student", CertificateKind.REGISTRATION, "en", {}, expired=True),
        Order(
            "doctoral",
            CertificateKind.REGISTRATION,
            "en",
            {**this_term, "supervisors": True, "study_activity": True},
        ),
        Order("alumnus", CertificateKind.TRANSCRIPT, "sv", {"completed_only": True}),
    )


@dataclass(frozen=True)
class Issued:
    """A demo certificate as the seed's summary prints it."""

    owner: str
    title: str
    language: str
    code: str  # ABCD-EFGH-JKLM-NPQR
    note: str = ""

    def line(self) -> str:
        note = f", {self.note}" if self.note else ""
        return f"  {self.owner}: {self.title} ({self.language}{note}): {self.code}"


def create_demo_certificates(
    lu: Institution, calendar: Calendar, today: datetime.date
) -> list[Issued]:
    """Last in the seed: the content freezes the records the demo has just written."""
    if settings.SEAL_DEMO_KEYS:
        # Every university's seal, not only Lund's: the upload check trusts all of them.
        for institution in Institution.objects.order_by("code"):
            seal.ensure_demo_seal(institution.code, institution.name_en or institution.name_sv)
    wanted = orders(calendar)
    logins = {o.owner for o in wanted} | {o.created_by() for o in wanted}
    users = {
        u.username: u for u in User.objects.filter(username__in=logins).select_related("person")
    }
    issued = []
    with quiet_rendering():
        for order in wanted:
            issued.append(_issue(order, users, lu, today, len(issued)))
    # As for results (results.py): the "certificate ready" e-mails are recorded as sent.
    Notification.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())
    return issued


@contextmanager
def quiet_rendering() -> Iterator[None]:
    """WeasyPrint logs each step of each layout at INFO: seven certificates would fill the
    seed's output with fifty lines."""
    logger = logging.getLogger("weasyprint.progress")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _issue(
    order: Order, users: dict[str, User], lu: Institution, today: datetime.date, number: int
) -> Issued:
    """Create one certificate as its creator would, date it back if the order says so, and
    render it here, as the worker would."""
    certificate = services.create(
        users[order.created_by()],
        person=users[order.owner].person,
        institution=lu,
        kind=order.kind,
        language=order.language,
        raw_options=order.options,
        # The form's one-time token; fixed, so a second seeding draws the same keys.
        request_key=uuid.uuid5(uuid.NAMESPACE_URL, f"ladokportal-demo-certificate-{number}"),
    )
    moment = _issue_moment(order, certificate, today)
    if moment is not None:
        _issued_at(certificate, moment)
    pipeline.produce(certificate.pk)
    if moment is not None:
        ready = moment + datetime.timedelta(seconds=20)
        Certificate.objects.filter(pk=certificate.pk).update(ready_at=ready, state_changed_at=ready)
    if order.checked:
        _checked(certificate, moment or timezone.now())
    return _summary(order, certificate)


def _issue_moment(
    order: Order, certificate: Certificate, today: datetime.date
) -> datetime.datetime | None:
    if order.expired:
        # Valid for the university's usual period, which ran out three weeks ago.
        validity = certificate.valid_until - clock.date_of(certificate.created_at)
        day = today - EXPIRED_FOR - validity
    elif order.issued_days_ago:
        day = today - order.issued_days_ago * DAY
    else:
        return None
    return min(timezone.make_aware(datetime.datetime.combine(day, ISSUED_AT)), timezone.now())


def _issued_at(certificate: Certificate, moment: datetime.datetime) -> None:
    """Date a certificate back to `moment`, before it is rendered: its validity runs from then,
    and its content is built again as the records answered on that day (a registration
    certificate shows the registrations current then), with the same check code."""
    validity = certificate.valid_until - clock.date_of(certificate.created_at)
    valid_until = clock.date_of(moment) + validity
    snapshot = content.build(
        kind=certificate.kind,
        language=certificate.language,
        person=certificate.person,
        institution=certificate.institution,
        options=Options.from_json(certificate.options),
        check_code=certificate.check_code,
        issued_at=moment,
        valid_until=valid_until,
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=moment, state_changed_at=moment, valid_until=valid_until, content=snapshot
    )


def _checked(certificate: Certificate, issued: datetime.datetime) -> None:
    """B-5: the verification log, each check at its own time after the certificate was issued."""
    for method, _after in CHECKS:
        services.record_check(certificate, method)
    rows = list(CertificateCheck.objects.filter(certificate=certificate).order_by("pk"))
    for row, (_method, after) in zip(rows, CHECKS, strict=True):
        row.at = min(issued + after, timezone.now())
    CertificateCheck.objects.bulk_update(rows, ["at"])


def _summary(order: Order, certificate: Certificate) -> Issued:
    notes = []
    if order.by:
        notes.append(f"created by {order.by}")
    if order.checked:
        notes.append(f"checked {len(CHECKS)} times")
    if order.expired:
        notes.append("expired")
    with translation.override("en"):
        title = str(CertificateKind(order.kind).label)
    return Issued(
        owner=order.owner,
        title=title,
        language=order.language,
        code=certificate.display_code,
        note=", ".join(notes),
    )
