from tests.access_rules import COORDINATOR, LOGIN, NOT_FOUND, OK, Access

RULES = {
    "trash.index": COORDINATOR,
    # The world's entry was deleted by the coordinator: only coordinators and the person who
    # deleted something may restore it; to anyone else it does not exist.
    "trash.restore": Access(LOGIN, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND),
}
