from tests.access_rules import COORDINATOR

RULES = {
    "regions.index": COORDINATOR,
    "regions.edit": COORDINATOR,
    "regions.merge": COORDINATOR,
}
