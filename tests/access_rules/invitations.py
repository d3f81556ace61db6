from tests.access_rules import COORDINATOR, NOT_FOUND, Access

RULES = {
    "invitations.create": COORDINATOR.with_data(addresses="new-person@example.org",
                                                role="member"),
    "invitations.resend": COORDINATOR,
    "invitations.withdraw": COORDINATOR,  # without confirmed=yes: the page that asks
    # The link page is public, but the world's "token" was never made here: 404 for everyone
    # (tests/accounts/test_invitation_views.py opens real links).
    "invitations.accept": Access(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
}
