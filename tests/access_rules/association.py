from tests.access_rules import (
    ADMIN,
    COORDINATOR,
    FORBIDDEN,
    LOGGED_IN,
    LOGIN,
    MEMBER,
    OK,
    Access,
)

# ``admin`` (the organisation administrator) counts as association staff. ``other`` is beta's
# coordinator: beta links its insurer to the profile but is not in the campaign.
RULES = {
    # Association pages: anyone with a membership sees what the chapters share.
    "association.dashboard": LOGGED_IN,
    "association.profiles": LOGGED_IN,
    "association.profile": LOGGED_IN,
    # A chapter that has not joined sees what the campaign is and how to join (the page's
    # content for each kind of visitor is checked in tests/association/test_views.py).
    "association.campaign": LOGGED_IN,
    "association.association_map": LOGGED_IN,
    "association.export_map": LOGGED_IN,
    "association.new_profile": ADMIN,
    "association.edit_profile": ADMIN,
    "association.new_campaign": ADMIN,
    "association.edit_campaign": ADMIN,
    # Staff, and coordinators of a chapter taking part.
    "association.add_note": Access(LOGIN, FORBIDDEN, OK, FORBIDDEN, OK),
    # A chapter's side of it.
    "chapter_association.overview": MEMBER,
    "chapter_association.link": COORDINATOR,
    "chapter_association.share": COORDINATOR,
    "chapter_association.unshare": COORDINATOR,
    "chapter_association.join": COORDINATOR,
    "chapter_association.leave": COORDINATOR,
    "chapter_association.ask": COORDINATOR,
    "chapter_association.accept": COORDINATOR,
    "chapter_association.decline": COORDINATOR,
    "chapter_association.withdraw": COORDINATOR,
}
