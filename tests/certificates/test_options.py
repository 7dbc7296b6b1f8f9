"""The options a person may ask for with each kind of certificate (S-CERT-1), checked once for
the student's form, the staff form and any other caller: each kind keeps only its own options, so
the stored row says exactly what shaped the content, and bad dates are refused with a message in
the person's language."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext

from certificates import options
from certificates.errors import CertificateError
from certificates.models import CertificateKind
from certificates.options import EARLIEST, Options

TODAY = datetime.date(2026, 3, 11)

EVERYTHING = {
    "date_from": "2025-08-25",
    "date_to": "2026-01-18",
    "supervisors": True,
    "study_activity": True,
    "completed_only": True,
    "include_modules": False,
    "include_failed": True,
}


def refusal(kind: str, raw: dict, language: str = "en") -> str:
    with translation.override(language), pytest.raises(CertificateError) as refused:
        options.parse(kind, raw, today=TODAY)
    assert str(refused.value) == refused.value.message
    return refused.value.message


def translated(message: str, language: str, **values) -> str:
    with translation.override(language):
        return gettext(message) % values if values else gettext(message)


# --- Each kind keeps only its options ---------------------------------------------------------


def test_expected_participation_keeps_no_option():
    """S-CERT-1: the certificate of expected participation has no options; whatever else was
    sent is dropped."""
    assert options.parse(CertificateKind.EXPECTED_PARTICIPATION, EVERYTHING, today=TODAY) == (
        Options()
    )


def test_registration_keeps_the_period_and_the_doctoral_additions_only():
    """S-CERT-1: a date range and, for doctoral students, supervisors and study activity."""
    parsed = options.parse(CertificateKind.REGISTRATION, EVERYTHING, today=TODAY)

    assert parsed == Options(
        date_from=datetime.date(2025, 8, 25),
        date_to=datetime.date(2026, 1, 18),
        supervisors=True,
        study_activity=True,
    )


@pytest.mark.parametrize("kind", [CertificateKind.TRANSCRIPT, CertificateKind.NATIONAL_TRANSCRIPT])
def test_transcripts_keep_their_three_flags_only(kind):
    """S-CERT-1: options to limit (completed only, no modules) or add (failed attempts)."""
    assert options.parse(kind, EVERYTHING, today=TODAY) == Options(
        completed_only=True, include_modules=False, include_failed=True
    )


@pytest.mark.parametrize("kind", [CertificateKind.TRANSCRIPT, CertificateKind.NATIONAL_TRANSCRIPT])
def test_a_transcript_shows_modules_unless_told_otherwise(kind):
    assert options.parse(kind, {}, today=TODAY) == Options(include_modules=True)


@pytest.mark.parametrize("kind", [CertificateKind.TRANSCRIPT, CertificateKind.NATIONAL_TRANSCRIPT])
def test_a_transcript_ignores_a_bad_date_it_has_no_use_for(kind):
    """A date only a registration certificate reads is dropped, not checked."""
    assert options.parse(kind, {"date_from": "soon", "date_to": ""}, today=TODAY) == Options()


def test_options_survive_the_json_of_the_row():
    parsed = options.parse(CertificateKind.REGISTRATION, EVERYTHING, today=TODAY)

    stored = parsed.as_json()

    assert stored["date_from"] == "2025-08-25"
    assert stored["date_to"] == "2026-01-18"
    assert Options.from_json(stored) == parsed
    assert Options.from_json({**stored, "unknown": 1}) == parsed


# --- Registration certificate: the period -----------------------------------------------------


def test_registration_without_a_period_is_the_current_one():
    """S-CERT-1: current registrations unless a range is asked for."""
    for raw in ({}, {"date_from": "", "date_to": ""}, {"date_from": None, "date_to": None}):
        parsed = options.parse(CertificateKind.REGISTRATION, raw, today=TODAY)
        assert (parsed.date_from, parsed.date_to) == (None, None)


def test_registration_accepts_dates_as_date_objects_from_the_form():
    parsed = options.parse(
        CertificateKind.REGISTRATION,
        {"date_from": datetime.date(2024, 1, 15), "date_to": datetime.date(2024, 6, 2)},
        today=TODAY,
    )

    assert (parsed.date_from, parsed.date_to) == (
        datetime.date(2024, 1, 15),
        datetime.date(2024, 6, 2),
    )


def test_a_one_day_period_is_a_period():
    parsed = options.parse(
        CertificateKind.REGISTRATION,
        {"date_from": "2025-09-01", "date_to": "2025-09-01"},
        today=TODAY,
    )

    assert parsed.date_from == parsed.date_to == datetime.date(2025, 9, 1)


def test_a_period_that_ends_before_it_starts_is_refused():
    message = refusal(
        CertificateKind.REGISTRATION, {"date_from": "2025-09-01", "date_to": "2025-08-31"}
    )

    assert message == "The period ends before it starts."


@pytest.mark.parametrize(
    "raw",
    [
        {"date_from": "2025-09-01"},
        {"date_to": "2025-09-01"},
        {"date_from": "2025-09-01", "date_to": ""},
        {"date_from": None, "date_to": "2025-09-01"},
    ],
)
def test_one_date_only_is_refused(raw):
    assert refusal(CertificateKind.REGISTRATION, raw) == (
        "Give both the first and the last day of the period, or neither."
    )


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01", "2025-02-30", "1/9/2025", "2025-9"])
def test_an_unparseable_date_is_refused_and_names_the_field(value):
    assert refusal(CertificateKind.REGISTRATION, {"date_from": value, "date_to": "2025-10-01"}) == (
        "From is not a date. Write it as YYYY-MM-DD."
    )
    assert refusal(CertificateKind.REGISTRATION, {"date_from": "2025-10-01", "date_to": value}) == (
        "To is not a date. Write it as YYYY-MM-DD."
    )


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (EARLIEST - datetime.timedelta(days=1), datetime.date(2000, 1, 1)),
        (datetime.date(1900, 1, 1), datetime.date(1900, 6, 1)),
        (TODAY, TODAY + datetime.timedelta(days=366 * 2 + 1)),
    ],
)
def test_a_period_outside_the_records_is_refused(first, last):
    """Records before 1990 are not in the system, and a period cannot reach years ahead."""
    message = refusal(
        CertificateKind.REGISTRATION, {"date_from": first.isoformat(), "date_to": last.isoformat()}
    )

    assert message == "Choose a period between 1990-01-01 and two years from today."


def test_the_widest_period_allowed_is_accepted():
    last = TODAY + datetime.timedelta(days=366 * 2)

    parsed = options.parse(
        CertificateKind.REGISTRATION, {"date_from": EARLIEST, "date_to": last}, today=TODAY
    )

    assert (parsed.date_from, parsed.date_to) == (EARLIEST, last)


def test_unknown_kind_and_language_are_refused():
    # The messages are in the active language: English here, whatever an earlier test left.
    with translation.override("en"):
        with pytest.raises(CertificateError) as kind:
            options.check_kind_and_language("diploma", "en")
        with pytest.raises(CertificateError) as language:
            options.check_kind_and_language(CertificateKind.TRANSCRIPT, "de")

    assert kind.value.message == "There is no such kind of certificate."
    assert language.value.message == "Certificates are issued in Swedish or English only."
    assert options.check_kind_and_language(CertificateKind.TRANSCRIPT, "sv") is None


# --- In the person's language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message", "values"),
    [
        (
            {"date_from": "2025-09-01", "date_to": "2025-08-31"},
            "The period ends before it starts.",
            {},
        ),
        (
            {"date_from": "2025-09-01"},
            "Give both the first and the last day of the period, or neither.",
            {},
        ),
        (
            {"date_from": "1980-01-01", "date_to": "1980-02-01"},
            "Choose a period between %(first)s and two years from today.",
            {"first": "1990-01-01"},
        ),
    ],
)
def test_refusals_are_in_the_language_active_when_asked(raw, message, values):
    """Bad input: a clear message in the person's language (preamble, G-1). The message is
    translated when the refusal is made, in the active language. Note: the Swedish catalogue
    does not have these messages yet (the translator adds them), so for now the Swedish answer
    is the catalogue's, which is the English text; once translated this test checks the Swedish
    without change."""
    assert refusal(CertificateKind.REGISTRATION, raw, "sv") == translated(message, "sv", **values)
    assert refusal(CertificateKind.REGISTRATION, raw, "en") == (
        message % values if values else message
    )


def test_the_field_named_in_a_date_refusal_is_in_the_active_language():
    expected = translated(
        "%(field)s is not a date. Write it as YYYY-MM-DD.", "sv", field=translated("From", "sv")
    )

    assert refusal(
        CertificateKind.REGISTRATION, {"date_from": "x", "date_to": "2025-01-01"}, "sv"
    ) == (expected)
