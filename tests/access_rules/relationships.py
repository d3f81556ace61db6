from tests.access_rules import MEMBER, OWNER

RULES = {
    "relationships.index": MEMBER,
    "relationships.create": MEMBER,
    "relationships.edit": OWNER,
    "relationships.delete": OWNER,
}
