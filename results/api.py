"""The integration API for digital exam systems (T-EXT-1), at /api/v1/.

An exam system authenticates with its client's token (`Authorization: Bearer …`); the client
belongs to one university, and every query runs inside that university's django-scopes scope,
so another university's session is simply not found (404). The API reads session metadata and
takes results in; it never reads student data out, and its answers echo only what the client
sent (B-6). It speaks English. The OpenAPI schema is generated from the code at openapi.json;
ninja's docs page would load Swagger from a CDN (ninja is not an installed app here), which the
portal's CSP and policy forbid, so it is switched off and docs/integration-api.md explains.
"""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Annotated

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django_scopes import scope
from ninja import Body, NinjaAPI, Status
from ninja.errors import AuthenticationError, ValidationError
from pydantic import Field

from exams.models import ActivitySession
from results.api_auth import ClientToken
from results.api_schemas import (
    MAX_RECORDS,
    Message,
    ModuleOut,
    PushOut,
    RecordIn,
    RecordOutcome,
    SessionOut,
    ValidationOut,
)
from results.errors import NotAllowed
from results.models import ApiClient
from results.services import integration

api = NinjaAPI(
    title="Ladokportal integration API",
    version="1",
    description=(
        "Digital exam systems push results as drafts (T-EXT-1). Every record that cannot become "
        "a draft is kept in the university's integration inbox with its reason (B-7)."
    ),
    auth=ClientToken(),
    docs_url=None,
    urls_namespace="api",
)

_ERRORS = {401: Message, 404: Message, 422: ValidationOut}


def _in_client_scope(view: Callable) -> Callable:
    """Run the operation inside the client's university and in English."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        client: ApiClient = request.auth
        with translation.override("en"), scope(institution=[client.institution_id]):
            return view(request, *args, **kwargs)

    return wrapper


def _session(session_id: uuid.UUID) -> ActivitySession:
    # The scope restricts this to the client's university: another's session is a 404.
    session = ActivitySession.objects.select_related("retake").filter(public_id=session_id).first()
    if session is None:
        raise Http404
    return session


@api.get(
    "/sessions/{session_id}",
    response={200: SessionOut, **_ERRORS},
    operation_id="get_session",
    summary="An activity session: its modules, grades and reporting deadline",
)
@_in_client_scope
def get_session(request: HttpRequest, session_id: uuid.UUID):
    session = _session(session_id)
    ctx = integration.SessionContext.load(session)
    return Status(
        200,
        SessionOut(
            id=session.public_id,
            label=session.label,
            kind=session.kind,
            name_sv=session.name_sv,
            name_en=session.name_en,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            anonymous=session.anonymous,
            reporting_deadline=session.reporting_deadline,
            modules=[
                ModuleOut(
                    code=m.code,
                    course_code=m.course.code,
                    name_sv=m.name_sv,
                    name_en=m.name_en,
                    grading_scale=m.grading_scale.code,
                    grades=[g.code for g in ctx.grades.get(m.grading_scale_id, [])],
                    points=m.pk in ctx.points_modules,
                )
                for m in ctx.modules
            ],
        ),
    )


Records = Annotated[list[RecordIn], Field(min_length=1, max_length=MAX_RECORDS)]


@api.post(
    "/sessions/{session_id}/results",
    response={200: PushOut, 400: Message, 403: Message, 409: Message, **_ERRORS},
    operation_id="push_results",
    summary="Push results of an activity session; they arrive as drafts",
)
@_in_client_scope
def push_results(request: HttpRequest, session_id: uuid.UUID, records: Body[Records]):
    session = _session(session_id)
    try:
        outcomes = integration.push(
            request.auth, session=session, records=[r.to_pushed() for r in records]
        )
    except NotAllowed as error:
        return Status(403, Message(detail=str(error)))
    except integration.Busy as error:
        return Status(409, Message(detail=str(error)))
    rows = [_outcome(o) for o in outcomes]
    counts = {kind: sum(1 for o in outcomes if o.kind == kind) for kind in _KINDS}
    return Status(200, PushOut(**counts, records=rows))


_KINDS = (integration.CREATED, integration.UPDATED, integration.UNCHANGED, integration.REJECTED)


def _outcome(outcome: integration.Outcome) -> RecordOutcome:
    sent = outcome.record
    return RecordOutcome(
        index=outcome.index,
        outcome=outcome.kind,
        reason=outcome.reason or None,
        rejected_id=outcome.rejected.public_id if outcome.rejected else None,
        anonymisation_code=sent.anonymisation_code,
        identity_number=sent.identity_number,
        module_code=sent.module_code,
        external_id=sent.external_id,
    )


@api.exception_handler(ValidationError)
def _malformed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 naming each bad field, in one stable shape: loc, msg, type (no echo of the input)."""
    issues = [
        {"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": e.get("type", "")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": issues}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "A valid client token is required: Authorization: Bearer <token>."},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def _public(patterns: list) -> list:
    """The API answers to its token, not to a login: every view is exempt from the login
    requirement (ninja's views are already exempt from CSRF; a token is no cookie)."""
    for pattern in patterns:
        login_not_required(pattern.callback)
    return patterns


def urls() -> tuple[list, str, str]:
    patterns, app_name, namespace = api.urls
    return _public(patterns), app_name, namespace
