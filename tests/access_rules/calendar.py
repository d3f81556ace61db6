from tests.access_rules import NOT_FOUND, Access

RULES = {
    # No log-in: the secret token in the address is the credential. The world's token is
    # no calendar link, so every visitor, logged in or not, gets 404.
    "calendar.feed": Access(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
}
