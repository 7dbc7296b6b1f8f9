"""Results from digital exam systems (T-EXT-1, B-7): records pushed through the integration API
become drafts, and a record that cannot is kept as a RejectedRecord with its reason, so nothing
is dropped silently. Study administrators correct and re-apply, or dismiss, what was rejected,
and manage the exam systems' clients.

A push is judged as a whole with a fixed number of queries however many records it carries:
each record is matched to its student (by anonymisation code or identity number), module,
course instance and grade; then results.validation checks them as the reporting page would and
results.services.reporting.save_drafts stores the good ones (source API, the activity session,
reported in the client's acting user's name). Pushing the same batch again changes nothing: an
identical draft is "unchanged", and the same rejected record is found again instead of kept twice
(by the exam system's external_id, or by the identical payload). A result already marked ready or
certified from the session is never changed from outside: the record is rejected.

Reasons kept on a RejectedRecord are written in English, the language of the API, and shown to
staff translated where the text has no inserted values (results.queries.integration).
"""

import datetime
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import CourseInstance, Grade, Module
from exams.models import ActivitySession, Signup
from institutions.models import Institution
from people import identity
from people.models import Person, User
from people.rules import administers_studies_at
from registration.models import CourseParticipation
from results.api_auth import hash_token, new_token
from results.errors import InvalidEntries, NotAllowed, ResultError, StaleResult
from results.models import (
    OPEN_STATES,
    VISIBLE_TO_STUDENT,
    AnnotationColumn,
    AnnotationKind,
    ApiClient,
    InboundState,
    RejectedRecord,
    Result,
    ResultSource,
    ResultState,
)
from results.rules import REPORTING_ROLES, Rights
from results.services import reporting
from results.validation import Entry, check_entries

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
_REASON_MAX = 500


class Busy(ResultError):
    """Another push for the same students kept changing them under this one; nothing was saved
    and the client should send the batch again."""


@dataclass(frozen=True)
class Pushed:
    """One record as an exam system sent it (already well-formed: results.api_schemas)."""

    grade: str
    examination_date: datetime.date
    anonymisation_code: str | None = None
    identity_number: str | None = None
    module_code: str | None = None
    points: Decimal | None = None
    external_id: str | None = None

    def payload(self) -> dict:
        """What is kept on a RejectedRecord: the fields sent, as JSON, nothing added."""
        data = asdict(self)
        data["examination_date"] = self.examination_date.isoformat()
        data["points"] = points_text(self.points) if self.points is not None else None
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_payload(cls, payload: dict) -> "Pushed":
        fields = {k: v for k, v in payload.items() if k in cls.__dataclass_fields__}
        fields["examination_date"] = datetime.date.fromisoformat(fields["examination_date"])
        if fields.get("points") is not None:
            fields["points"] = Decimal(fields["points"])
        return cls(**fields)


def points_text(points: Decimal) -> str:
    """12.50 → "12.5", 100 → "100": one spelling, so a re-sent value is seen as unchanged."""
    text = format(points, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _payload_key(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True)


@dataclass
class Outcome:
    """What became of one record. `target` (person, instance, module ids) is set for a record
    that became or matched a draft."""

    index: int
    kind: str
    record: Pushed
    reason: str = ""
    rejected: RejectedRecord | None = None
    target: tuple[int, int, int] | None = None


@dataclass
class SessionContext:
    """What judging records for one activity session needs, read once (four queries)."""

    session: ActivitySession
    modules: list[Module]
    instances: list[CourseInstance]
    grades: dict[int, list[Grade]]  # grading scale id → its grades, lowest first
    points_modules: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, session: ActivitySession) -> "SessionContext":
        instances = list(session.course_instances.select_related("course").order_by("pk"))
        modules = list(session.modules.select_related("course", "grading_scale"))
        if not modules:
            # A session linked to no module in particular examines the modules of its courses.
            modules = list(
                Module.objects.filter(
                    course_id__in={i.course_id for i in instances}
                ).select_related("course", "grading_scale")
            )
        grades: dict[int, list[Grade]] = defaultdict(list)
        for grade in Grade.objects.filter(
            scale_id__in={m.grading_scale_id for m in modules}
        ).order_by("scale_id", "rank"):
            grades[grade.scale_id].append(grade)
        points = set(
            AnnotationColumn.objects.filter(
                module__in=modules, kind=AnnotationKind.POINTS
            ).values_list("module_id", flat=True)
        )
        return cls(session, modules, instances, dict(grades), points)

    def grade(self, module: Module, code: str) -> Grade | None:
        wanted = code.upper()
        return next(
            (g for g in self.grades.get(module.grading_scale_id, []) if g.code.upper() == wanted),
            None,
        )


@dataclass
class _People:
    """The students behind a batch's keys, and where they participate (three queries)."""

    signups: dict[str, Signup]
    by_number: dict[str, Person]
    numbers: dict[str, str | ValidationError]  # as sent → canonical, or why it is invalid
    instances_of: dict[int, set[int]]

    @classmethod
    def load(cls, ctx: SessionContext, records: list[Pushed]) -> "_People":
        codes = {r.anonymisation_code for r in records if r.anonymisation_code}
        signups = {
            s.anonymisation_code: s
            for s in Signup.objects.filter(
                session=ctx.session, anonymisation_code__in=codes
            ).select_related("person")
        }
        numbers: dict[str, str | ValidationError] = {}
        for raw in {r.identity_number for r in records if r.identity_number}:
            try:
                numbers[raw] = identity.normalise(raw)
            except ValidationError as error:
                numbers[raw] = error
        valid = [n for n in numbers.values() if isinstance(n, str)]
        by_number = {p.identity_number: p for p in Person.objects.filter(identity_number__in=valid)}
        person_ids = {s.person_id for s in signups.values()} | {p.pk for p in by_number.values()}
        instances_of: dict[int, set[int]] = defaultdict(set)
        for person_id, instance_id in CourseParticipation.objects.filter(
            person_id__in=person_ids, course_instance__in=ctx.instances
        ).values_list("person_id", "course_instance_id"):
            instances_of[person_id].add(instance_id)
        return cls(signups, by_number, numbers, instances_of)


@dataclass
class _Existing:
    """The students' open results and the results certified from this session (one query)."""

    open: dict[tuple[int, int, int], Result]
    certified: dict[tuple[int, int], Result]  # (person, module) → certified from this session

    @classmethod
    def load(cls, ctx: SessionContext, person_ids: set[int]) -> "_Existing":
        rows = Result.objects.filter(
            person_id__in=person_ids,
            module__in=ctx.modules,
            state__in=(*OPEN_STATES, *VISIBLE_TO_STUDENT),
        ).order_by("certified_at", "pk")
        open_results, certified = {}, {}
        for r in rows:
            if r.state in OPEN_STATES:
                open_results[(r.person_id, r.course_instance_id, r.module_id)] = r
            elif r.activity_session_id == ctx.session.pk:
                # A result of another session (an earlier attempt) does not stand in the way.
                certified[(r.person_id, r.module_id)] = r
        return cls(open_results, certified)


@dataclass
class _Planned:
    index: int
    instance: CourseInstance
    module: Module
    entry: Entry
    unchanged: bool


def _module(ctx: SessionContext, record: Pushed) -> tuple[Module | None, str]:
    if record.module_code is None:
        if len(ctx.modules) == 1:
            return ctx.modules[0], ""
        if not ctx.modules:
            return None, _("The session has no module to report on.")
        return None, _("Give module_code: the session examines more than one module.")
    found = [m for m in ctx.modules if m.code == record.module_code]
    if len(found) > 1:
        return None, _("Several courses of the session have a module with this code.")
    if not found:
        return None, _("The session has no module with this code.")
    return found[0], ""


def _person(ctx: SessionContext, people: _People, record: Pushed) -> tuple[Person | None, str]:
    if record.anonymisation_code is not None:
        return _by_code(ctx, people, record.anonymisation_code)
    if ctx.session.anonymous:
        # B-6: a record keyed by identity number would write a draft under the name and tell
        # the sender which code's result it replaces.
        return None, _("The session is anonymous; identify the student by anonymisation_code.")
    number = people.numbers[record.identity_number]
    if isinstance(number, ValidationError):
        return None, str(number.messages[0])
    person = people.by_number.get(number)
    if person is None:
        # The same words as for a person who exists but not on the course: the API does not
        # tell whether a number belongs to anyone elsewhere.
        return None, _("The student is not and has not been registered on this course.")
    return person, ""


def _by_code(ctx: SessionContext, people: _People, code: str) -> tuple[Person | None, str]:
    if not ctx.session.anonymous:
        return None, _("The session is not anonymous; identify the student by identity_number.")
    signup = people.signups.get(code)
    if signup is None:
        return None, _("No sign-up to this session has this anonymisation code.")
    if signup.cancelled_at is not None:
        return None, _("The sign-up with this anonymisation code was cancelled.")
    return signup.person, ""


def _instance(
    ctx: SessionContext, people: _People, module: Module, person: Person
) -> tuple[CourseInstance | None, str]:
    candidates = [i for i in ctx.instances if i.course_id == module.course_id]
    if not candidates:
        return None, _("The module's course is not examined on this session.")
    own = [i for i in candidates if i.pk in people.instances_of.get(person.pk, set())]
    if len(own) == 1:
        return own[0], ""
    if len(candidates) == 1:
        return candidates[0], ""
    return None, _(
        "The session has several instances of the course and the student takes part in "
        "none or more than one of them."
    )


def _annotations(ctx: SessionContext, module: Module, record: Pushed, draft: Result | None):
    """The draft's annotations with the points set; None when points cannot be kept."""
    annotations = dict(draft.annotations) if draft else {}
    if record.points is not None:
        if module.pk not in ctx.points_modules:
            return None
        annotations[AnnotationKind.POINTS.value] = points_text(record.points)
    return annotations


def _plan_one(
    ctx: SessionContext, people: _People, existing: _Existing, index: int, record: Pushed
) -> tuple[_Planned | None, list[str]]:
    module, why_module = _module(ctx, record)
    person, why_person = _person(ctx, people, record)
    if module is None or person is None:
        return None, [r for r in (why_module, why_person) if r]
    instance, why = _instance(ctx, people, module, person)
    if instance is None:
        return None, [why]
    draft = existing.open.get((person.pk, instance.pk, module.pk))
    certified = existing.certified.get((person.pk, module.pk)) if draft is None else None
    current = draft or certified
    grade = ctx.grade(module, record.grade)
    annotations = _annotations(ctx, module, record, current)
    # The same record again is "unchanged" whatever state its result has reached; anything
    # else for a result marked ready or certified is refused.
    unchanged = (
        current is not None
        and grade is not None
        and current.grade_id == grade.pk
        and current.examination_date == record.examination_date
        and current.annotations == annotations
    )
    reasons = []
    if grade is None:
        reasons.append(_("The grade is not on the module's grading scale."))
    if annotations is None:
        reasons.append(_("The module has no examination points column; points cannot be kept."))
    if not unchanged and draft is not None and draft.state == ResultState.READY:
        reasons.append(
            _(
                "The student's result on this module is already marked as ready; report a "
                "correction through the staff web."
            )
        )
    elif not unchanged and certified is not None:
        reasons.append(
            _(
                "The student's result on this module from this session is already certified; "
                "report a correction through the staff web."
            )
        )
    if reasons:
        return None, reasons
    entry = Entry(
        person=person,
        grade=grade,
        examination_date=record.examination_date,
        annotations=annotations,
        result=draft,
        version=draft.version if draft else None,
    )
    return _Planned(index, instance, module, entry, unchanged), []


def _judge(
    ctx: SessionContext, records: list[Pushed]
) -> tuple[list[Outcome], dict[tuple[int, int], list[_Planned]]]:
    """Every record's outcome as far as it can be told before saving, and the records that may
    be saved, grouped by course instance and module."""
    people = _People.load(ctx, records)
    person_ids = {s.person_id for s in people.signups.values()}
    person_ids |= {p.pk for p in people.by_number.values()}
    existing = _Existing.load(ctx, person_ids)
    outcomes: list[Outcome] = []
    groups: dict[tuple[int, int], list[_Planned]] = defaultdict(list)
    for index, record in enumerate(records):
        planned, reasons = _plan_one(ctx, people, existing, index, record)
        outcomes.append(Outcome(index, REJECTED, record, reason=_join(reasons)))
        if planned is not None:
            groups[(planned.instance.pk, planned.module.pk)].append(planned)
    for rows in groups.values():
        errors = check_entries(rows[0].instance, rows[0].module, [p.entry for p in rows])
        for position, planned in enumerate(rows):
            outcome = outcomes[planned.index]
            if position in errors:
                outcome.reason = _join(errors[position])
                continue
            outcome.kind = (
                UNCHANGED if planned.unchanged else UPDATED if planned.entry.result else CREATED
            )
            outcome.target = (planned.entry.person.pk, planned.instance.pk, planned.module.pk)
        rows[:] = [p for p in rows if outcomes[p.index].kind in (CREATED, UPDATED)]
    return outcomes, groups


def _join(reasons: list[str]) -> str:
    return "\n".join(reasons)[:_REASON_MAX]


def _save(actor: User, ctx: SessionContext, groups: dict[tuple[int, int], list[_Planned]]):
    for rows in groups.values():
        if rows:
            reporting.save_drafts(
                actor,
                course_instance=rows[0].instance,
                module=rows[0].module,
                entries=[p.entry for p in rows],
                source=ResultSource.API,
                activity_session=ctx.session,
            )


def require_rights(actor: User, ctx: SessionContext) -> None:
    """The client's acting user must be allowed to report on every course of the session."""
    rights = Rights.load(actor, ctx.session.institution_id)
    missing = sorted({i.course.code for i in ctx.instances if not rights.may_report(i.course)})
    if missing:
        raise NotAllowed(
            _(
                "The exam system's acting user %(user)s has no right to report results on "
                "%(courses)s. A study administrator can give the client another acting user."
            )
            % {"user": actor.get_username(), "courses": ", ".join(missing)}
        )


def push(client: ApiClient, *, session: ActivitySession, records: list[Pushed]) -> list[Outcome]:
    """T-EXT-1: the records of one push, each saved as a draft or kept as rejected, in one
    transaction. Raises NotAllowed when the client's acting user may not report here, and Busy
    when a concurrent change defeated two attempts."""
    actor = client.acting_user
    with translation.override("en"):
        ctx = SessionContext.load(session)
        require_rights(actor, ctx)
        for attempt in range(2):
            try:
                with transaction.atomic():
                    outcomes, groups = _judge(ctx, records)
                    _save(actor, ctx, groups)
                    _keep_rejected(client, ctx, outcomes)
                    return outcomes
            except (StaleResult, InvalidEntries):
                # Someone (often the same batch sent twice at once) saved results for these
                # students between our reading and our saving. Judge again: their drafts are
                # there now, and ours become "unchanged" or updates.
                if attempt:
                    raise Busy(
                        _("Results for these students changed while saving; send the batch again.")
                    ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _keep_rejected(client: ApiClient, ctx: SessionContext, outcomes: list[Outcome]) -> None:
    """A rejected record is kept once: found again by its identical payload, or (while still
    open) by its external id, whose payload and reason then follow the latest push. An open
    record that now went through is marked applied."""
    existing = list(RejectedRecord.objects.filter(client=client, session=ctx.session))
    by_payload = {_payload_key(r.payload): r for r in existing}
    by_external = {
        r.payload["external_id"]: r
        for r in existing
        if r.state == InboundState.REJECTED and "external_id" in r.payload
    }
    created: list[RejectedRecord] = []
    changed: dict[int, RejectedRecord] = {}
    applied: list[tuple[RejectedRecord, Outcome]] = []
    for outcome in outcomes:
        payload = outcome.record.payload()
        key = _payload_key(payload)
        found = by_payload.get(key) or by_external.get(payload.get("external_id"))
        if outcome.kind != REJECTED:
            if found is not None and found.state == InboundState.REJECTED:
                applied.append((found, outcome))
            continue
        if found is None:
            found = RejectedRecord(
                institution_id=client.institution_id,
                client=client,
                session=ctx.session,
                payload=payload,
                reason=outcome.reason,
            )
            created.append(found)
        elif found.state == InboundState.REJECTED and (
            found.payload != payload or found.reason != outcome.reason
        ):
            found.payload, found.reason = payload, outcome.reason
            changed[found.pk] = found
        by_payload[key] = found
        outcome.rejected = found
    RejectedRecord.objects.bulk_create(created)
    _mark_applied(client.acting_user, applied, changed)
    if changed:
        RejectedRecord.objects.bulk_update(
            list(changed.values()),
            ["payload", "reason", "state", "handled_by", "handled_at", "result"],
        )


def _results_of(targets: list[tuple[int, int, int]]) -> dict[tuple[int, int, int], Result]:
    """The result each (person, instance, module) now stands at: the open one, else the latest
    certified."""
    if not targets:
        return {}
    rows = Result.objects.filter(
        person_id__in={t[0] for t in targets},
        module_id__in={t[2] for t in targets},
        state__in=(*VISIBLE_TO_STUDENT, *OPEN_STATES),
    ).order_by("certified_at", "pk")
    found: dict[tuple[int, int, int], Result] = {}
    for r in rows:
        key = (r.person_id, r.course_instance_id, r.module_id)
        if key not in found or found[key].state not in OPEN_STATES:
            found[key] = r
    return found


def _mark_applied(
    actor: User, applied: list[tuple[RejectedRecord, Outcome]], changed: dict[int, RejectedRecord]
) -> None:
    """The exam system sent a record again and it went through: its earlier rejection is
    settled, with the draft it became."""
    results = _results_of([o.target for _r, o in applied])
    now = timezone.now()
    for record, outcome in applied:
        record.state = InboundState.APPLIED
        record.handled_by, record.handled_at = actor, now
        record.result = results.get(outcome.target)
        changed[record.pk] = record


# ------------------------------------------------------------------------------------------------
# The integration inbox (B-7)


def _require_study_admin(actor: User, institution_id: int) -> None:
    if not administers_studies_at(actor, institution_id):
        raise NotAllowed(_("Only a study administrator may do this."))


def _lock_open(record: RejectedRecord) -> RejectedRecord:
    locked = (
        RejectedRecord.objects.select_for_update(of=("self",))
        .select_related("session", "client")
        .get(pk=record.pk)
    )
    if locked.state != InboundState.REJECTED:
        raise ResultError(_("This record has already been handled."))
    return locked


def reapply(actor: User, *, record: RejectedRecord, corrected: Pushed) -> Outcome:
    """B-7 "correct and re-apply": the corrected record is judged exactly as a push would judge
    it. If it passes, it becomes (or matches) a draft in the actor's name and the record is
    marked applied with it; if not, ResultError carries the new reason and nothing changes."""
    _require_study_admin(actor, record.institution_id)
    with transaction.atomic():
        locked = _lock_open(record)
        ctx = SessionContext.load(locked.session)
        outcomes, groups = _judge(ctx, [corrected])
        outcome = outcomes[0]
        if outcome.kind == REJECTED:
            raise ResultError(outcome.reason)
        _save(actor, ctx, groups)
        locked.state = InboundState.APPLIED
        locked.handled_by, locked.handled_at = actor, timezone.now()
        locked.result = _results_of([outcome.target]).get(outcome.target)
        locked.save(update_fields=["state", "handled_by", "handled_at", "result"])
    record.refresh_from_db()
    return outcome


def dismiss(actor: User, *, record: RejectedRecord, note: str) -> RejectedRecord:
    """B-7: a record that should not become a result (sent by mistake, settled otherwise) leaves
    the open list but stays on record, with who, when and why."""
    note = note.strip()
    if not note:
        raise ResultError(_("Say why the record is dismissed."))
    _require_study_admin(actor, record.institution_id)
    with transaction.atomic():
        locked = _lock_open(record)
        locked.state = InboundState.DISMISSED
        locked.handled_by, locked.handled_at = actor, timezone.now()
        locked.dismissal_note = note[:500]
        locked.save(update_fields=["state", "handled_by", "handled_at", "dismissal_note"])
    return locked


# ------------------------------------------------------------------------------------------------
# Clients (T-EXT-1)


def _may_act(user: User, institution_id: int) -> bool:
    return user.staff_roles.filter(institution_id=institution_id, role__in=REPORTING_ROLES).exists()


def create_client(
    actor: User, *, institution: Institution, name_sv: str, name_en: str, acting_user: User
) -> tuple[ApiClient, str]:
    """A new exam-system client and its token. The token is returned this once; only its
    SHA-256 is kept, so a lost token means a new client."""
    _require_study_admin(actor, institution.pk)
    if not _may_act(acting_user, institution.pk):
        raise ResultError(
            _("The acting user must have a right to report results at this university.")
        )
    return _new_client(institution, name_sv, name_en, acting_user)


def _new_client(
    institution: Institution, name_sv: str, name_en: str, acting_user: User
) -> tuple[ApiClient, str]:
    token = new_token()
    client = ApiClient.objects.create(
        institution=institution,
        name_sv=name_sv,
        name_en=name_en,
        token_hash=hash_token(token),
        acting_user=acting_user,
    )
    return client, token


def deactivate_client(actor: User, *, client: ApiClient) -> ApiClient:
    """The client's token stops working at once; the client and its records stay."""
    _require_study_admin(actor, client.institution_id)
    ApiClient.objects.filter(pk=client.pk).update(active=False)
    client.active = False
    return client


def demo_client(institution: Institution, acting_user: User) -> tuple[ApiClient, str]:
    """For seed_demo: an exam system at `institution` reporting as `acting_user` (who should be
    a study administrator or reporter there). Returns the client and its token."""
    return _new_client(
        institution, "Digitalt examinationssystem", "Digital exam system", acting_user
    )
