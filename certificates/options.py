"""What a person may ask for when creating a certificate (S-CERT-1), checked once here for the
student's form, the staff form and any other caller. Returns the options as stored on the row."""

import datetime
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from certificates.errors import CertificateError
from certificates.models import REQUESTABLE_KINDS, CertificateKind, CertificateLanguage

# The oldest date a registration certificate may cover: records before it are not in the system.
EARLIEST = datetime.date(1990, 1, 1)


@dataclass(frozen=True)
class Options:
    # Registration certificate: a date range instead of the current registrations.
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    # Registration certificate, doctoral students: supervisors and reported study activity.
    supervisors: bool = False
    study_activity: bool = False
    # Transcripts: only completed courses; the modules under each course; failed attempts too.
    completed_only: bool = False
    include_modules: bool = True
    include_failed: bool = False

    def as_json(self) -> dict:
        data = asdict(self)
        for key in ("date_from", "date_to"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Options":
        values = dict(data)
        for key in ("date_from", "date_to"):
            values[key] = datetime.date.fromisoformat(values[key]) if values.get(key) else None
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


def check_kind_and_language(kind: str, language: str) -> None:
    if kind not in REQUESTABLE_KINDS:
        raise CertificateError(_("There is no such kind of certificate."))
    if language not in CertificateLanguage.values:
        raise CertificateError(_("Certificates are issued in Swedish or English only."))


def _date(value: object, label: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise CertificateError(
            _("%(field)s is not a date. Write it as YYYY-MM-DD.") % {"field": label}
        ) from None


def parse(kind: str, raw: dict, *, today: datetime.date) -> Options:
    """The options that apply to `kind`, validated; those that do not apply are dropped, so the
    stored row says exactly what shaped the content."""
    if kind == CertificateKind.REGISTRATION:
        return _registration(raw, today)
    if kind in (CertificateKind.TRANSCRIPT, CertificateKind.NATIONAL_TRANSCRIPT):
        return Options(
            completed_only=bool(raw.get("completed_only")),
            include_modules=bool(raw.get("include_modules", True)),
            include_failed=bool(raw.get("include_failed")),
        )
    return Options()


def _registration(raw: dict, today: datetime.date) -> Options:
    date_from = _date(raw.get("date_from"), _("From"))
    date_to = _date(raw.get("date_to"), _("To"))
    if (date_from is None) != (date_to is None):
        raise CertificateError(_("Give both the first and the last day of the period, or neither."))
    if date_from is not None and date_to is not None:
        if date_to < date_from:
            raise CertificateError(_("The period ends before it starts."))
        if date_from < EARLIEST or date_to > today + datetime.timedelta(days=366 * 2):
            raise CertificateError(
                _("Choose a period between %(first)s and two years from today.")
                % {"first": EARLIEST.isoformat()}
            )
    return Options(
        date_from=date_from,
        date_to=date_to,
        supervisors=bool(raw.get("supervisors")),
        study_activity=bool(raw.get("study_activity")),
    )
