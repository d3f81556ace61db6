"""A small hand-built chapter whose map is counted by hand in the tests.

Nodes (17): members 1, 2 (2 is linked to nobody); allies 1-8; contacts 1-3;
insurers 1 (north), 2 (south); issues 1 (insurer 1), 2 (insurer 2).
Allies (id kind influence region consent):
    1 "Alice Advocate"            patient_org   4 north  yes  (organisation "Org A")
    2 "<script>alert(1)</script>" patient       2 south  NO   (organisation "Secret Clinic")
    3 '=HYPERLINK("http://x")'    medical       5 north  yes
    4 "Reg Regulator"             regulator     5 north  yes
    5 'Q "quote" & amp\\x00\\x07\\x1b' support_group 3 south yes
    6 "+1"                        legislator    2 south  yes
    7 "@cmd"                      media         1 -      yes
    8 "\\tTabbed"                  employer      3 east   yes
Contacts: 1 Dana Decider (insurer 1, decision maker), 2 Reggie Relations (insurer 1,
reports to 1), 3 "\\rCarriage Return" (insurer 2). Member 2 is "-2 minus".
Edges (14):
    relationships (5): r1 member1-ally1 s4 fresh; r2 member1-ally2 s2 last 2024-01-01
        (stale); r3 ally1-ally3 s3 undated (stale); r4 member1-contact2 s5 fresh;
        r6 ally4-contact1 s1 since 2025-04-01
    reports_to (1): contact2 -> contact1
    stance (4): ally1/issue1 champion, ally2/issue1 supporter, ally3/issue1 opposed,
        ally5/issue2 supporter
    employment (3): contacts 1, 2 -> insurer 1; contact 3 -> insurer 2
    oversight (1): ally4 (regulator, north) -> insurer 1
"""
from __future__ import annotations

from datetime import date

import pytest

from coalition.leverage.network.rows import (
    AllyRow,
    ChapterRows,
    ContactRow,
    InsurerRow,
    IssueRow,
    MemberRow,
    RelationshipRow,
    StanceRow,
)

TODAY = date(2025, 6, 1)
HOSTILE_ALLY = "<script>alert(1)</script>"
FORMULA_ALLY = '=HYPERLINK("http://x")'
CONTROL_ALLY = 'Q "quote" & amp\x00\x07\x1b'
CONTACT_DETAILS = {
    "ally:1": {"email": "alice@example.org", "phone": "555-0101"},
    "ally:2": {"email": "secret@example.org", "phone": "555-0102"},
    "member:1": {"email": "mia@example.org", "phone": ""},
}


def hand_rows() -> ChapterRows:
    return ChapterRows(
        chapter_id=1,
        members=(MemberRow(1, "Mia Member"), MemberRow(2, "-2 minus")),
        allies=(
            AllyRow(1, "Alice Advocate", "patient_org", 4, "north", "Org A", True),
            AllyRow(2, HOSTILE_ALLY, "patient", 2, "south", "Secret Clinic", False),
            AllyRow(3, FORMULA_ALLY, "medical", 5, "north", None, True),
            AllyRow(4, "Reg Regulator", "regulator", 5, "north", None, True),
            AllyRow(5, CONTROL_ALLY, "support_group", 3, "south", None, True),
            AllyRow(6, "+1", "legislator", 2, "south", None, True),
            AllyRow(7, "@cmd", "media", 1, None, None, True),
            AllyRow(8, "\tTabbed", "employer", 3, "east", None, True),
        ),
        contacts=(
            ContactRow(1, 1, "Dana Decider", "VP Networks", "decision_maker", None),
            ContactRow(2, 1, "Reggie Relations", None, "provider_relations", 1),
            ContactRow(3, 2, "\rCarriage Return", None, "network_manager", None),
        ),
        insurers=(InsurerRow(1, "Acme Health", ("north",)), InsurerRow(2, "Beacon Care", ("south",))),
        issues=(IssueRow(1, 1, "12-visit cap"), IssueRow(2, 2, "Fee cut")),
        stances=(
            StanceRow(1, 1, "champion"), StanceRow(2, 1, "supporter"),
            StanceRow(3, 1, "opposed"), StanceRow(5, 2, "supporter"),
        ),
        relationships=(
            RelationshipRow(1, "member", 1, "ally", 1, "knows", 4, None, date(2025, 5, 1), 1),
            RelationshipRow(2, "member", 1, "ally", 2, "treats", 2, None, date(2024, 1, 1), 1),
            RelationshipRow(3, "ally", 1, "ally", 3, "knows", 3, None, None, None),
            RelationshipRow(4, "member", 1, "contact", 2, "knows", 5, None, date(2025, 5, 20), 1),
            RelationshipRow(6, "ally", 4, "contact", 1, "oversees", 1, date(2025, 4, 1), None, None),
        ),
    )


@pytest.fixture
def rows() -> ChapterRows:
    return hand_rows()
