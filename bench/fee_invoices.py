"""Create the invoices of one fee period for N fee-liable students in one action (#15), through
the whole Django stack (the fee administrator's "Create N invoices" POST), on PostgreSQL. Prints
the preview page's and the POST's time and query count, and the send POST's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lp_bench \
        .venv/bin/python bench/fee_invoices.py --students 5000

It builds a throwaway test database (test_<name>, migrated, dropped at the end) with the test
factories, so it never touches real data. E-mails are queued, not sent, as with a worker.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ladokportal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402


def build(count: int):
    """A course instance with `count` fee-liable students admitted and a fee period."""
    from fees.models import FeeLiability
    from ladokportal import clock
    from people.models import Person, StaffRoleKind
    from registration.models import CourseParticipation
    from tests.factories import (
        CourseInstanceFactory,
        InstitutionFactory,
        PersonFactory,
        StaffRoleFactory,
        UserFactory,
    )
    from tests.factories.fees import FeePeriodFactory

    institution = InstitutionFactory(code="bench")
    admin = UserFactory(username="bench-feeadmin")
    StaffRoleFactory(user=admin, institution=institution, role=StaffRoleKind.FEE_ADMIN)
    instance = CourseInstanceFactory(course__institution=institution)
    period = FeePeriodFactory(course_instance=instance, instalments=2)
    template = PersonFactory.build()
    persons = Person.objects.bulk_create(
        Person(
            first_name=template.first_name,
            last_name=f"Bench{n:05d}",
            birth_date=template.birth_date,
            local_number=f"B{n:05d}",
            email=f"bench{n}@example.se",
        )
        for n in range(count)
    )
    CourseParticipation.objects.bulk_create(
        CourseParticipation(
            institution=institution, person=p, course_instance=instance, state="admitted"
        )
        for p in persons
    )
    FeeLiability.objects.bulk_create(
        FeeLiability(
            institution=institution,
            person=p,
            liable=True,
            decided_by=admin,
            decided_at=clock.now(),
        )
        for p in persons
    )
    return admin, period


def timed(method, *args, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = method(*args, **kwargs)
        elapsed = time.perf_counter() - started
    return response, elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=5000)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("set DATABASE_URL to a PostgreSQL database")

    from fees.models import Invoice
    from ladokportal.celery import app as celery_app

    celery_app.conf.task_always_eager = False  # queue the e-mails as a worker would get them
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with scopes_disabled():
            admin, period = build(options.students)
        client = Client()
        client.force_login(admin)
        base = f"/staff/fees/periods/{period.public_id}/"
        _r, preview_time, preview_queries = timed(client.get, base)
        response, create_time, create_queries = timed(client.post, f"{base}create/")
        if response.status_code != 302:
            raise SystemExit(f"create answered {response.status_code}")
        response, send_time, send_queries = timed(client.post, f"{base}send/")
        with scopes_disabled():
            made = Invoice.objects.filter(fee_period=period).count()
        print(f"preview of {options.students}: {preview_time:.3f} s, {preview_queries} queries")
        print(f"create POST: {create_time:.3f} s, {create_queries} queries, {made} invoices")
        print(f"send POST: {send_time:.3f} s, {send_queries} queries")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
