"""Sentences from hand-made analysis results: no analysis code runs, every expected
sentence is written out here."""
from coalition.leverage import explain
from coalition.leverage.network.results import AccessPath, Hop


def hop(a, b, age=10.0, usable=4.0):
    return {"from_label": a, "to_label": b, "age_days": age, "usable": usable, "strength": 5}


def path(*people, strength=0.5):
    return {"member_label": people[0], "target_label": people[-1], "strength": strength,
            "hops": [hop(a, b) for a, b in zip(people, people[1:], strict=False)]}


def target(label, kind="medical_director", *paths):
    return {"label": label, "target_kind": kind, "paths": list(paths),
            "best_strength": paths[0]["strength"] if paths else 0.0}


def test_two_intermediaries_read_as_the_issue_example():
    t = target("Dr. Ruth Park", "medical_director",
               path("Olivia Coleman", "Tamara Haddad", "Elijah Ramirez", "Dr. Ruth Park"))
    assert explain.target_sentence(t, "Silver Basin") == (
        "Nobody in the chapter knows Dr. Ruth Park, Silver Basin's medical director, directly. "
        "Olivia Coleman can reach Dr. Ruth Park through two people: Tamara Haddad, then Elijah Ramirez.")


def test_one_intermediary_is_singular():
    p = path("Olivia Coleman", "Tamara Haddad", "Dr. Ruth Park")
    assert explain.path_sentence(p) == "Olivia Coleman can reach Dr. Ruth Park through one person: Tamara Haddad."


def test_direct_knowledge():
    t = target("Hugo Scott", "decision_maker", path("Emma O'Brien", "Hugo Scott"))
    assert explain.target_sentence(t, "Northbridge Mutual") == (
        "Emma O'Brien knows Hugo Scott, Northbridge Mutual's decision maker, directly.")


def test_no_path_says_nobody_can_reach():
    t = target("Hugo Scott", "decision_maker")
    assert explain.target_sentence(t, "Acme Health Plans") == (
        "Nobody in the chapter can reach Hugo Scott, Acme Health Plans' decision maker, yet: "
        "no chain of people who know each other leads there.")


def test_regulator_and_unknown_insurer():
    t = target("Oregon Division", "regulator", path("Emma", "Oregon Division"))
    assert explain.target_sentence(t) == "Emma knows Oregon Division, the regulator, directly."
    assert "the insurer's medical director" in explain.target_sentence(target("Ann", "medical_director"))


def test_missing_names_read_someone():
    p = {"member_label": None, "target_label": "", "strength": 0.2,
         "hops": [hop(None, ""), hop("", None)]}
    assert explain.path_sentence(p) == "someone can reach someone through one person: someone."


def test_a_stale_link_is_named():
    p = path("Emma", "Org", "Julia")
    p["hops"][1]["age_days"] = 202.0
    t = target("Julia", "decision_maker", p)
    assert explain.target_sentence(t, "Acme").endswith(
        "The link Org – Julia has not been used for months; a call would refresh it.")


def test_dataclasses_are_accepted_too():
    h = Hop("member:1", "Emma", "contact:1", "Julia", "relationship", "knows", 1, 1, "Emma", 5, 4.0,
            3.0, "2026-01-01", 0.2)
    assert explain.path_sentence(AccessPath("member:1", "Emma", "contact:1", "Julia", [h], 0.2, 0.8)) == (
        "Emma knows Julia directly.")


def move(label, kind="regulator", gain=6.1, after=67.7, known_by=(), intro=None, consent=True):
    return {"ally": {"label": label, "kind": kind, "influence": 5, "ally_id": 1, "node": "ally:1"},
            "stance": "neutral", "consent": consent, "gain": gain, "score_after": after,
            "known_by": [{"label": k} for k in known_by], "introduction": intro}


def test_moves_name_who_asks_and_what_it_adds():
    assert explain.move_sentence(move("Oregon Division", known_by=["Emma O'Brien", "Pat"])) == (
        "Ask Emma O'Brien to win over Oregon Division (insurance commissioner or regulator): "
        "the score would rise by 6 points, to 68.")
    assert explain.move_sentence(move("Rep. Walker", "legislator", gain=1.0, after=62.0,
                                      intro=path("Ingrid", "Amara", "Rep. Walker"))) == (
        "Ingrid can ask for an introduction to Rep. Walker (legislator) through Amara: "
        "the score would rise by 1 point, to 62.")
    nobody = explain.move_sentence(move("Pia", "patient", gain=0.2, after=50.2, consent=False))
    assert nobody == ("Win over Pia (patient): the score would rise a little, to 50. Nobody in the chapter "
                      "knows them yet, so a first contact is needed. Pia has not agreed to be contacted yet: "
                      "ask through someone they know.")


def test_next_moves_limit_and_empty():
    analysis = {"next_moves": [move(f"Ally {i}", known_by=["Emma"]) for i in range(5)]}
    assert len(explain.next_moves(analysis)) == 3
    assert explain.next_moves({"next_moves": []}) == [
        "No ally is left to win over for this issue: every known ally has taken a side."]


def test_coverage_plural_singular_and_none():
    assert explain.coverage_sentence({"committed": 0, "gaps": ["patient"]}) == (
        "No ally has said they support this issue yet.")
    assert explain.coverage_sentence({"committed": 1, "gaps": ["patient", "regulator"]}) == (
        "One ally supports this issue. Still missing: patients and insurance commissioners or regulators.")
    assert explain.coverage_sentence({"committed": 12, "gaps": []}) == (
        "12 allies support this issue. Every kind of ally that counts is on board.")


def score(**points):
    maxima = {"kind_coverage": 30, "commitment": 20, "decision_maker_access": 25,
              "regulator_access": 15, "structural": 10}
    return {"score": sum(points.values()),
            "components": [{"name": k, "points": v, "max_points": maxima[k], "explanation": f"{k} formula"}
                           for k, v in points.items()]}


def test_strengths_and_gaps_list_names_not_formulas():
    analysis = {
        "coverage": {"committed": 32, "champions": 9, "gaps": ["regulator"],
                     "kinds": [{"kind": "patient", "committed": 4}, {"kind": "regulator", "committed": 0},
                               {"kind": "media", "committed": 1}]},
        "targets": [target("Hugo Scott", "decision_maker", path("Pat", "Ethan", "Hugo Scott", strength=0.26))],
    }
    s = score(kind_coverage=24.0, commitment=16.9, decision_maker_access=8.0, regulator_access=0.0,
              structural=2.5)
    found = explain.strengths_and_gaps(s, analysis)
    assert found["strong"] == ["32 allies are committed, nine of them champions.",
                               "Many kinds of allies are on board: patients and journalists or public voices."]
    assert found["missing"] == [
        "No regulator overseeing the insurer is on record yet.",
        "No coverage gap or unique service recorded on the issue.",
        "The way to the insurer's decision makers is long or little used: at best Pat reaches Hugo Scott "
        "through one person."]
    assert not any("formula" in line for line in found["strong"] + found["missing"])


def test_strengths_without_the_analysis_fall_back_to_the_component_text():
    found = explain.strengths_and_gaps(score(kind_coverage=30.0, structural=0.0))
    assert found == {"strong": ["kind_coverage formula"], "missing": ["structural formula"]}


def test_score_sentence_levels():
    assert explain.score_sentence({"score": 61.5}) == "Leverage is moderate: 62 out of 100."
    assert explain.score_sentence({"score": 12.0}) == "Leverage is weak: 12 out of 100."
    assert explain.score_sentence({"score": 80.0}) == "Leverage is strong: 80 out of 100."


def test_key_facts_lead_with_the_unreachable_decision_maker():
    analysis = {
        "insurer_label": "Silver Basin",
        "targets": [target("Dr. Park", "medical_director"),
                    target("Hugo", "decision_maker", path("Emma", "Hugo"))],
        "coverage": {"committed": 2, "gaps": []},
        "brokers": {"brokers": [{"label": "Ethan Ford", "share": 0.35}]},
        "reach": {"committed": 2, "total": 40},
    }
    assert explain.key_facts(analysis) == [
        "Nobody in the chapter can reach Dr. Park, Silver Basin's medical director, yet: "
        "no chain of people who know each other leads there.",
        "Two allies support this issue. Every kind of ally that counts is on board.",
        "Much of the chapter's access to this insurer goes through Ethan Ford (35% of the routes): "
        "keep that relationship warm, and build a second way in."]


def test_key_facts_of_an_empty_analysis():
    assert explain.key_facts({}) == [
        "No decision maker or medical director of the insurer is on record: add the people who decide at the insurer.",
        "No ally has said they support this issue yet.",
        "No committed ally yet, so nobody can pass the word on."]
    assert explain.broker_sentence(None) == "The chapter's access does not hang on any single person."
