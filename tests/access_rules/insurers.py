from tests.access_rules import COORDINATOR, MEMBER

RULES = {
    "insurers.index": MEMBER,
    "insurers.show": MEMBER,
    "insurers.create": COORDINATOR,
    "insurers.edit": COORDINATOR,
    # The world's insurer has an issue: the coordinator is refused with a flash (redirect).
    "insurers.delete": COORDINATOR,
    "insurers.create_contact": COORDINATOR,
    "insurers.edit_contact": COORDINATOR,
    "insurers.delete_contact": COORDINATOR,
}
