"""The power map of one issue: who matters (influence, up) against where they stand on the
issue (stance, across), the classic grid of campaign planning.

Pure: plain :class:`Person` rows in, placement out; no Flask, no database
(``power_service`` reads the rows of one chapter).

The wording and the cut-offs, decided for issue #14 and said on the page:

* influence 4 or 5 is *high*, 1 to 3 *low*: a new ally starts at 3, so only people the
  chapter rated above average count as influential;
* champion and supporter are *supportive*; neutral and opposed are *not supportive yet*;
* the four quadrants: high and supportive "Champions to mobilise", high and not supportive
  "Influential people to win over", low and supportive "Supporters to grow", low and not
  supportive "Watch";
* an unknown stance is no quadrant: those people stand in their own column, "Stance not
  known yet", still by influence, because the next move there is to ask;
* insurer contacts have no recorded stance (they sit in that column) and no influence
  rating: it follows from their role (:data:`CONTACT_INFLUENCE`).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

HIGH_INFLUENCE = 4
INFLUENCE_LEVELS = (5, 4, 3, 2, 1)  # top to bottom
STANCE_COLUMNS = ("opposed", "neutral", "supporter", "champion")  # left to right
SUPPORTIVE = frozenset({"supporter", "champion"})
UNKNOWN = "unknown"

#: A contact's weight on the issue from its role: the decision maker decides.
CONTACT_INFLUENCE = {"decision_maker": 5, "medical_director": 4, "network_manager": 3,
                     "provider_relations": 2, "other": 2}


@dataclass(frozen=True)
class Quadrant:
    key: str
    title: str
    who: str    # which people, in plain words
    next: str   # what to do about them


QUADRANTS: dict[str, Quadrant] = {q.key: q for q in (
    Quadrant("champions", "Champions to mobilise", "Influential and on our side.",
             "Ask them to act now: a letter, a call, a meeting."),
    Quadrant("win_over", "Influential people to win over", "Influential, but neutral or opposed.",
             "Find who in the chapter can reach them, and make the case."),
    Quadrant("grow", "Supporters to grow", "On our side, with less influence.",
             "Bring them together so that their voices add up."),
    Quadrant("watch", "Watch", "Less influence, neutral or opposed.",
             "Keep an eye on them; no effort needed now."),
    Quadrant("unknown", "Stance not known yet", "Nobody has recorded where they stand.",
             "Ask them, or someone who knows them, before planning."),
)}


@dataclass(frozen=True)
class Person:
    key: str                 # "ally:12", "contact:3"
    type: str                # "ally" or "contact"
    name: str                # what the page shows (a pseudonym for an ally without consent)
    influence: int           # 1-5
    stance: str              # one of STANCE_COLUMNS or UNKNOWN
    kind: str = "contact"    # ally kind, or "contact"
    kind_label: str = ""
    region: str | None = None
    href: str | None = None
    pseudonymised: bool = False


@dataclass
class Cell:
    influence: int
    column: str              # a stance, or UNKNOWN
    quadrant: str
    shown: list[Person] = field(default_factory=list)
    more: int = 0            # left out of the drawing past the cap (all are in the table)


@dataclass
class PowerMap:
    rows: list[list[Cell]]                 # per influence level, top first: unknown, then stances
    groups: list[tuple[Quadrant, list[Person]]]
    total: int


def contact_influence(role: str | None) -> int:
    return CONTACT_INFLUENCE.get(role or "other", CONTACT_INFLUENCE["other"])


def clamp_influence(value) -> int:
    try:
        return max(1, min(5, int(value)))
    except (TypeError, ValueError):
        return 3


def quadrant_of(influence: int, stance: str) -> str:
    """The quadrant key of someone with this influence (1-5) and stance on the issue."""
    if stance not in STANCE_COLUMNS:
        return "unknown"
    high = clamp_influence(influence) >= HIGH_INFLUENCE
    if stance in SUPPORTIVE:
        return "champions" if high else "grow"
    return "win_over" if high else "watch"


def _order(p: Person):
    # Strongest first within a cell or a table; then by name, so the page is stable.
    return (-p.influence, -_stance_rank(p.stance), p.name.casefold(), p.key)


def _stance_rank(stance: str) -> int:
    return STANCE_COLUMNS.index(stance) if stance in STANCE_COLUMNS else -1


def build(people: Iterable[Person], *, cap: int = 8) -> PowerMap:
    """Place ``people`` in the grid (at most ``cap`` drawn per cell, the rest counted in
    ``more``) and group them by quadrant for the table (every person listed)."""
    people = sorted(people, key=_order)
    columns = (UNKNOWN, *STANCE_COLUMNS)
    cells = {(level, col): Cell(level, col, quadrant_of(level, col))
             for level in INFLUENCE_LEVELS for col in columns}
    groups: dict[str, list[Person]] = {key: [] for key in QUADRANTS}
    for p in people:
        col = p.stance if p.stance in STANCE_COLUMNS else UNKNOWN
        cell = cells[(clamp_influence(p.influence), col)]
        if len(cell.shown) < cap:
            cell.shown.append(p)
        else:
            cell.more += 1
        groups[quadrant_of(p.influence, p.stance)].append(p)
    return PowerMap(
        rows=[[cells[(level, col)] for col in columns] for level in INFLUENCE_LEVELS],
        groups=[(QUADRANTS[key], found) for key, found in groups.items()],
        total=len(people),
    )
