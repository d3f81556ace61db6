from tests.access_rules import COORDINATOR, LOGGED_IN, LOGIN, MEMBER, PUBLIC, SIGNED_OUT, Access

RULES = {
    "static": PUBLIC,
    "favicon": PUBLIC,
    "auth.setup": PUBLIC,       # redirects once set up
    "auth.login": PUBLIC,
    "auth.register": PUBLIC,
    "auth.logout": Access(LOGIN, SIGNED_OUT, SIGNED_OUT, SIGNED_OUT, SIGNED_OUT),
    "main.index": LOGGED_IN,
    "main.dashboard": MEMBER,
    "main.consent_notice": COORDINATOR,
}
