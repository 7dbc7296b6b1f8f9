"""tests/statements.py counts a bulk insert once on both databases, and still counts a statement
per row as one per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Person
from tests.factories import PersonFactory
from tests.statements import count_statements

pytestmark = pytest.mark.django_db
ROWS = 120  # more than two SQLite batches of Person (19 columns: 52 rows a batch)


def test_a_bulk_insert_is_one_statement_whatever_the_backend_cuts_it_into():
    persons = PersonFactory.build_batch(ROWS)
    with CaptureQueriesContext(connection) as raw, count_statements() as counted:
        Person.objects.bulk_create(persons)
    assert counted.total == 1
    if connection.vendor == "sqlite":
        assert len(raw.captured_queries) > 1  # what the helper is for


def test_an_insert_per_row_counts_per_row():
    with count_statements() as counted:
        for person in PersonFactory.build_batch(5):
            person.save()
    assert counted.total == 5


def test_a_bulk_insert_followed_by_a_query_per_row_counts_them():
    persons = PersonFactory.build_batch(ROWS)
    with count_statements() as counted:
        Person.objects.bulk_create(persons)
        for person in persons[:3]:
            Person.objects.filter(pk=person.pk).update(phone="1")
    assert counted.total == 4
