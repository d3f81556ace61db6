from tests.access_rules import ADMIN

RULES = {
    "admin.chapters": ADMIN,
    "admin.coordinators": ADMIN,
}
