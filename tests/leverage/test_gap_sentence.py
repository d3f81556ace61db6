"""The dashboard's "largest gap" of each issue in plain words, from hand-made summaries:
it names the issue's own missing piece and the people involved."""
from __future__ import annotations

from coalition.leverage.dashboard import gap_sentence


def summary(**over) -> dict:
    s = {"largest_gap": "decision_maker_access", "missing_kinds": [], "committed": 12,
         "champions": 2, "insurer_label": "Silver Basin Health", "gap_target": None}
    s.update(over)
    return s


def test_a_decision_maker_nobody_reaches_is_named():
    s = summary(gap_target={"label": "Dana Decider", "kind": "medical_director", "strength": 0.0,
                            "via": None, "through": []}, missing_kinds=["regulator"])
    assert gap_sentence(s) == ("Nobody in the chapter can reach Dana Decider (medical director at "
                               "Silver Basin Health). No insurance commissioner / regulator "
                               "supports this issue yet.")


def test_a_weak_path_names_who_comes_closest_and_through_whom():
    s = summary(gap_target={"label": "Hugo Scott", "kind": "decision_maker", "strength": 0.26,
                            "via": "Patrick O'Brien", "through": ["Ethan Ford", "Tamara Haddad"]})
    assert gap_sentence(s) == ("Nobody knows Hugo Scott (decision maker at Silver Basin Health) well: "
                               "Patrick O'Brien comes closest, through Ethan Ford, then Tamara Haddad. "
                               "12 allies support this issue (2 champions).")


def test_missing_kinds_and_the_stance_count():
    s = summary(largest_gap="kind_coverage", missing_kinds=["media", "legislator"], committed=1,
                champions=0)
    assert gap_sentence(s) == ("No media / public or legislator supports this issue yet. "
                               "1 ally supports this issue (0 champions).")


def test_no_stance_yet():
    assert gap_sentence(summary(largest_gap="commitment", committed=0, champions=0)) == \
        "No ally has said they support this issue yet."


def test_an_old_stored_summary_without_the_new_facts_still_reads():
    old = {"largest_gap": "structural", "missing_kinds": []}
    assert gap_sentence(old).startswith("No coverage-gap region or unique service is recorded")
