"""Two case officers deciding one item at the same moment (issue #14 acceptance): on PostgreSQL,
where row locks are real, one decision is taken and one credited result made; the other officer
is told the item is already decided."""

import pytest
from django.db import connection

from credits import services
from credits.models import Outcome
from credits.services import CreditError
from results.models import ResultSource
from tests.concurrency import REPETITIONS, head_start, run_together
from tests.factories.credits import credit_world, items_of, officer_at, submitted_case
from tests.factories.results import grade

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are exercised on PostgreSQL"
    ),
]


def test_two_officers_deciding_one_item_make_one_decision_and_one_result(institution):
    world = credit_world(institution)
    second = officer_at(institution, "bertil")
    for repetition in range(REPETITIONS):
        (item,) = items_of(submitted_case(world, items=1))

        def credit(officer, item=item):
            return services.decide_item(
                officer, item=item, outcome=Outcome.CREDITED, grade=grade("G")
            )

        outcomes = run_together(
            lambda: credit(world.officer), lambda: credit(second), delays=head_start(repetition)
        )
        decided = [o for o in outcomes if not isinstance(o, Exception)]
        refused = [o for o in outcomes if isinstance(o, Exception)]
        assert len(decided) == 1, outcomes
        assert [type(o) for o in refused] == [CreditError]
        assert [str(o) for o in refused] == ["This item has already been decided."]
        item.refresh_from_db()
        assert item.result_id == decided[0].result_id
        assert (
            world.person.results.filter(source=ResultSource.CREDIT, credit_item=item).count() == 1
        )
    assert world.person.results.filter(source=ResultSource.CREDIT).count() == REPETITIONS
