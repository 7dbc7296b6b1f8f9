"""The frozen content of a certificate (S-CERT-3): plain JSON built once, when the certificate is
created, in the certificate's own language. The PDF and the public verification page render it
and nothing else, so a result certified later never appears on an earlier certificate.

Every name is resolved to the certificate's language here; dates are ISO strings and amounts of
credits are strings with one decimal, so the JSON reads back exactly as it was written.
"""

import datetime

from django.urls import reverse
from django.utils import translation

from certificates.codes import display
from certificates.models import CertificateKind
from certificates.options import Options
from institutions.models import Institution
from ladokportal import clock, links
from ladokportal.i18n import pick
from people.identity import display as display_identity
from people.models import Person

SCHEMA = 1


def build(
    *,
    kind: str,
    language: str,
    person: Person,
    institution: Institution,
    options: Options,
    check_code: str,
    issued_at: datetime.datetime,
    valid_until: datetime.date,
) -> dict:
    """The whole snapshot: a header every kind shares and the body of the kind."""
    from certificates.content import participation, transcript

    bodies = {
        CertificateKind.EXPECTED_PARTICIPATION: participation.expected,
        CertificateKind.REGISTRATION: participation.registrations,
        CertificateKind.TRANSCRIPT: transcript.local,
        CertificateKind.NATIONAL_TRANSCRIPT: transcript.national,
    }
    # The day at the university (TIME_ZONE), not in UTC: just after midnight in Sweden the
    # certificate is of the new day, in the date printed and in what "current" and "not yet
    # ended" mean.
    issued_at = clock.local(issued_at)
    today = clock.date_of(issued_at)
    with translation.override(language):
        body = bodies[kind](person, institution, options, language, today)
        title = str(CertificateKind(kind).label)
    return header(
        kind=kind,
        language=language,
        title=title,
        person=person,
        institution=institution,
        check_code=check_code,
        issued_at=issued_at,
        valid_until=valid_until.isoformat(),
        options=options.as_json(),
        body=body,
    )


def header(
    *,
    kind: str,
    language: str,
    title: str,
    person: Person,
    institution: Institution,
    check_code: str,
    issued_at: datetime.datetime,
    valid_until: str,
    options: dict,
    body: dict,
) -> dict:
    """The snapshot around a body: what every kind of document shares. `valid_until` is "" for
    a document that does not expire (a degree certificate)."""
    return {
        "schema": SCHEMA,
        "kind": kind,
        "language": language,
        "title": title,
        "issuer": {
            "code": institution.code,
            "name": pick(institution.name_sv, institution.name_en, language),
            "website": institution.website,
        },
        "student": {
            "name": f"{person.first_name} {person.last_name}",
            "identity_number": (
                display_identity(person.identity_number) if person.identity_number else ""
            ),
            "birth_date": person.birth_date.isoformat(),
        },
        "issued_at": clock.local(issued_at).isoformat(),
        "valid_until": valid_until,
        "check_code": display(check_code),
        "verify_url": verify_url(check_code),
        "options": options,
        "body": body,
    }


def verify_url(check_code: str) -> str:
    """The address printed beside the QR code: the public page with the code filled in."""
    return links.absolute(reverse("verify_code", kwargs={"code": display(check_code)}))


# The template of templates/certificates/parts that shows a snapshot's body on a web page.
_PARTS = {
    CertificateKind.EXPECTED_PARTICIPATION: "admissions",
    CertificateKind.REGISTRATION: "registrations",
    CertificateKind.TRANSCRIPT: "transcript",
    CertificateKind.NATIONAL_TRANSCRIPT: "transcript",
    CertificateKind.DEGREE: "degree",
}


def part_template(kind: str) -> str:
    return f"certificates/parts/{_PARTS[kind]}.html"


def credits(value) -> str:
    """Credits as the certificate prints them: one decimal, whatever the database returned."""
    return f"{value:.1f}"
