"""Counting the statements a block of code sends to the database, for tests that pin what a page
or a push costs, the same on SQLite and on PostgreSQL.

A bulk insert is one statement on PostgreSQL however many rows it carries. Django's SQLite
backend cuts it into batches so that no statement carries more than
`connection.features.max_query_params` (999) parameters: 50 results of 25 columns go as 39 rows
and then 11. Counted raw, a push of 50 records would cost one statement more on SQLite than a push
of 5, though neither sends a statement per record.

`count_statements()` counts such a continuation as part of the statement it continues: an INSERT
into the same table with the same columns that follows an INSERT which was full (one more row
would have crossed the limit). Nothing else is merged, so a statement per record, a loop of
`create()` (one-row inserts, never full) or a query per row, still counts once per record.

    with count_statements() as counted:
        client.post(...)
    assert counted.total == 12
"""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection

VALUES = " VALUES "


@dataclass
class Statements:
    sql: list[str] = field(default_factory=list)
    _previous_full_insert: str | None = None

    @property
    def total(self) -> int:
        return len(self.sql)

    def record(self, sql: str, params: object, many: bool) -> None:
        head = _insert_head(sql)
        if head is not None and head == self._previous_full_insert:
            self._previous_full_insert = head if _full(sql, params, many) else None
            return  # the next batch of the same bulk insert
        self.sql.append(sql)
        self._previous_full_insert = head if head and _full(sql, params, many) else None


def _insert_head(sql: str) -> str | None:
    """`INSERT INTO "table" ("a", "b")` of a multi-row VALUES insert, else None."""
    if not sql.startswith("INSERT INTO ") or VALUES not in sql:
        return None
    return sql.split(VALUES, 1)[0]


def _full(sql: str, params: object, many: bool) -> bool:
    """Whether the database's parameter limit kept one more row out of this statement."""
    limit = connection.features.max_query_params
    if limit is None or many or params is None:
        return False
    first_row = sql.split(VALUES, 1)[1].split(")", 1)[0]
    per_row = first_row.count("%s")
    return per_row > 0 and len(params) + per_row > limit


@contextlib.contextmanager
def count_statements() -> Iterator[Statements]:
    """The statements the block sends through this thread's default connection."""
    counted = Statements()

    def wrapper(execute, sql, params, many, context):
        counted.record(sql, params, many)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counted
