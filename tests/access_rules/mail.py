from tests.access_rules import ADMIN, FORBIDDEN, LOGGED_IN, LOGIN, NOT_FOUND, Access

BAD_REQUEST = 400

RULES = {
    "mail.settings": LOGGED_IN,
    # No log-in: the signed link is the key. The world's "token" is no valid one, so every
    # visitor gets the 400 page; the working link is tested in tests/platform/test_mail.py.
    "mail.unsubscribe": Access(BAD_REQUEST, BAD_REQUEST, BAD_REQUEST, BAD_REQUEST,
                               BAD_REQUEST),
    "mail.outbox_list": ADMIN,
    # The world's outbox is empty: the administrator gets 404 for any message.
    "mail.outbox_message": Access(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND),
}
