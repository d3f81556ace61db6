from tests.access_rules import COORDINATOR, MEMBER, OWNER

RULES = {
    "issues.index": MEMBER,
    "issues.show": MEMBER,
    "issues.create": COORDINATOR,
    "issues.edit": COORDINATOR,
    "issues.delete": COORDINATOR,
    # Members add history entries; they change only the entries they recorded.
    "issues.add_event": MEMBER.with_data(occurred_on="2026-03-01", kind="note",
                                         summary="Called provider relations"),
    "issues.edit_event": OWNER,      # the world's event was recorded by the coordinator
    "issues.delete_event": OWNER,
}

# The parts of an issue's page, each its own address.
RULES.update({"issues.plan": MEMBER, "issues.evidence": MEMBER, "issues.history": MEMBER,
              "issues.details": MEMBER})
