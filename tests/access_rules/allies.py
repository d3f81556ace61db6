from tests.access_rules import COORDINATOR, MEMBER, OWNER

RULES = {
    "allies.index": MEMBER,
    "allies.create": MEMBER,
    "allies.show": MEMBER,
    "allies.edit": OWNER,
    "allies.delete": OWNER,
    "allies.set_stance": OWNER.with_data(issue_id="1", stance="champion"),
    "allies.delete_stance": OWNER,
    "allies.pending": COORDINATOR,
    "allies.approve": COORDINATOR,
    "allies.reject": COORDINATOR,
}
