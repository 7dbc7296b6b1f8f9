"""The same batch pushed twice at the same moment (T-EXT-1): each push in its own thread and
database connection, on PostgreSQL where the one-open-result constraint really refuses the
second insert. Whatever the interleaving there is one draft per student, and both pushes are
answered 200 (the later one finds the earlier one's drafts and calls them unchanged)."""

import threading

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from results.models import RejectedRecord, Result, ResultEvent
from results.services import integration
from tests.results.api_world import exam_at, post

pytestmark = [
    pytest.mark.postgres,
    # The flush after each test empties the grading scales; the factories put them back.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's locks"),
]


def _push_twice_at_once(exam, batch) -> list:
    barrier = threading.Barrier(2)
    answers: list = [None, None]

    def body(index: int) -> None:
        try:
            connection.ensure_connection()  # connect first, so that both start together
            barrier.wait(timeout=10)
            response = post(exam.results_url, batch)
            answers[index] = (response.status_code, response.json())
        except Exception as exc:  # the answer, whatever it is, is what the test asserts on
            answers[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [t.is_alive() for t in threads] == [False, False]
    return answers


def _assert_one_of_each(exam, answers, batch_size: int) -> None:
    assert [a[0] for a in answers] == [200, 200], answers
    created = sorted(a[1]["created"] for a in answers)
    unchanged = sorted(a[1]["unchanged"] for a in answers)
    assert created == [0, batch_size]
    assert unchanged == [0, batch_size]
    with scopes_disabled():
        assert Result.objects.filter(activity_session=exam.session).count() == batch_size
        assert ResultEvent.objects.count() == batch_size
        assert RejectedRecord.objects.count() == 0


@pytest.fixture
def both_read_before_either_saves(monkeypatch):
    """Hold each push after it has judged its records until the other has judged too, so that
    both believe there is no draft yet: the true race, every time. The second attempt of a
    push (after the constraint refused it) does not wait."""
    barrier = threading.Barrier(2)
    judged = threading.local()
    original = integration._judge

    def judge_then_wait(*args, **kwargs):
        outcome = original(*args, **kwargs)
        if not getattr(judged, "once", False):
            judged.once = True
            barrier.wait(timeout=10)
        return outcome

    monkeypatch.setattr(integration, "_judge", judge_then_wait)


def test_a_double_push_in_a_true_race_creates_each_draft_once(
    institution, both_read_before_either_saves
):
    with scopes_disabled():
        exam = exam_at(institution)
        batch = [exam.record(n) for n in range(3)]
    answers = _push_twice_at_once(exam, batch)
    _assert_one_of_each(exam, answers, 3)


def test_double_pushes_however_they_interleave_create_each_draft_once(institution):
    with scopes_disabled():
        exam = exam_at(institution, students=4)
    # Created, then changed twice: racing creations and racing updates of the same drafts.
    for grade in ("G", "U", "G"):
        batch = [exam.record(n, grade=grade) for n in range(4)]
        answers = _push_twice_at_once(exam, batch)
        assert [a[0] for a in answers] == [200, 200], answers
        with scopes_disabled():
            drafts = Result.objects.filter(activity_session=exam.session)
            assert drafts.count() == 4
            assert {d.grade.code for d in drafts} == {grade}
