from tests.access_rules import ADMIN, COORDINATOR, LOGGED_IN, PUBLIC, Access

BAD_REQUEST = 400

RULES = {
    "auth.change_password": LOGGED_IN,
    "auth.forgot_password": PUBLIC,
    # The world's "token" is no valid reset token: every visitor gets the 400 page.
    "auth.reset_password": Access(BAD_REQUEST, BAD_REQUEST, BAD_REQUEST, BAD_REQUEST,
                                  BAD_REQUEST),
    "admin.users": ADMIN,
    "admin.deactivate": ADMIN,
    "admin.association_staff": ADMIN,
    "admin.reactivate": ADMIN,
    "audit.index": COORDINATOR,
    "privacy.export": COORDINATOR,
    "privacy.erase": COORDINATOR,
}
