"""Certify a large batch in one POST on PostgreSQL (T-CERT-1, T-CERT-3): N results marked ready
on one course instance, reviewed, re-authenticated, then the certify POST is timed through the
whole Django stack (middleware, view, service, session). Prints its time and query count, and
those of the preview page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_certify \
        .venv/bin/python bench/certify.py --results 500

It builds a throwaway test database (test_<name>, migrated, dropped at the end) with the test
factories, so it never touches real data. E-mails are queued, not sent, as with a worker.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

from ladokportal import clock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ladokportal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402


def build(count: int):
    """A course instance with `count` results marked ready for its examiner."""
    from django.utils import timezone

    from results.models import Result, ResultState
    from results.services import reporting
    from results.validation import Entry
    from tests.factories import InstitutionFactory
    from tests.factories.results import grade, reporting_world

    world = reporting_world(InstitutionFactory(code="bench"), students=count)
    when = clock.today() - timezone.timedelta(days=2)
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=[Entry(person=p, grade=grade("G"), examination_date=when) for p in world.students],
    )
    drafts = list(Result.objects.filter(state=ResultState.DRAFT))
    reporting.mark_ready(
        world.reporter, results=drafts, graded_by=world.reporter, notify=world.examiner
    )
    return world


def timed(method, *args, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = method(*args, **kwargs)
        elapsed = time.perf_counter() - started
    return response, elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=500)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("set DATABASE_URL to a PostgreSQL database")

    from ladokportal.celery import app as celery_app
    from results.models import Result, ResultState

    celery_app.conf.task_always_eager = False  # queue the e-mails as a worker would get them
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with scopes_disabled():
            world = build(options.results)
        client = Client()
        client.force_login(world.examiner)
        base = f"/staff/results/certify/{world.instance.public_id}/"
        preview_url = client.post(f"{base}review/", {"all": "1"})["Location"]
        response, preview_time, preview_queries = timed(client.get, preview_url)
        html = response.content.decode()
        data = {
            "result": re.findall(r'name="result" value="([0-9a-f-]+)"', html),
            "version": re.findall(r'name="version" value="(\d+)"', html),
        }
        certify_url = f"{preview_url}certify/"
        asked = client.post(certify_url, data)  # suspended: the password is asked for
        if not asked["Location"].startswith("/accounts/reauthenticate/"):
            raise SystemExit(f"expected the re-authentication page, got {asked}")
        client.post("/accounts/reauthenticate/", {"password": "demo"})
        response, certify_time, certify_queries = timed(client.post, certify_url, data)
        if response.status_code != 302:
            raise SystemExit(f"certify answered {response.status_code}")
        with scopes_disabled():
            done = Result.objects.filter(state=ResultState.CERTIFIED).count()
        print(f"preview of {len(data['result'])}: {preview_time:.3f} s, {preview_queries} queries")
        print(f"certify POST: {certify_time:.3f} s, {certify_queries} queries, {done} certified")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
