"""Properties that must hold for any chapter (hypothesis)."""

import re
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition.leverage.network import (
    ALLY_KINDS,
    CONTACT_ROLES,
    STANCES,
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
    insurer_access,
    what_if,
)

TODAY = date(2025, 1, 1)
REGIONS = ("north", "south", "east")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def chapters(draw, offset=0, chapter_id=1):
    """A small random chapter whose ids all lie in offset+1 .. offset+99.

    Some stances and relationships point at ids that do not exist (``offset+500``
    and up), like rows that leaked in from elsewhere.
    """
    o = offset
    n_members = draw(st.integers(0, 3))
    n_allies = draw(st.integers(0, 7))
    n_contacts = draw(st.integers(0, 4))
    members = tuple(MemberRow(o + i + 1, f"M{o + i + 1}") for i in range(n_members))
    allies = tuple(
        AllyRow(o + i + 1, f"A{o + i + 1}", draw(st.sampled_from(ALLY_KINDS)), draw(st.integers(0, 5)),
                draw(st.sampled_from(REGIONS + (None,))), None, draw(st.booleans()))
        for i in range(n_allies)
    )
    insurers = (InsurerRow(o + 1, f"I{o + 1}", tuple(draw(st.sets(st.sampled_from(REGIONS))))),)
    contacts = tuple(
        ContactRow(o + i + 1, o + 1, f"C{o + i + 1}", None, draw(st.sampled_from(CONTACT_ROLES)),
                   draw(st.sampled_from([None, o + 1, o + 500])) if i else None)
        for i in range(n_contacts)
    )
    issues = (IssueRow(o + 1, o + 1, "Issue", tuple(draw(st.sets(st.sampled_from(REGIONS)))),
                       tuple(draw(st.sets(st.sampled_from(("x", "y", "z")))))),)
    people = [("member", m.id) for m in members] + [("ally", a.id) for a in allies] + [
        ("contact", c.id) for c in contacts]
    stray = [("member", o + 500), ("ally", o + 501), ("contact", o + 502)]
    rels = []
    if people:
        ends = st.sampled_from(people + stray)
        for i in range(draw(st.integers(0, 14))):
            (at, ai), (bt, bi) = draw(ends), draw(ends)
            age = draw(st.one_of(st.none(), st.integers(0, 1000)))
            rels.append(RelationshipRow(o + i + 1, at, ai, bt, bi, "knows", draw(st.integers(1, 5)), None,
                                        None if age is None else TODAY - timedelta(days=age),
                                        members[0].id if members else None))
    stances = []
    for a in allies:
        s = draw(st.one_of(st.none(), st.sampled_from(STANCES)))
        if s is not None:
            stances.append(StanceRow(a.id, o + 1, s))
    stances.append(StanceRow(o + 501, o + 1, "champion"))
    return ChapterRows(chapter_id, members, allies, contacts, insurers, issues, tuple(stances), tuple(rels))


@SETTINGS
@given(chapters(), st.data())
def test_committing_an_extra_ally_never_lowers_the_score(rows, data):
    issue = rows.issues[0].id
    stance = dict((s.ally_id, s.stance) for s in rows.stances)
    free = [a.id for a in rows.allies if stance.get(a.id) not in ("champion", "supporter")]
    if not free:
        return
    ally = data.draw(st.sampled_from(free))
    new = data.draw(st.sampled_from(["supporter", "champion"]))
    before = analyse_issue(build_network(rows, TODAY), issue)
    others = tuple(s for s in rows.stances if s.ally_id != ally)
    changed = replace(rows, stances=others + (StanceRow(ally, issue, new),))
    after = analyse_issue(build_network(changed, TODAY), issue)
    assert after.score.total >= before.score.total - 1e-12
    assert after.score.score >= before.score.score
    assert what_if(build_network(rows, TODAY), issue, [ally], new).total == after.score.total


@SETTINGS
@given(chapters(), st.data())
def test_next_move_gain_equals_a_full_rescore(rows, data):
    net = build_network(rows, TODAY)
    analysis = analyse_issue(net, rows.issues[0].id)
    for move in analysis.next_moves:
        changed = replace(rows, stances=tuple(s for s in rows.stances if s.ally_id != move.ally.ally_id)
                          + (StanceRow(move.ally.ally_id, rows.issues[0].id, "supporter"),))
        again = analyse_issue(build_network(changed, TODAY), rows.issues[0].id)
        assert abs(again.score.total - analysis.score.total - move.gain) < 1e-9
    gains = [m.gain for m in analysis.next_moves]
    assert gains == sorted(gains, reverse=True) and all(g > 0 for g in gains)


def best_strengths(rows):
    net = build_network(rows, TODAY)
    access = insurer_access(net, rows.insurers[0].id)
    return {t.node: t.best_strength for t in access.targets}, net.member_paths.dist


@SETTINGS
@given(chapters(), st.data())
def test_stronger_or_fresher_link_never_weakens_the_best_path(rows, data):
    if not rows.relationships:
        return
    i = data.draw(st.integers(0, len(rows.relationships) - 1))
    r = rows.relationships[i]
    if data.draw(st.booleans()):
        better = replace(r, strength=data.draw(st.integers(r.strength, 5)))
    else:  # a more recent last contact (an undated link counts as 180 days old)
        age_before = (TODAY - r.last_contact).days if r.last_contact is not None else 180
        better = replace(r, last_contact=TODAY - timedelta(days=data.draw(st.integers(0, age_before))))
    improved = replace(rows, relationships=rows.relationships[:i] + (better,) + rows.relationships[i + 1:])
    before, dist_before = best_strengths(rows)
    after, dist_after = best_strengths(improved)
    for node, s in before.items():
        assert after[node] >= s - 1e-12
    for node, d in dist_before.items():  # every person: never further from the members
        assert dist_after[node] <= d + 1e-12


NODE = re.compile(r"\b(member|ally|contact|insurer|issue):\d+\b")


def node_ids_in(obj, found):
    if isinstance(obj, dict):
        for k, v in obj.items():
            node_ids_in(k, found)
            node_ids_in(v, found)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            node_ids_in(v, found)
    elif isinstance(obj, str):
        found.update(m.group(0) for m in NODE.finditer(obj))
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chapters(offset=0, chapter_id=1), chapters(offset=1000, chapter_id=2))
def test_nothing_of_another_chapter_enters(rows_a, rows_b):
    nodes_b = set(build_network(rows_b, TODAY).graph.nodes)
    for rows, other in ((rows_a, nodes_b), (rows_b, None)):
        net = build_network(rows, TODAY)
        result = analyse_chapter(rows, TODAY, network=net)
        seen = node_ids_in(result.to_dict(), set())
        assert seen <= set(net.graph.nodes)  # dangling rows created no node
        if other is not None:
            assert not seen & other
    assert not set(build_network(rows_a, TODAY).graph.nodes) & nodes_b
