"""The certificate tasks of the Celery worker (S-CERT-4)."""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_scopes import scopes_disabled

from certificates import pipeline

logger = logging.getLogger(__name__)

# Errors a later attempt can mend: the database or the file store was briefly away, or the
# render ran out of time on a busy machine. Anything else is a bug or a missing seal key.
TRANSIENT = (OperationalError, InterfaceError, OSError, SoftTimeLimitExceeded)
MAX_RETRIES = 4
# A queued certificate nobody took for this long has lost its task (Redis keeps nothing on
# disk); long enough that a normal queue at the start of term is not sent twice.
REQUEUE_AFTER = datetime.timedelta(minutes=10)


def backoff(retries: int) -> int:
    """10 s, 20 s, 40 s, 80 s: long enough for a restarted database, short for the student."""
    return 10 * 2**retries


def _lease(request) -> int:
    """Celery enforces the hard time limit the sender put on the message, which may differ from
    this worker's own settings: the lease follows the limit that really applies."""
    hard = (request.timelimit or (None, None))[0]
    return int(hard) + 5 if hard else pipeline.lease_seconds()


@worker_process_init.connect
def _warm_up(**_kwargs) -> None:
    """Load WeasyPrint and its fonts when a worker child starts, not inside the first task's
    time limit (several seconds on a busy machine)."""
    try:
        pipeline.render_pdf("<p>.</p>")
    except Exception:
        logger.exception("warming up the PDF renderer failed")


@shared_task(bind=True, name="certificates.render", max_retries=MAX_RETRIES)
def render_certificate(self, certificate_id: int) -> None:
    # The worker serves every university: the row itself says which one.
    with scopes_disabled():
        try:
            pipeline.produce(certificate_id, lease=_lease(self.request))
        except pipeline.Leased as leased:
            # Not a failure: another worker holds the row. Look again when its lease ends. Not
            # counted against MAX_RETRIES (Celery reads max_retries=None as "the task's limit",
            # so that would give up after four waits): one more than this delivery is allowed.
            raise self.retry(
                countdown=int(leased.remaining) + 1, max_retries=self.request.retries + 1
            ) from None
        except TRANSIENT as exc:
            if self.request.retries >= MAX_RETRIES:
                pipeline.fail(certificate_id, f"{type(exc).__name__}: {exc}")
                return
            raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
        except Exception as exc:
            # The row says it failed and why; the traceback goes to the log. Not raised, so a
            # portal without a broker (tasks run in the request) shows the failed certificate
            # and its "Try again" instead of an error page.
            logger.exception("rendering certificate %s failed", certificate_id)
            pipeline.fail(certificate_id, f"{type(exc).__name__}: {exc}")


@shared_task(name="certificates.requeue_stalled")
def requeue_stalled() -> int:
    """Run by beat: certificates whose task was lost or whose worker died go back to a worker."""
    with scopes_disabled():
        pks = pipeline.requeue(timezone.now(), queued_for=REQUEUE_AFTER)
    for pk in pks:
        render_certificate.delay(pk)
    return len(pks)
