"""The report sheet with many participants on PostgreSQL (T-REP-1): N students registered on one
course instance, half of them with drafts, a column for examination points. Times the sheet's
GET and a Save that changes every draft and reports every other student on the page, through the
whole Django stack (middleware, view, service, session), and prints the query counts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_report \
        .venv/bin/python bench/report_page.py --students 500 [--one-page]

A form may post at most DATA_UPLOAD_MAX_NUMBER_FIELDS fields (Django's default 1000), so with the
setting as it is the sheet is split into pages (staffweb.results.report.sheet.Pager) and the first
page is measured; --one-page lifts the limit for this run to measure all N rows on one page.

It builds a throwaway test database (test_<name>, migrated, dropped at the end) with the test
factories, so it never touches real data.
"""

import argparse
import datetime
import os
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
    """A course instance with `count` registered students, the first half with drafts."""

    from results.models import AnnotationColumn, AnnotationKind
    from results.services import reporting
    from results.validation import Entry
    from tests.factories import InstitutionFactory
    from tests.factories.results import grade, reporting_world

    world = reporting_world(InstitutionFactory(code="bench"), students=count)
    AnnotationColumn.objects.create(
        institution=world.instance.institution,
        course=world.instance.course,
        module=world.module,
        kind=AnnotationKind.POINTS,
    )
    when = clock.today() - datetime.timedelta(days=2)
    reporting.save_drafts(
        world.reporter,
        course_instance=world.instance,
        module=world.module,
        entries=[
            Entry(person=p, grade=grade("G"), examination_date=when, annotations={"points": "30"})
            for p in world.students[: count // 2]
        ],
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
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--one-page", action="store_true", help="lift the posted-fields limit")
    options = parser.parse_args()
    if options.one_page:
        from django.conf import settings

        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = None
    if connection.vendor != "postgresql":
        raise SystemExit("set DATABASE_URL to a PostgreSQL database")

    from results.models import Result, ResultState
    from tests.staffweb.report_helpers import form_data

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with scopes_disabled():
            world = build(options.students)
        client = Client()
        client.force_login(world.reporter)
        url = f"/staff/results/{world.instance.public_id}/{world.module.code}/"
        client.get(url)  # warm: templates compiled, connection open
        response, get_time, get_queries = timed(client.get, url)
        html = response.content.decode()
        when = (clock.today() - datetime.timedelta(days=1)).isoformat()
        changes = {}
        for n, person in enumerate(world.students):
            key = f"p{person.public_id.hex}"
            if f'name="{key}-grade"' in html:  # on this page
                changes[f"{key}-grade"] = "U" if n < options.students // 2 else "G"
                changes[f"{key}-date"] = when
        data = form_data(html, "report-form", **changes)
        response, save_time, save_queries = timed(client.post, url, data)
        if response.status_code != 302:
            raise SystemExit(f"Save answered {response.status_code}")
        with scopes_disabled():
            drafts = Result.objects.filter(state=ResultState.DRAFT).count()
        rows = len(changes) // 2
        pages = -(-options.students // rows)
        print(f"{options.students} students: {rows} rows a page, {pages} page(s)")
        print(
            f"GET sheet: {get_time:.3f} s, {get_queries} queries, "
            f"{len(html) / 1024:.0f} KiB of HTML"
        )
        print(f"Save of {rows} rows: {save_time:.3f} s, {save_queries} queries, {drafts} drafts")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
