from tests.access_rules import LOGIN, MEMBER, NOT_FOUND, Access

RULES = {
    "tokens.index": MEMBER,
    "tokens.create": MEMBER.with_data(name="CRM sync", scope="read"),
    # The world has no token, so every revoke answers 404 here; who may revoke which
    # token is tested in tests/api/test_tokens.py.
    "tokens.revoke": Access(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND).with_data(
        token_id="999999"),
}
