from tests.access_rules import COORDINATOR, LOGGED_IN, MEMBER, PUBLIC

RULES = {
    "static": PUBLIC,
    "auth.setup": PUBLIC,       # redirects once set up
    "auth.login": PUBLIC,
    "auth.register": PUBLIC,
    "auth.logout": LOGGED_IN,
    "main.index": LOGGED_IN,
    "main.dashboard": MEMBER,
    "main.consent_notice": COORDINATOR,
}
