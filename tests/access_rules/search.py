from tests.access_rules import MEMBER

RULES = {f"search.{kind}": MEMBER for kind in ("people", "targets", "members", "relationships", "regions")}
