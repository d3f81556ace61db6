"""Expected access per endpoint, one module per blueprint (``RULES`` dicts), merged by
``tests/test_access.py``. Written by hand, independently of the decorators in the code."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

OK = "ok"            # any status below 400
LOGIN = "login"      # redirect to the login page
SIGNED_OUT = "signed out"  # success that ends the session: to the login page, and stays out
FORBIDDEN = 403
NOT_FOUND = 404

ACTORS = ("anon", "member", "coordinator", "other", "admin")


@dataclass(frozen=True)
class Access:
    """What each actor gets. ``other`` is the other chapter's coordinator; ``admin`` is the
    organisation administrator, who is no member of any chapter."""

    anon: object
    member: object
    coordinator: object
    other: object
    admin: object
    data: dict = field(default_factory=dict)  # form data sent with a POST

    def with_data(self, **data) -> Access:
        return replace(self, data=data)


PUBLIC = Access(OK, OK, OK, OK, OK)
LOGGED_IN = Access(LOGIN, OK, OK, OK, OK)
MEMBER = Access(LOGIN, OK, OK, NOT_FOUND, NOT_FOUND)
# A row owned by the coordinator: the member may look but not change it.
OWNER = Access(LOGIN, FORBIDDEN, OK, NOT_FOUND, NOT_FOUND)
COORDINATOR = Access(LOGIN, FORBIDDEN, OK, NOT_FOUND, NOT_FOUND)
ADMIN = Access(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
