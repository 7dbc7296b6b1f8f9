"""Org units form a tree (faculty, department, division): a right held for an org unit covers
its sub-units too (#12 point 6). StaffRole rows are matched against a course's org unit with
`covering_unit`, which looks DEPTH levels down the tree in the same query, so no page needs a
query more to honour it."""

from django.db.models import Q

# An org unit, its sub-units and theirs: faculty → department → division.
DEPTH = 3
SUB_UNITS = tuple("org_unit" + "__orgunit" * level for level in range(1, DEPTH))


def covering_unit(unit, *, lookup: str = "") -> Q:
    """On StaffRole: the role's org unit is `unit` (an id, an OuterRef or, with lookup="in", a
    queryset of ids) or an org unit above it."""
    suffix = f"__{lookup}" if lookup else ""
    condition = Q(**{f"org_unit{suffix}": unit})
    for path in SUB_UNITS:
        condition |= Q(**{f"{path}{suffix}": unit})
    return condition
