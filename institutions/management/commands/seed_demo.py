"""`python manage.py seed_demo`: the demo database (DESIGN.md § Contracts)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from institutions.demo.identities import BULK_CAPACITY
from institutions.demo.seed import DEMO_LOGINS, seed_demo
from institutions.models import Institution
from ladokportal import clock
from people.models import User


def refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's statistics still describe the empty tables until autovacuum
    gets round to them, and the planner picks scans that cost ten times what they should; one
    ANALYZE makes the demo behave as a live database does from its first request."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = (
        "Fill an empty database with a deterministic demo placed relative to today: three "
        "universities, their courses, students and staff. Demo logins use the password 'demo'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=1, help="Another number gives another random draw."
        )
        parser.add_argument(
            "--students", type=int, default=0, help="Extra students for volume tests."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing, quietly, when the database already holds a university.",
        )

    def handle(self, *args: object, seed: int, students: int, if_empty: bool, **options) -> None:
        self.verbosity = options["verbosity"]
        if not 0 <= students <= BULK_CAPACITY:
            raise CommandError(f"--students must be between 0 and {BULK_CAPACITY}.")
        if Institution.objects.exists():
            if if_empty:
                return
            raise CommandError(
                "The database already holds universities; seed_demo only fills an empty "
                "database. Use --if-empty to skip quietly, or start from a new database."
            )
        if User.objects.filter(username__in=DEMO_LOGINS).exists():
            raise CommandError("Demo logins already exist; seed_demo needs an empty database.")
        summary = seed_demo(
            today=clock.today(), seed=seed, students=students, progress=self._progress
        )
        refresh_planner_statistics()
        if self.verbosity:
            self.stdout.write("\n".join(summary.lines()))

    def _progress(self, done: int) -> None:
        if self.verbosity >= 2 or (self.verbosity and done % 20000 == 0):
            self.stderr.write(f"  {done} extra students…")
