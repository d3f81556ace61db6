"""The JSON API answers to tokens only: a browser session, whoever it belongs to, gets 401
(JSON) on every operation. The description and its page are public. What each token gets
is walked over the URL map in ``tests/api/test_api_access.py``."""
from tests.access_rules import PUBLIC, Access

UNAUTHORIZED = 401
TOKEN_ONLY = Access(UNAUTHORIZED, UNAUTHORIZED, UNAUTHORIZED, UNAUTHORIZED, UNAUTHORIZED)

_OPERATIONS = [
    "list_chapters", "list_members",
    "list_allies", "create_ally", "get_ally", "update_ally", "delete_ally",
    "list_stances", "set_stance", "get_stance", "update_stance", "delete_stance",
    "list_relationships", "create_relationship", "get_relationship", "update_relationship",
    "delete_relationship",
    "list_insurers", "create_insurer", "get_insurer", "update_insurer", "delete_insurer",
    "list_contacts", "create_contact", "get_contact", "update_contact", "delete_contact",
    "list_issues", "create_issue", "get_issue", "update_issue", "delete_issue",
    "issue_leverage", "list_events", "create_event", "get_event", "update_event", "delete_event",
    "list_tasks", "create_task", "get_task", "update_task", "delete_task",
    "graph",
    "list_profiles", "list_campaigns", "get_campaign", "join_campaign", "leave_campaign",
    "list_introductions", "ask_introduction", "accept_introduction", "decline_introduction",
    "withdraw_introduction",
]

RULES = {f"api.{name}": TOKEN_ONLY for name in _OPERATIONS}
RULES.update({"api.openapi": PUBLIC, "api.docs": PUBLIC})
