from tests.access_rules import COORDINATOR, MEMBER, NOT_FOUND, Access

RULES = {
    "network.map": MEMBER,
    "network.data": MEMBER,
    # An issue's power map: alpha's issue id; the other chapter's member gets 404.
    "network.power": MEMBER,
    "network.export": MEMBER,  # contact details only for coordinators: tests/leverage/map
    "network.save_layout": COORDINATOR.with_data(positions='{"ally:1": {"x": 1, "y": 2}}'),
    # The access test asks every <filename> route for "app.css", which is not on the
    # vendor allow-list: 404 for everyone. tests/leverage/map checks the real files.
    "vendor": Access(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
}
