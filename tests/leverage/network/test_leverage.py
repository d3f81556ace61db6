"""One issue, worked out by hand: coverage, reach, cut-off, score, next moves.

The chapter (all links fresh, so usable = strength; path strength = product
of strength/6):

    M1 --5-- A1 (patient, champion) --3-- A4 (regulator, north, neutral)
    M1 --4-- DM (decision maker of Acme)
    M1 --2-- A9 (patient 4, neutral)         M1 --1-- A11 (other 2, no stance)
    A2 (patient, supporter) --1-- A3 (medical, supporter)   A6 (employer, supporter) alone

Acme operates in "north" only, so A4 oversees it and A12 (south) does not.
Issue 1 has one coverage-gap region and three unique services.
"""

import json
from datetime import date

import pytest

from coalition.leverage.network import (
    AllyRow,
    ChapterRows,
    ContactRow,
    InsurerRow,
    IssueRow,
    MemberRow,
    RelationshipRow,
    StanceRow,
    analyse_chapter,
    analyse_issue,
    build_network,
    what_if,
)

TODAY = date(2025, 1, 1)


def rel(id_, a, b, strength, owner=None):
    (at, ai), (bt, bi) = a, b
    return RelationshipRow(id_, at, ai, bt, bi, "knows", strength, None, TODAY, owner)


ALLIES = (
    AllyRow(1, "A1", "patient", 3, "north"),
    AllyRow(2, "A2", "patient", 2, "north"),
    AllyRow(3, "A3", "medical", 4, "north"),
    AllyRow(4, "A4", "regulator", 5, "north", "Insurance commissioner", True),
    AllyRow(5, "A5", "media", 1, "north"),
    AllyRow(6, "A6", "employer", 2, "north"),
    AllyRow(7, "A7", "legislator", 3, "north"),
    AllyRow(8, "A8", "support_group", 1, "north"),
    AllyRow(9, "A9", "patient", 4, "north"),
    AllyRow(10, "A10", "other", 2, "north"),
    AllyRow(11, "A11", "other", 2, "north"),
    AllyRow(12, "A12", "regulator", 1, "south"),
)
STANCES = (
    StanceRow(1, 1, "champion"),
    StanceRow(2, 1, "supporter"),
    StanceRow(3, 1, "supporter"),
    StanceRow(4, 1, "neutral"),
    StanceRow(5, 1, "opposed"),
    StanceRow(6, 1, "supporter"),
    StanceRow(7, 1, "unknown"),
    StanceRow(9, 1, "neutral"),
    StanceRow(12, 1, "opposed"),
    StanceRow(4, 2, "champion"),  # another issue: does not count for issue 1
    StanceRow(99, 1, "supporter"),  # unknown ally: ignored
)


def rows(stances=STANCES):
    return ChapterRows(
        chapter_id=7,
        members=(MemberRow(1, "Mia"),),
        allies=ALLIES,
        contacts=(ContactRow(1, 1, "Dana", "VP", "decision_maker", None),),
        insurers=(InsurerRow(1, "Acme", ("north",)),),
        issues=(
            IssueRow(1, 1, "Visit cap", ("north",), ("vestibular", "pelvic health", "lymphedema")),
            IssueRow(2, 1, "Fee cut"),
        ),
        stances=stances,
        relationships=(
            rel(1, ("member", 1), ("ally", 1), 5, owner=1),
            rel(2, ("ally", 1), ("ally", 4), 3),
            rel(3, ("member", 1), ("contact", 1), 4, owner=1),
            rel(4, ("member", 1), ("ally", 9), 2, owner=1),
            rel(5, ("member", 1), ("ally", 11), 1, owner=1),
            rel(6, ("ally", 2), ("ally", 3), 1),
        ),
    )


@pytest.fixture(scope="module")
def analysis():
    return analyse_issue(build_network(rows(), TODAY), 1)


def test_coverage_and_gaps(analysis):
    cov = {k.kind: (k.committed, k.champions, k.influence_sum, k.influence_max) for k in analysis.coverage.kinds}
    assert cov == {
        "patient": (2, 1, 5, 3),  # A1 (3, champion) + A2 (2)
        "regulator": (0, 0, 0, 0),  # A4 is only neutral
        "patient_org": (0, 0, 0, 0),
        "support_group": (0, 0, 0, 0),
        "medical": (1, 0, 4, 4),  # A3
        "media": (0, 0, 0, 0),  # A5 is opposed
        "legislator": (0, 0, 0, 0),
    }
    assert analysis.coverage.gaps == ["regulator", "patient_org", "support_group", "media", "legislator"]
    assert (analysis.coverage.committed, analysis.coverage.champions) == (4, 1)  # A1, A2, A3 and employer A6


def test_reach_counts_people_within_two_hops_of_committed_allies(analysis):
    # From A1: M1 and A4 (1 hop); DM, A9, A11 via M1 (2 hops). A2 and A3 only
    # know each other and are committed themselves; A6 knows nobody.
    r = analysis.reach
    assert (r.total, r.members, r.allies, r.contacts, r.committed) == (5, 1, 3, 1, 4)


def test_cut_off_committed_allies(analysis):
    # No people path from a member to A2, A3 or A6.
    assert [a.node for a in analysis.cut_off] == ["ally:2", "ally:3", "ally:6"]


def test_score_components_by_hand(analysis):
    comps = {c.name: (c.points, c.max_points) for c in analysis.score.components}
    assert comps == {
        # patient 6 + medical 4
        "kind_coverage": (10.0, 30.0),
        # W = 3*2 (champion) + 2 + 4 + 2 = 14; 20 * 14 / 34 = 8.2353
        "commitment": (8.24, 20.0),
        # M1-DM: 4/6; / (5/6) = 0.8; 25 * 0.8
        "decision_maker_access": (20.0, 25.0),
        # M1-A1-A4: 5/6 * 3/6 = 15/36; / (5/6) = 0.5; 15 * 0.5
        "regulator_access": (7.5, 15.0),
        # 1 gap region: 5 * 1/2; 3 services: 5 * min(1, 3/2)
        "structural": (7.5, 10.0),
    }
    # 10 + 8.235294 + 20 + 7.5 + 7.5 = 53.235294
    assert analysis.score.total == pytest.approx(53.235294)
    assert analysis.score.score == 53.2
    assert all(c.explanation for c in analysis.score.components)


def test_next_moves_by_hand(analysis):
    # Candidates: neutral A4, A9; unknown A7; no stance A8, A10, A11.
    # Excluded: committed A1, A2, A3, A6; opposed A5, A12.
    # Gain = coverage points of a new kind + 20W'/(W'+20) - 20*14/34:
    #   A4  regulator 5:    6 + 20*19/39 - 8.235294 = 6 + 1.508296 = 7.508296
    #   A8  support grp 1:  4 + 20*15/35 - 8.235294 = 4 + 0.336134 = 4.336134
    #   A7  legislator 3:   3 + 20*17/37 - 8.235294 = 3 + 0.953895 = 3.953895
    #   A9  patient 4:      0 + 20*18/38 - 8.235294 =     1.238390
    #   A11 other 2:        0 + 20*16/36 - 8.235294 =     0.653595
    #   A10 other 2:        same gain as A11, but nobody can introduce A10 -> 6th
    got = [(m.ally.node, m.gain) for m in analysis.next_moves]
    assert got == [
        ("ally:4", pytest.approx(7.508296)),
        ("ally:8", pytest.approx(4.336134)),
        ("ally:7", pytest.approx(3.953895)),
        ("ally:9", pytest.approx(1.238390)),
        ("ally:11", pytest.approx(0.653595)),
    ]
    a4, a8, _, a9, _ = analysis.next_moves
    assert (a4.stance, a4.consent, a4.score_after) == ("neutral", True, 60.7)  # 53.235294 + 7.508296
    assert [h.to_node for h in a4.introduction.hops] == ["ally:1", "ally:4"]
    assert a4.introduction.strength == pytest.approx(15 / 36) and a4.known_by == []
    assert a8.stance is None and a8.introduction is None
    assert [(k.label, k.usable) for k in a9.known_by] == [("Mia", 2.0)]


def test_next_move_gain_is_a_real_rescore():
    net = build_network(rows(), TODAY)
    base = analyse_issue(net, 1).score.total
    # what_if re-scores from a modified stance set ...
    assert what_if(net, 1, [4]).total - base == pytest.approx(7.508296)
    # ... and so does a full analysis of rows in which A4 supports the issue.
    changed = tuple(s for s in STANCES if (s.ally_id, s.issue_id) != (4, 1)) + (StanceRow(4, 1, "supporter"),)
    again = analyse_issue(build_network(rows(changed), TODAY), 1)
    assert again.score.total == pytest.approx(60.743590)  # 16 + 20*19/39 + 20 + 7.5 + 7.5
    assert again.coverage.gaps == ["patient_org", "support_group", "media", "legislator"]


def test_second_issue_reuses_the_insurer_access():
    # Issue 2: only A4 is a champion -> regulator 6 points, W = 5*2 = 10 -> 20*10/30 = 6.6667;
    # access is the insurer's, the same as issue 1 (20 + 7.5); no structural factors.
    a = analyse_issue(build_network(rows(), TODAY), 2)
    assert a.score.total == pytest.approx(6 + 20 * 10 / 30 + 20 + 7.5)
    # A4 knows A1 (1 hop), who knows M1 (2 hops)
    assert (a.reach.total, a.reach.allies, a.reach.members) == (2, 1, 1) and a.cut_off == []


def test_unknown_issue_raises_lookup_error():
    with pytest.raises(LookupError):
        analyse_issue(build_network(rows(), TODAY), 42)


def test_chapter_analysis_summary_and_json():
    result = analyse_chapter(rows(), TODAY)
    assert [s.issue_id for s in result.summary] == [1, 2]
    first = result.summary[0]
    # points missing: coverage 20, commitment 11.76, DM access 5, regulator 7.5, structural 2.5
    assert (first.score, first.largest_gap, first.largest_gap_missing) == (53.2, "kind_coverage", 20.0)
    assert first.missing_kinds == ["regulator", "patient_org", "support_group", "media", "legislator"]
    issue = result.issues[0]
    assert issue.brokers.insurer_id == 1 and issue.committed_by_community is not None
    text = json.dumps(result.to_dict())
    assert json.loads(text)["summary"][0]["largest_gap"] == "kind_coverage"
