from tests.access_rules import COORDINATOR

RULES = {
    "imports.index": COORDINATOR,
    "imports.show": COORDINATOR,
    "imports.commit": COORDINATOR.with_data(duplicates="skip"),
    "imports.status": COORDINATOR,
}
