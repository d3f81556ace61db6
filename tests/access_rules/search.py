from tests.access_rules import MEMBER

RULES = {f"search.{kind}": MEMBER for kind in ("people", "targets", "members", "relationships", "regions")}
# A contact's colleagues at one insurer (/search/contacts/<insurer_id>): another chapter's
# insurer answers 404 (test_other_chapters_ids_answer_404), as does another chapter's slug.
RULES["search.contacts"] = MEMBER
