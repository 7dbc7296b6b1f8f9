"""Random sequences of everything staff do with results, checked against a model after every step
(DESIGN.md § Workflows; T-ROLE-1, T-REP-1, T-REP-3, T-CERT-1, T-CERT-2, T-REM-1).

Hypothesis drives report, change (sometimes from an old page), mark ready, un-mark, correct,
certify (sometimes from an old preview), prepare and withdraw a removal, remove, discard a draft
and report a course grade, by the reporter, the examiner, the study administrator, an examiner of
another course and a student, on two students with two modules and the course grade. The model
predicts for each act whether it is allowed; the services must agree, and a refusal
(a ResultError, or NotAllowed for a missing right) must change nothing. After every step:

- every result's history is a chain of moves the table allows and its version is its number of
  events; the events are exactly the successful moves;
- the database holds what the model says (state, version, grade, date);
- a student sees exactly their certified and prepared-for-removal results;
- a certified grade and date never change;
- at most one open result per student and module (or course);
- a certified course grade rests on passed, certified module results.

Each example runs in a savepoint that is rolled back, on the world the test built once.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from people.models import User
from results import workflow
from results.errors import NotAllowed, ResultError
from results.models import (
    OPEN_STATES,
    VISIBLE_TO_STUDENT,
    Result,
    ResultAction,
    ResultEvent,
    ResultState,
)
from results.queries import student as student_queries
from results.services import certifying, removal, reporting
from results.validation import Entry
from tests.factories import UserFactory
from tests.factories.results import grade, reporting_world
from tests.results.deep_helpers import days_ago

pytestmark = pytest.mark.django_db

S = ResultState
A = ResultAction

ACTORS = ["reporter", "examiner", "study_admin", "outsider", "student"]
REPORTING = {"reporter", "examiner", "study_admin"}
CERTIFYING = {"examiner"}
GRADES = ["G", "G", "U", "5"]  # "5" is on another scale: refused
DAYS = [1, 2, 2, 3, 5, -1, 40]  # -1: in the future; 40: before the instance started
STALE = [False, False, False, True]

# Mostly the people who may do the act, sometimes anybody (the rest must be refused).
reporters = st.sampled_from(["reporter", "examiner", "study_admin"]) | st.sampled_from(ACTORS)
examiners = st.just("examiner") | st.sampled_from(ACTORS)
ticked_all = st.sampled_from([True, True, False])
codes = st.sampled_from(GRADES)
days = st.sampled_from(DAYS)
stale = st.sampled_from(STALE)
pick = st.integers(min_value=0, max_value=60)
picks = st.lists(pick, min_size=1, max_size=3)
reasons = st.sampled_from(["Dnr 2026/17", "Beslut 12", "  "])


@dataclass
class Expected:
    """What the model believes one result to be."""

    pk: int
    person_id: int
    module_id: int | None
    state: str
    version: int
    grade: str
    date: datetime.date
    certified_seq: int | None = None
    removal_reason: str = ""


class ResultMachine(RuleBasedStateMachine):
    # Set by the test on a subclass: the world and the staff as users.
    world = None
    users: dict[str, User] = {}
    grades: dict[str, object] = {}
    seen: Counter = Counter()

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.model: dict[int, Expected] = {}
        self.moves = 0  # successful moves: one event each
        # Students whose results moved since the last check. The others' pages cannot have
        # changed: the database holds exactly the model's rows (first invariant).
        self.touched: set[int] = set()
        self.certify_seq = 0
        self.certified_values: dict[int, tuple[str, datetime.date]] = {}

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- The model's view of the rules ---------------------------------------------------

    def _grade(self, code):
        return self.grades[code]

    def _valid_module_entry(self, code, on):
        return code in ("G", "U") and 0 <= on <= 30

    def _counting(self, person_id):
        """module → the counting (latest certified, not removed) module result, as
        results.validation.counting_module_results defines it."""
        counting = {}
        rows = [
            e
            for e in self.model.values()
            if e.person_id == person_id
            and e.module_id is not None
            and e.state in VISIBLE_TO_STUDENT
        ]
        for e in sorted(rows, key=lambda e: (e.date, e.certified_seq, e.pk)):
            counting[e.module_id] = e
        return counting

    def _basis(self, person_id):
        """Whether every module is passed and certified, and the date of the latest."""
        counting = self._counting(person_id)
        modules = [m.pk for m in self.world.modules]
        if any(m not in counting or counting[m].grade == "U" for m in modules):
            return False, None
        return True, max(counting[m].date for m in modules)

    def _valid_entry(self, person_id, module_id, code, on):
        if module_id is not None:
            return self._valid_module_entry(code, on)
        passed, latest = self._basis(person_id)
        return code == "G" and passed and days_ago(on) == latest

    def _course_graded(self, person_id):
        """A certified course grade rests on the person's results: nothing new is reported
        until it is removed (T-REM-1, results.validation)."""
        return any(
            e.person_id == person_id and e.module_id is None and e.state in VISIBLE_TO_STUDENT
            for e in self.model.values()
        )

    def _open(self, person_id, module_id):
        return [
            e
            for e in self.model.values()
            if e.person_id == person_id and e.module_id == module_id and e.state in OPEN_STATES
        ]

    def _rests_on(self, e):
        """A certified course grade rests on this certified module result (T-REM-1)."""
        return (
            e.module_id is not None
            and e.state in VISIBLE_TO_STUDENT
            and any(
                o.person_id == e.person_id and o.module_id is None and o.state in VISIBLE_TO_STUDENT
                for o in self.model.values()
            )
        )

    # --- Acting ------------------------------------------------------------------------------

    def _chosen(self, index, aimed_at=()):
        """A result by index: among those in the states `aimed_at` when there are any (a
        person acts mostly on results the act fits), else among all."""
        keys = sorted(pk for pk, e in self.model.items() if e.state in aimed_at) or sorted(
            self.model
        )
        return self.model[keys[index % len(keys)]]

    def _load(self, expected, old_page=False):
        """The result as a page loaded it; from an old page it carries another version."""
        result = Result.objects.select_related("person", "course_instance__course", "module").get(
            pk=expected.pk
        )
        if old_page:
            result.version = result.version - 1 if result.version > 1 else result.version + 1
        return result

    def _attempt(self, name, allowed, act):
        """Run the act; it must succeed exactly when the model allows it. A refusal must be a
        ResultError or NotAllowed (the invariants then prove it changed nothing)."""
        try:
            outcome = act()
        except (ResultError, NotAllowed) as refusal:
            assert not allowed, f"{name} refused though allowed: {refusal}"
            self.seen[f"{name} refused"] += 1
            return None
        assert allowed, f"{name} was done though it should have been refused"
        self.seen[name] += 1
        return outcome

    def _person(self, index):
        return self.world.students[index % len(self.world.students)]

    # --- Rules -------------------------------------------------------------------------------

    @initialize(
        start=st.sampled_from(
            ["nothing", "drafts", "ready", "certified modules", "course grade ready"]
        )
    )
    def begin(self, start):
        """Where the term stands when the sequence starts, reached through the services by the
        world's own staff: nothing reported yet, every module reported, marked ready, or
        certified (so that a course grade can be reported at once), or a course grade marked
        ready for the first student as well."""
        if start == "nothing":
            return
        for module in self.world.modules:
            for person in self.world.students:
                self._report("reporter", person, module, "G", 2, allowed=True)
        if start == "drafts":
            return
        drafts = list(self.model.values())
        self._attempt(
            "mark ready",
            True,
            lambda: reporting.mark_ready(
                self.users["reporter"],
                results=[self._load(e) for e in drafts],
                graded_by=self.users["reporter"],
                notify=self.users["examiner"],
            ),
        )
        self._moved(drafts, S.READY)
        if start == "ready":
            return
        self.certify("examiner", [0], select_all=True, old_page=False)
        if start == "certified modules":
            return
        self.report_course_grade("reporter", 0, exact=True, on=0)
        self.mark_ready("reporter", [0], True, False, "reporter", "examiner")

    @rule(actor=reporters, who=pick, module=st.sampled_from([0, 1]), code=codes, on=days)
    def report(self, actor, who, module, code, on):
        person = self._person(who)
        module = self.world.modules[module]
        allowed = (
            actor in REPORTING
            and self._valid_module_entry(code, on)
            and not self._open(person.pk, module.pk)
            and not self._course_graded(person.pk)
        )
        self._report(actor, person, module, code, on, allowed)

    @rule(actor=reporters, who=pick, exact=ticked_all, on=days)
    def report_course_grade(self, actor, who, exact, on):
        """Mostly (`exact`) as the reporting page proposes it: for a student whose modules are
        all passed, dated the day of the latest; else anybody on any day (then refused)."""
        person = self._person(who)
        if exact:
            ready = [p for p in self.world.students if self._basis(p.pk)[0]]
            person = ready[who % len(ready)] if ready else person
        _passed, latest = self._basis(person.pk)
        if exact and latest is not None:
            on = (days_ago(0) - latest).days
        allowed = (
            actor in REPORTING
            and self._valid_entry(person.pk, None, "G", on)
            and not self._open(person.pk, None)
            and not self._course_graded(person.pk)
        )
        self._report(actor, person, None, "G", on, allowed)

    def _report(self, actor, person, module, code, on, allowed):
        entry = Entry(person=person, grade=self._grade(code), examination_date=days_ago(on))
        counts = self._attempt(
            "report" if module else "report course grade",
            allowed,
            lambda: reporting.save_drafts(
                self.users[actor],
                course_instance=self.world.instance,
                module=module,
                entries=[entry],
            ),
        )
        if counts is None:
            return
        assert counts == {"created": 1, "changed": 0, "unchanged": 0}
        created = Result.objects.get(
            person=person, module=module, state=S.DRAFT, course_instance=self.world.instance
        )
        assert created.pk not in self.model
        self.model[created.pk] = Expected(
            created.pk, person.pk, module.pk if module else None, S.DRAFT, 1, code, days_ago(on)
        )
        self.moves += 1
        self.touched.add(person.pk)

    def _change(self, name, actor, pk, code, on, old_page, via_correct):
        e = self.model[pk]
        if on is None:
            on = (days_ago(0) - e.date).days
        allowed = (
            actor in REPORTING
            and not old_page
            and e.state in workflow.EDITABLE
            and self._valid_entry(e.person_id, e.module_id, code, on)
        )
        result = self._load(e, old_page)
        entry = Entry(
            person=result.person,
            grade=self._grade(code),
            examination_date=days_ago(on),
            version=result.version,
        )
        if via_correct:
            act = lambda: reporting.correct(self.users[actor], result=result, entry=entry)  # noqa: E731
        else:
            entry.result = result
            act = lambda: reporting.save_drafts(  # noqa: E731
                self.users[actor],
                course_instance=self.world.instance,
                module=result.module,
                entries=[entry],
            )
        if self._attempt(name, allowed, act) is None:
            return
        if (e.grade, e.date) != (code, days_ago(on)):
            e.grade, e.date = code, days_ago(on)
            e.version += 1
            self.moves += 1
            self.touched.add(e.person_id)

    @precondition(lambda self: self.model)
    @rule(actor=reporters, index=pick, aimed=ticked_all, code=codes, on=days, old_page=stale)
    def save(self, actor, index, code, on, old_page, aimed):
        index = self._chosen(index, workflow.EDITABLE if aimed else ()).pk
        self._change("save", actor, index, code, on, old_page, via_correct=False)

    @precondition(lambda self: self.model)
    @rule(actor=reporters, index=pick, aimed=ticked_all, code=codes, old_page=stale)
    def correct(self, actor, index, code, old_page, aimed):
        index = self._chosen(index, workflow.EDITABLE if aimed else ()).pk
        self._change("correct", actor, index, code, None, old_page, via_correct=True)

    def _batch(self, indexes, all_in):
        """The results a person ticked: every result in state `all_in` (the "select all" box)
        when there is one, else the picked ones."""
        if all_in is not None:
            chosen = [e for e in self.model.values() if e.state == all_in]
            if chosen:
                return chosen
        return list({self._chosen(i).pk: self._chosen(i) for i in indexes}.values())

    @precondition(lambda self: self.model)
    @rule(
        actor=reporters,
        indexes=picks,
        select_all=ticked_all,
        old_page=stale,
        graded_by=st.sampled_from(["reporter", "examiner", "study_admin", "outsider"]),
        notify=st.sampled_from([None, "examiner", "examiner", "reporter"]),
    )
    def mark_ready(self, actor, indexes, select_all, old_page, graded_by, notify):
        batch = self._batch(indexes, S.DRAFT if select_all else None)
        allowed = (
            actor in REPORTING
            and not old_page
            and all(e.state == S.DRAFT for e in batch)
            and graded_by in REPORTING
            and notify in (None, "examiner")
        )
        results = [self._load(e, old_page and n == 0) for n, e in enumerate(batch)]
        moved = self._attempt(
            "mark ready",
            allowed,
            lambda: reporting.mark_ready(
                self.users[actor],
                results=results,
                graded_by=self.users[graded_by],
                notify=self.users[notify] if notify else None,
            ),
        )
        if moved is not None:
            self._moved(batch, S.READY)

    @precondition(lambda self: self.model)
    @rule(actor=reporters, indexes=picks, select_all=ticked_all, old_page=stale)
    def unmark(self, actor, indexes, select_all, old_page):
        batch = self._batch(indexes, S.READY if select_all else None)
        allowed = actor in REPORTING and not old_page and all(e.state == S.READY for e in batch)
        results = [self._load(e, old_page and n == 0) for n, e in enumerate(batch)]
        if self._attempt(
            "unmark", allowed, lambda: reporting.unmark(self.users[actor], results=results)
        ):
            self._moved(batch, S.DRAFT)

    @precondition(lambda self: self.model)
    @rule(actor=examiners, indexes=picks, select_all=ticked_all, old_page=stale)
    def certify(self, actor, indexes, select_all, old_page):
        batch = self._batch(indexes, S.READY if select_all else None)
        allowed = (
            actor in CERTIFYING
            and not old_page
            and all(e.state == S.READY for e in batch)
            # T-REM-1 / validation: a course grade only on passed, certified modules.
            and all(self._basis(e.person_id)[0] for e in batch if e.module_id is None)
        )
        results = [self._load(e, old_page and n == len(batch) - 1) for n, e in enumerate(batch)]
        if self._attempt(
            "certify", allowed, lambda: certifying.certify(self.users[actor], results=results)
        ):
            self.certify_seq += 1
            for e in batch:
                e.certified_seq = self.certify_seq
                self.certified_values[e.pk] = (e.grade, e.date)
                if e.module_id is None:
                    self.seen["course grade certified"] += 1
            self._moved(batch, S.CERTIFIED)

    @precondition(lambda self: self.model)
    @rule(actor=reporters, index=pick, aimed=ticked_all, reason=reasons, old_page=stale)
    def prepare_removal(self, actor, index, reason, old_page, aimed):
        e = self._chosen(index, (S.CERTIFIED,) if aimed else ())
        allowed = (
            actor in REPORTING
            and reason.strip() != ""
            and not old_page
            and e.state == S.CERTIFIED
            and not self._rests_on(e)
        )
        result = self._load(e, old_page)
        if self._attempt(
            "prepare removal",
            allowed,
            lambda: removal.prepare_removal(self.users[actor], result=result, reason=reason),
        ):
            e.removal_reason = reason.strip()
            self._moved([e], S.REMOVAL_PREPARED)

    @precondition(lambda self: self.model)
    @rule(actor=reporters, index=pick, aimed=ticked_all, old_page=stale)
    def withdraw_removal(self, actor, index, old_page, aimed):
        e = self._chosen(index, (S.REMOVAL_PREPARED,) if aimed else ())
        allowed = actor in REPORTING and not old_page and e.state == S.REMOVAL_PREPARED
        result = self._load(e, old_page)
        if self._attempt(
            "withdraw removal",
            allowed,
            lambda: removal.withdraw_removal(self.users[actor], result=result),
        ):
            e.removal_reason = ""
            self._moved([e], S.CERTIFIED)

    @precondition(lambda self: self.model)
    @rule(actor=examiners, index=pick, aimed=ticked_all, reason=reasons, old_page=stale)
    def remove(self, actor, index, reason, old_page, aimed):
        e = self._chosen(index, (S.READY, S.CERTIFIED, S.REMOVAL_PREPARED) if aimed else ())
        has_reason = reason.strip() != "" or (e.state == S.REMOVAL_PREPARED and e.removal_reason)
        allowed = (
            actor in CERTIFYING
            and not old_page
            and e.state in (S.READY, S.CERTIFIED, S.REMOVAL_PREPARED)
            and bool(has_reason)
            and not self._rests_on(e)
        )
        result = self._load(e, old_page)
        if self._attempt(
            "remove",
            allowed,
            lambda: removal.remove(self.users[actor], result=result, reason=reason),
        ):
            self._moved([e], S.REMOVED)

    @precondition(lambda self: self.model)
    @rule(actor=reporters, index=pick, aimed=ticked_all, old_page=stale)
    def discard_draft(self, actor, index, old_page, aimed):
        e = self._chosen(index, (S.DRAFT,) if aimed else ())
        allowed = actor in REPORTING and not old_page and e.state == S.DRAFT
        result = self._load(e, old_page)
        self._attempt(
            "discard", allowed, lambda: reporting.discard_draft(self.users[actor], result=result)
        )
        if allowed:  # discard_draft returns nothing; _attempt has proved it succeeded
            self._moved([e], S.REMOVED)

    def _moved(self, batch, to):
        for e in batch:
            e.state = to
            e.version += 1
            self.moves += 1
            self.touched.add(e.person_id)

    # --- Invariants --------------------------------------------------------------------------

    @invariant()
    def the_database_holds_what_the_model_says(self):
        rows = {
            pk: (state, version, code, date)
            for pk, state, version, code, date in Result.objects.filter(
                course_instance=self.world.instance
            ).values_list("pk", "state", "version", "grade__code", "examination_date")
        }
        expected = {e.pk: (e.state, e.version, e.grade, e.date) for e in self.model.values()}
        assert rows == expected

    @invariant()
    def every_change_has_its_event_and_only_allowed_moves_happen(self):
        events = list(
            ResultEvent.objects.filter(result__course_instance=self.world.instance)
            .order_by("pk")
            .values_list(
                "result_id",
                "action",
                "from_state",
                "to_state",
                "grade_before__code",
                "grade_after__code",
                "date_before",
                "date_after",
            )
        )
        assert len(events) == self.moves
        chains: dict[int, list] = {}
        for row in events:
            chains.setdefault(row[0], []).append(row[1:])
        assert set(chains) == set(self.model)
        for pk, chain in chains.items():
            e = self.model[pk]
            assert len(chain) == e.version, (pk, chain)
            state, code, date = "", None, None
            for action, frm, to, g_before, g_after, d_before, d_after in chain:
                assert frm == state, chain
                assert workflow.ALLOWED.get((frm, action)) == to, (frm, action, to)
                assert (g_before, d_before) == (code, date), chain
                state, code, date = to, g_after, d_after
            assert (state, code, date) == (e.state, e.grade, e.date)

    @invariant()
    def a_student_sees_exactly_their_decided_results(self):
        """Through the student queries (S-EDU-3, S-HOME-1, B-6), whose every read starts from
        the VISIBLE_TO_STUDENT filter: certified and prepared-for-removal results, never a
        draft, a ready or a removed one; on the course page each module shows the result that
        counts, the others as earlier attempts, and the latest course grade."""
        course = self.world.instance.course
        touched, self.touched = self.touched, set()
        for person in self.world.students:
            if person.pk not in touched:
                continue
            decided = {
                e.pk
                for e in self.model.values()
                if e.person_id == person.pk and e.state in (S.CERTIFIED, S.REMOVAL_PREPARED)
            }
            filtered = Result.objects.filter(person=person, state__in=VISIBLE_TO_STUDENT)
            assert set(filtered.values_list("pk", flat=True)) == decided
            assert {r.pk for r in student_queries.visible(person)} == decided
            assert {r.pk for r in student_queries.new_results(person)} == decided

            page = student_queries.course_results(person, course, self.world.modules)
            counting = self._counting(person.pk)
            shown = set()
            for row in page.modules:
                expected = counting.get(row.module.pk)
                assert (row.counting.result.pk if row.counting else None) == (
                    expected.pk if expected else None
                )
                shown |= {r.result.pk for r in (row.counting, *row.earlier) if r}
            finals = sorted(
                (e for e in self.model.values() if e.pk in decided and e.module_id is None),
                key=lambda e: (e.date, e.certified_seq, e.pk),
            )
            assert (page.final.result.pk if page.final else None) == (
                finals[-1].pk if finals else None
            )
            assert shown == {pk for pk in decided if self.model[pk].module_id is not None}

    @invariant()
    def a_certified_grade_never_changes(self):
        for pk, (code, date) in self.certified_values.items():
            e = self.model[pk]
            assert e.state in (S.CERTIFIED, S.REMOVAL_PREPARED, S.REMOVED)
            assert (e.grade, e.date) == (code, date)
        # The model is checked against the database by the first invariant.

    @invariant()
    def at_most_one_open_result_per_student_and_module(self):
        doubles = (
            Result.objects.filter(course_instance=self.world.instance, state__in=OPEN_STATES)
            .values("person_id", "module_id")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert not doubles.exists()

    @invariant()
    def a_certified_course_grade_rests_on_passed_modules(self):
        for e in self.model.values():
            if e.module_id is None and e.state in VISIBLE_TO_STUDENT:
                for module in self.world.modules:
                    assert any(
                        o.person_id == e.person_id
                        and o.module_id == module.pk
                        and o.state in VISIBLE_TO_STUDENT
                        and o.grade == "G"
                        for o in self.model.values()
                    ), (e, module)


SETTINGS = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_random_sequences_keep_every_invariant(institution):
    world = reporting_world(institution, students=2, modules=2)
    for n, student in enumerate(world.students):
        student.email = f"student{n}@example.se"
        student.save(update_fields=["email"])
    users = {
        "reporter": world.reporter,
        "examiner": world.examiner,
        "study_admin": world.study_admin,
        "outsider": world.outsider,
        "student": UserFactory(person=world.students[0]),
    }
    grades = {"G": grade("G"), "U": grade("U"), "5": grade("5", "U345")}
    seen: Counter = Counter()
    machine = type(
        "ResultMachine",
        (ResultMachine,),
        {"world": world, "users": users, "grades": grades, "seen": seen},
    )
    run_state_machine_as_test(machine, settings=SETTINGS)
    # The machine really moved results through the workflow, and refused things too (the rarer
    # acts, such as withdrawing a prepared removal, happen in most runs but not in every one).
    for done in ("report", "mark ready", "certify", "report refused", "certify refused"):
        assert seen[done] > 0, (done, seen)
