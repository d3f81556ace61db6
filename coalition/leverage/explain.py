"""The leverage analysis said in plain sentences, for volunteers rather than analysts.

Pure functions: they take the analysis results as the pages get them (the dicts of
``IssueAnalysis.to_dict()`` from the cache, or the dataclasses themselves) and return
plain strings; no Flask, no database, so any page (the issue page, the dashboard) and the
tests call them directly. Templates escape the strings as usual.

Entry points
    ``key_facts(analysis, limit=3)``: the facts that matter most, one sentence each.
    ``next_moves(analysis, limit=3)``: what to do next, one sentence per move.
    ``strengths_and_gaps(score)``: ``{"strong": [...], "missing": [...]}`` of the score.
    ``target_sentence(target, insurer)``, ``path_sentence(path)``, ``move_sentence(move)``,
    ``coverage_sentence(coverage)``, ``broker_sentence(brokers)``, ``reach_sentence(reach)``,
    ``score_sentence(score)``: the building blocks.

Names are always given first; a missing name reads "someone" rather than failing, because
the cache may hold results from before a person was renamed or removed.
"""
from __future__ import annotations

from dataclasses import asdict, is_dataclass

#: Ally kinds as a volunteer says them: (one, several).
KIND_WORDS = {
    "patient": ("patient", "patients"),
    "regulator": ("insurance commissioner or regulator", "insurance commissioners or regulators"),
    "patient_org": ("patient organisation", "patient organisations"),
    "support_group": ("support group", "support groups"),
    "medical": ("physician or medical group", "physicians or medical groups"),
    "legislator": ("legislator", "legislators"),
    "media": ("journalist or public voice", "journalists or public voices"),
    "employer": ("employer", "employers"),
    "other": ("other ally", "other allies"),
}
TARGET_WORDS = {
    "decision_maker": "decision maker",
    "medical_director": "medical director",
    "regulator": "regulator",
}
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
#: A component at or above this share of its maximum is "strong"; below ``WEAK`` it is "missing".
STRONG = 0.75
WEAK = 0.5
#: A path whose strength is at least this share of the best single link is "strong" in words.
GOOD_PATH = 0.5
#: Links not used for this many days read as "stale" (the half-life of the default fading).
STALE_DAYS = 180


def plain(result):
    """A result as plain dicts and lists (dataclasses are converted; dicts pass through)."""
    if is_dataclass(result) and not isinstance(result, type):
        return asdict(result)
    return result or {}


def number(n: int) -> str:
    """Small counts in words, as people say them ("two people"); larger ones in figures."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def count(n: int, one: str, many: str) -> str:
    return f"{number(n)} {one if n == 1 else many}"


def name(value) -> str:
    return (value or "").strip() or "someone"


def names(values) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    values = [name(v) for v in values]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


def kind_word(kind: str, n: int = 1) -> str:
    one, many = KIND_WORDS.get(kind, (kind.replace("_", " "), kind.replace("_", " ") + "s"))
    return one if n == 1 else many


def _possessive(insurer: str | None) -> str:
    if not insurer:
        return "the insurer's"
    return insurer + ("'" if insurer.endswith("s") else "'s")


def _role(target: dict, insurer: str | None) -> str:
    kind = target.get("target_kind")
    word = TARGET_WORDS.get(kind, "contact")
    if kind == "regulator":
        return "the regulator"
    return f"{_possessive(insurer)} {word}"


# -- access paths ------------------------------------------------------------------------

def path_sentence(path: dict) -> str:
    """Who starts, through whom, to whom: "Olivia Coleman can reach Julia Gonzales through
    two people: Tamara Haddad, then Elijah Ramirez." A one-hop path is direct knowledge."""
    path = plain(path)
    hops = path.get("hops") or []
    member = name(path.get("member_label") or (hops[0].get("from_label") if hops else None))
    target = name(path.get("target_label") or (hops[-1].get("to_label") if hops else None))
    if len(hops) <= 1:
        return f"{member} knows {target} directly."
    between = [name(h.get("to_label")) for h in hops[:-1]]
    people = "one person" if len(between) == 1 else f"{number(len(between))} people"
    return f"{member} can reach {target} through {people}: {', then '.join(between)}."


def path_strength_words(path: dict) -> str:
    """"strong", "fair" or "weak", from the path's strength against one fresh strength-5 link."""
    strength = float(plain(path).get("strength") or 0.0)
    ratio = strength / (5.0 / 6.0)
    if ratio >= 0.8:
        return "strong"
    return "fair" if ratio >= GOOD_PATH * 0.5 else "weak"


def stale_links(path: dict, days: int = STALE_DAYS) -> list[str]:
    """"Emma O'Brien – Julia Gonzales" for each link of the path last used ``days`` or more ago."""
    out = []
    for hop in plain(path).get("hops") or []:
        age = hop.get("age_days")
        if age is not None and age >= days:
            out.append(f"{name(hop.get('from_label'))} – {name(hop.get('to_label'))}")
    return out


def target_sentence(target: dict, insurer: str | None = None) -> str:
    """One target of the issue (a decision maker, medical director or regulator) and the best
    way the chapter has to reach them, names first."""
    target = plain(target)
    who = name(target.get("label"))
    role = _role(target, insurer)
    paths = target.get("paths") or []
    if not paths:
        return (f"Nobody in the chapter can reach {who}, {role}, yet: "
                "no chain of people who know each other leads there.")
    best = paths[0]
    hops = best.get("hops") or []
    if len(hops) <= 1:
        sentence = f"{name(best.get('member_label'))} knows {who}, {role}, directly."
    else:
        sentence = f"Nobody in the chapter knows {who}, {role}, directly. " + path_sentence(best)
    stale = stale_links(best)
    if stale:
        sentence += (f" The link {stale[0]} has not been used for months; a call would refresh it."
                     if len(stale) == 1 else
                     f" {number(len(stale)).capitalize()} links on the way have not been used for months.")
    return sentence


# -- the score ----------------------------------------------------------------------------

def _component(score: dict, name_: str) -> dict | None:
    for c in score.get("components") or []:
        if c.get("name") == name_:
            return c
    return None


def score_sentence(score: dict) -> str:
    score = plain(score)
    value = float(score.get("score") or 0.0)
    if value >= 70:
        level = "strong"
    elif value >= 40:
        level = "moderate"
    else:
        level = "weak"
    return f"Leverage is {level}: {value:.0f} out of 100."


def _component_words(c: dict, analysis: dict) -> tuple[str, str]:
    """(said when strong, said when missing) for one score component."""
    coverage = analysis.get("coverage") or {}
    targets = analysis.get("targets") or []
    kind_targets = [t for t in targets if t.get("target_kind") != "regulator"]
    reg_targets = [t for t in targets if t.get("target_kind") == "regulator"]
    key = c.get("name")
    if key == "kind_coverage":
        gaps = coverage.get("gaps") or []
        covered = [k.get("kind") for k in coverage.get("kinds") or [] if k.get("committed")]
        return (f"Many kinds of allies are on board: {names(kind_word(k, 2) for k in covered)}.",
                "No " + names(kind_word(k, 2) for k in gaps).replace(" and ", " or ")
                + " on board yet." if gaps else "Few kinds of allies are on board yet.")
    if key == "commitment":
        committed = int(coverage.get("committed") or 0)
        champions = int(coverage.get("champions") or 0)
        said = f"{count(committed, 'ally is', 'allies are')} committed"
        said += f", {count(champions, 'of them a champion', 'of them champions')}." if champions else "."
        return said[0].upper() + said[1:], (
            said[0].upper() + said[1:-1] + ", not yet enough weight: win over more influential allies.")
    if key == "decision_maker_access":
        who = ("the insurer's decision makers", "decision maker or medical director of the insurer")
        return _best_reach(kind_targets, *who), _best_reach(kind_targets, *who, weak=True)
    if key == "regulator_access":
        who = ("the regulator", "regulator overseeing the insurer")
        return _best_reach(reg_targets, *who), _best_reach(reg_targets, *who, weak=True)
    if key == "structural":
        return ("The issue has coverage gaps or unique services on record: the insurer needs the chapter.",
                "No coverage gap or unique service recorded on the issue.")
    return (c.get("explanation") or key or "", c.get("explanation") or key or "")


def _best_reach(targets: list[dict], who: str, one: str, weak: bool = False) -> str:
    reachable = [t for t in targets if t.get("paths")]
    if not targets:
        return f"No {one} is on record yet."
    if not reachable:
        return f"Nobody in the chapter can reach {who} yet."
    best = max(reachable, key=lambda t: float(t.get("best_strength") or 0.0))
    path = best["paths"][0]
    hops = len(path.get("hops") or [])
    via = "directly" if hops <= 1 else f"through {count(hops - 1, 'person', 'people')}"
    if weak:
        return (f"The way to {who} is long or little used: at best {name(path.get('member_label'))} "
                f"reaches {name(best.get('label'))} {via}.")
    return f"{name(path.get('member_label'))} reaches {name(best.get('label'))} {via}."


def strengths_and_gaps(score: dict, analysis: dict | None = None) -> dict:
    """The score as two short lists of sentences: ``strong`` (components at 75 % of their
    maximum or more) and ``missing`` (below half), strongest and emptiest first. ``analysis``
    (the whole result) supplies the names; without it the component's own text is used."""
    score = plain(score)
    analysis = plain(analysis) if analysis is not None else {}
    strong, missing = [], []
    for c in score.get("components") or []:
        top = float(c.get("max_points") or 0.0)
        share = float(c.get("points") or 0.0) / top if top else 0.0
        good, bad = _component_words(c, analysis) if analysis else (c.get("explanation"),) * 2
        if share >= STRONG:
            strong.append((share, good))
        elif share < WEAK:
            missing.append((share, bad))
    return {"strong": [s for _, s in sorted(strong, key=lambda x: -x[0])],
            "missing": [s for _, s in sorted(missing, key=lambda x: x[0])]}


# -- coverage, brokers, reach ---------------------------------------------------------------

def coverage_sentence(coverage: dict) -> str:
    coverage = plain(coverage)
    committed = int(coverage.get("committed") or 0)
    gaps = coverage.get("gaps") or []
    if committed == 0:
        return "No ally has said they support this issue yet."
    said = f"{count(committed, 'ally supports', 'allies support')} this issue".capitalize() + "."
    if gaps:
        said += f" Still missing: {names(kind_word(k, 2) for k in gaps)}."
    else:
        said += " Every kind of ally that counts is on board."
    return said


def broker_sentence(brokers: dict | None) -> str:
    """The person most of the chapter's access depends on (a "broker")."""
    found = (plain(brokers) or {}).get("brokers") or []
    if not found:
        return "The chapter's access does not hang on any single person."
    top = found[0]
    share = float(top.get("share") or 0.0)
    return (f"Much of the chapter's access to this insurer goes through {name(top.get('label'))} "
            f"({share:.0%} of the routes): keep that relationship warm, and build a second way in.")


def reach_sentence(reach: dict) -> str:
    reach = plain(reach)
    committed = int(reach.get("committed") or 0)
    if not committed:
        return "No committed ally yet, so nobody can pass the word on."
    return (f"The {count(committed, 'committed ally', 'committed allies')} can pass the word to "
            f"{count(int(reach.get('total') or 0), 'person', 'people')} within two steps.")


# -- next moves ------------------------------------------------------------------------------

def move_sentence(move: dict) -> str:
    """Whom to win over, who can ask, what it adds: "Ask Emma O'Brien to win over Oregon
    Division of Financial Regulation (insurance commissioner or regulator): the score would
    rise by 6 points, to 68."."""
    move = plain(move)
    ally = move.get("ally") or {}
    who = name(ally.get("label"))
    kind = kind_word(ally.get("kind") or "other")
    known_by = move.get("known_by") or []
    intro = move.get("introduction")
    gain = float(move.get("gain") or 0.0)
    after = float(move.get("score_after") or 0.0)
    rise = f"the score would rise by {gain:.0f} point{'s' if round(gain) != 1 else ''}, to {after:.0f}"
    if gain < 0.5:
        rise = f"the score would rise a little, to {after:.0f}"
    if known_by:
        sentence = f"Ask {name(known_by[0].get('label'))} to win over {who} ({kind}): {rise}."
    elif intro and intro.get("hops"):
        hops = intro["hops"]
        between = [name(h.get("to_label")) for h in hops[:-1]]
        via = f" through {', then '.join(between)}" if between else ""
        sentence = f"{name(intro.get('member_label'))} can ask for an introduction to {who} ({kind}){via}: {rise}."
    else:
        sentence = (f"Win over {who} ({kind}): {rise}. Nobody in the chapter knows them yet, "
                    "so a first contact is needed.")
    if not move.get("consent", True):
        sentence += f" {who} has not agreed to be contacted yet: ask through someone they know."
    return sentence


def next_moves(analysis: dict, limit: int = 3) -> list[str]:
    analysis = plain(analysis)
    moves = [move_sentence(m) for m in (analysis.get("next_moves") or [])[:limit]]
    return moves or ["No ally is left to win over for this issue: every known ally has taken a side."]


# -- the facts that matter --------------------------------------------------------------------

def key_facts(analysis: dict, limit: int = 3) -> list[str]:
    """The few facts that matter most, in this order: the weakest way to a decision maker or
    medical director, the kinds of allies missing, then a broker or the reach."""
    analysis = plain(analysis)
    insurer = analysis.get("insurer_label")
    targets = analysis.get("targets") or []
    facts: list[str] = []
    people = [t for t in targets if t.get("target_kind") != "regulator"]
    regulators = [t for t in targets if t.get("target_kind") == "regulator"]
    if people:
        # The best-reached decision maker says what the chapter can do; an unreachable one
        # says what is missing. Lead with what is missing.
        unreached = [t for t in people if not t.get("paths")]
        facts.append(target_sentence(unreached[0] if unreached
                                     else max(people, key=lambda t: float(t.get("best_strength") or 0.0)),
                                     insurer))
    else:
        facts.append(f"No decision maker or medical director of {insurer or 'the insurer'} is on record: "
                     "add the people who decide at the insurer.")
    facts.append(coverage_sentence(analysis.get("coverage") or {}))
    if regulators and not any(t.get("paths") for t in regulators):
        facts.append(target_sentence(regulators[0], insurer))
    elif (analysis.get("brokers") or {}).get("brokers"):
        facts.append(broker_sentence(analysis.get("brokers")))
    else:
        facts.append(reach_sentence(analysis.get("reach") or {}))
    return facts[:limit]
