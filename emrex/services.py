"""The EMREX flows (S-EMREX-1): fetching foreign results and exporting the student's own.

Import: `start_import` opens a session with a random id for the chosen contact point; the
student's browser takes the id and the return URL there, and the contact point posts back a
return code and the signed, compressed ELMO document. `receive` accepts it once per session:
a replayed or unknown session id, a cancelled session, a broken or foreign signature and a
document that is not valid ELMO are each refused with a message, and then nothing but the
session's end is stored. Accepted results become ForeignMerit rows with the original document.

Export: `export` writes the student's certified results at the university as an ELMO document
signed with the university's key (the seal's, SEAL_DIR).
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emrex import elmo
from emrex.elmo import ElmoError
from emrex.models import ContactPoint, EmrexSession, ForeignMerit, SessionState
from institutions.models import Institution
from ladokportal.errors import DomainError
from people.models import Person

# EMREX return codes (the contact point's verdict on the student's visit).
NCP_OK = "NCP_OK"
NCP_CANCEL = "NCP_CANCEL"
NCP_NO_RESULTS = "NCP_NO_RESULTS"


class EmrexError(DomainError):
    pass


def require_enabled(institution: Institution) -> None:
    if not institution.settings.emrex:
        raise EmrexError(_("Foreign merits through Emrex are not offered at this university."))


def start_import(person: Person, *, institution: Institution, contact_point: ContactPoint):
    require_enabled(institution)
    if not contact_point.active:
        raise EmrexError(_("That contact point is not available."))
    return EmrexSession.objects.create(
        institution=institution,
        person=person,
        contact_point=contact_point,
        session_id=secrets.token_urlsafe(32),
    )


def _finish(session: EmrexSession, state: str, reason: str = "") -> None:
    session.state = state
    session.reason = reason[:500]
    session.finished_at = timezone.now()
    session.save(update_fields=["state", "reason", "finished_at"])


def receive(*, session_id: str, return_code: str, document: str) -> list:
    """The contact point's answer for a session: the merits stored, or EmrexError saying why
    nothing was stored. The session id (256 random bits, given only to the student's browser)
    identifies the student: the contact point posts it back from another site, where the
    student's login cookie may not travel. The outcome is kept on the session for the page."""
    with transaction.atomic():
        session = (
            EmrexSession.objects.select_for_update()
            .select_related("contact_point")
            .filter(session_id=session_id)
            .first()
        )
        if session is None:
            raise EmrexError(_("Unknown Emrex session. Start again from Foreign merits."))
        if session.state != SessionState.OPEN:
            raise EmrexError(
                _("This Emrex session has already been used. Start again from Foreign merits.")
            )
        if return_code == NCP_CANCEL:
            _finish(session, SessionState.CANCELLED)
            cancelled = True
        else:
            cancelled = False
    if cancelled:
        raise EmrexError(_("You cancelled at the contact point. Nothing was imported."))
    try:
        if return_code not in (NCP_OK, NCP_NO_RESULTS):
            raise ElmoError(
                _("The contact point reported an error (%(code)s).") % {"code": return_code[:40]}
            )
        xml = elmo.decode(document)
        signed = elmo.verify(xml, session.contact_point.certificate)
        elmo.validate(signed)
        found = elmo.merits(signed)
    except ElmoError as refusal:
        with transaction.atomic():
            EmrexSession.objects.filter(pk=session.pk, state=SessionState.OPEN).update(
                state=SessionState.REFUSED, reason=str(refusal)[:500], finished_at=timezone.now()
            )
        raise EmrexError(
            _("The results were refused and nothing was stored: %(why)s") % {"why": refusal}
        ) from None
    with transaction.atomic():
        claimed = EmrexSession.objects.filter(pk=session.pk, state=SessionState.OPEN).update(
            state=SessionState.ACCEPTED, finished_at=timezone.now()
        )
        if not claimed:
            raise EmrexError(
                _("This Emrex session has already been used. Start again from Foreign merits.")
            )
        text = xml.decode("utf-8")
        return ForeignMerit.objects.bulk_create(
            ForeignMerit(
                institution_id=session.institution_id,
                person_id=session.person_id,
                session=session,
                issuer=m.issuer[:200],
                country=m.country[:2],
                title=m.title[:300],
                credits=m.credits,
                scheme=m.scheme[:20],
                grade=m.grade[:50],
                completed_on=m.completed_on,
                document=text,
            )
            for m in found
        )


# --- Export -------------------------------------------------------------------------------------


def export(person: Person, *, institution: Institution, transcript_pdf: bytes | None = None):
    """The student's certified results at the university as signed ELMO (bytes)."""
    from emrex.export import document

    require_enabled(institution)
    return document(person, institution, transcript_pdf)
