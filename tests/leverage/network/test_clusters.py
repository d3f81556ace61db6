"""Communities of the people graph (chapter-wide) and their per-issue use."""

from datetime import date

from coalition.leverage.network import (
    AllyRow,
    ChapterRows,
    InsurerRow,
    IssueRow,
    MemberRow,
    RelationshipRow,
    StanceRow,
    analyse_issue,
    build_network,
    chapter_parts,
)

TODAY = date(2025, 1, 1)


def rel(id_, a, b, strength, last=TODAY):
    (at, ai), (bt, bi) = a, b
    return RelationshipRow(id_, at, ai, bt, bi, "knows", strength, None, last, None)


def two_circles():
    """Two tight circles of four (all strength 5, fresh) joined by one weak,
    old link A3 - A4 (strength 1, 720 days: 1/16); A7 knows nobody.

        {M1, A1, A2, A3}  ~~~  {M2, A4, A5, A6}
    """
    left = [("member", 1), ("ally", 1), ("ally", 2), ("ally", 3)]
    right = [("member", 2), ("ally", 4), ("ally", 5), ("ally", 6)]
    rels = []
    for circle in (left, right):
        for i, a in enumerate(circle):
            for b in circle[i + 1:]:
                rels.append(rel(len(rels) + 1, a, b, 5))
    rels.append(rel(len(rels) + 1, ("ally", 3), ("ally", 4), 1, last=date(2023, 1, 12)))
    return ChapterRows(
        chapter_id=1,
        members=(MemberRow(1, "Mia"), MemberRow(2, "Noa")),
        allies=tuple(AllyRow(i, f"A{i}", "patient", i, None) for i in range(1, 8)),
        contacts=(),
        insurers=(InsurerRow(1, "Acme", ()),),
        issues=(IssueRow(1, 1, "Cap"),),
        stances=(StanceRow(2, 1, "supporter"), StanceRow(5, 1, "champion"), StanceRow(6, 1, "supporter"),
                 StanceRow(7, 1, "supporter")),
        relationships=tuple(rels),
    )


def test_two_circles_are_two_communities():
    parts = chapter_parts(build_network(two_circles(), TODAY), seed=0)
    got = [(c.index, c.nodes, (c.members, c.allies, c.contacts)) for c in parts.communities]
    # equal size: ordered by smallest node id ("ally:1" < "ally:4")
    assert got == [
        (0, ["ally:1", "ally:2", "ally:3", "member:1"], (1, 3, 0)),
        (1, ["ally:4", "ally:5", "ally:6", "member:2"], (1, 3, 0)),
    ]
    assert parts.isolated == 1  # A7
    # top: summed usable inside the community: everyone has 3 links of 5 = 15
    # (A3's weak link leaves the circle and does not count) -> ties by node id
    assert parts.communities[0].top == ["A1", "A2", "A3", "Mia"]


def test_committed_allies_per_community_and_cut_off():
    net = build_network(two_circles(), TODAY)
    a = analyse_issue(net, 1, chapter_parts(net, seed=0))
    assert [(c.community, c.committed) for c in a.committed_by_community] == [(1, 2), (0, 1)]
    assert [x.node for x in a.cut_off] == ["ally:7"]  # the loner is committed but unreachable


def test_communities_are_deterministic_for_a_seed():
    net = build_network(two_circles(), TODAY)
    assert chapter_parts(net, seed=3).to_dict() == chapter_parts(net, seed=3).to_dict()
