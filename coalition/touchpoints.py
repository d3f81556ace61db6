"""The interaction log and relationship health: logging a touchpoint along a relationship
(which refreshes its last contact and, if asked, its strength) and the "cultivate before
you need it" list of insurer contacts and influential allies nobody has seen for a while."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from coalition.models import (
    Ally, InsurerContact, Membership, Relationship, User,
)
from coalition.models.outreach import TOUCHPOINT_CHANNELS, Touchpoint

INFLUENTIAL = 4
DEFAULT_DAYS = 90
MAX_DAYS = 3650


class TouchpointError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _name(obj) -> str:
    if isinstance(obj, Membership):
        return obj.user.name
    return obj.name


def describe(rel: Relationship) -> str:
    return f"{_name(rel.endpoint_object('a'))} — {_name(rel.endpoint_object('b'))} ({rel.kind_label.lower()})"


def _relationships(chapter_id: int):
    return (select(Relationship).where(Relationship.chapter_id == chapter_id)
            .options(*(joinedload(getattr(Relationship, f"{side}_{kind}"))
                       for side in "ab" for kind in ("ally", "contact")),
                     *(joinedload(getattr(Relationship, f"{side}_member"))
                       .joinedload(Membership.user) for side in "ab"),
                     joinedload(Relationship.a_contact).joinedload(InsurerContact.insurer),
                     joinedload(Relationship.b_contact).joinedload(InsurerContact.insurer)))


def loggable(session: Session, membership: Membership) -> list[Relationship]:
    """The relationships this member may log a touchpoint on: every one for a coordinator,
    a member's own (declared by them or with them at one end) otherwise."""
    stmt = _relationships(membership.chapter_id)
    if not membership.is_coordinator:
        stmt = stmt.where(or_(Relationship.owner_member_id == membership.id,
                              Relationship.a_member_id == membership.id,
                              Relationship.b_member_id == membership.id))
    return sorted(session.scalars(stmt).unique(), key=describe)


def for_node(rels: list[Relationship], kind: str | None, ident: int | None) -> list[Relationship]:
    if not kind or not ident:
        return rels
    return [r for r in rels if (kind, ident) in (r.endpoint("a"), r.endpoint("b"))]


def log(session: Session, membership: Membership, data: dict,
        today: date | None = None) -> Touchpoint:
    today = today or date.today()
    allowed = {r.id: r for r in loggable(session, membership)}
    rel = allowed.get(data.get("relationship_id"))
    if rel is None:
        raise TouchpointError("Choose one of the relationships in the list.", "relationship_id")
    occurred = data.get("occurred_on")
    if not isinstance(occurred, date):
        raise TouchpointError("Give the date of the contact.", "occurred_on")
    if occurred > today:
        raise TouchpointError("The date cannot be in the future.", "occurred_on")
    if data.get("channel") not in TOUCHPOINT_CHANNELS:
        raise TouchpointError("Choose a channel from the list.", "channel")
    summary = (data.get("summary") or "").strip()
    if not summary:
        raise TouchpointError("Say in a line what the contact was about.", "summary")
    strength = data.get("strength")
    if strength not in (None, "", 0):
        if not isinstance(strength, int) or not 1 <= strength <= 5:
            raise TouchpointError("Strength goes from 1 to 5.", "strength")
        rel.strength = strength
    if rel.last_contact is None or occurred > rel.last_contact:
        rel.last_contact = occurred
    point = Touchpoint(chapter_id=membership.chapter_id, relationship_id=rel.id,
                       occurred_on=occurred, channel=data["channel"], summary=summary[:300])
    session.add(point)
    return point


def recent(session: Session, chapter_id: int, relationship_ids: list[int] | None = None,
           limit: int = 20) -> list[Touchpoint]:
    stmt = (select(Touchpoint).where(Touchpoint.chapter_id == chapter_id)
            .order_by(Touchpoint.occurred_on.desc(), Touchpoint.id.desc()).limit(limit))
    if relationship_ids is not None:
        stmt = stmt.where(Touchpoint.relationship_id.in_(relationship_ids or [0]))
    return list(session.scalars(stmt))


# --- cultivate before you need it ------------------------------------------------------

@dataclass
class Cultivate:
    kind: str  # "contact" | "ally"
    id: int
    name: str
    detail: str
    last_contact: date | None
    best_member: str | None  # the member with the strongest direct relationship
    best_strength: int | None

    @property
    def days_since(self) -> int | None:
        return None if self.last_contact is None else (date.today() - self.last_contact).days


def configured_days(config) -> int:
    """CULTIVATE_AFTER_DAYS from the configuration (an environment variable is a string)."""
    days, _ = parse_days(config.get("CULTIVATE_AFTER_DAYS"), DEFAULT_DAYS)
    return days


def parse_days(value, default: int) -> tuple[int, str | None]:
    """``?days=`` as a number of days, or the default and an error message."""
    if value in (None, ""):
        return default, None
    try:
        days = int(value)
    except (TypeError, ValueError):
        return default, "Give a whole number of days."
    if not 1 <= days <= MAX_DAYS:
        return default, f"Give a number of days between 1 and {MAX_DAYS}."
    return days, None


def cultivate(session: Session, chapter_id: int, days: int = DEFAULT_DAYS,
              today: date | None = None) -> list[Cultivate]:
    """Insurer contacts and allies of influence 4 or more whose most recent contact with
    anyone in the chapter is older than ``days`` (or unknown), longest-neglected first."""
    today = today or date.today()
    cutoff = today - timedelta(days=days)
    contacts = session.scalars(select(InsurerContact).options(joinedload(InsurerContact.insurer))
                               .where(InsurerContact.chapter_id == chapter_id)).all()
    allies = session.scalars(select(Ally).where(
        Ally.chapter_id == chapter_id, Ally.status == "active",
        Ally.influence >= INFLUENTIAL)).all()
    rels = session.execute(select(
        Relationship.a_member_id, Relationship.a_ally_id, Relationship.a_contact_id,
        Relationship.b_member_id, Relationship.b_ally_id, Relationship.b_contact_id,
        Relationship.strength, Relationship.last_contact,
    ).where(Relationship.chapter_id == chapter_id)).all()
    names = dict(session.execute(
        select(Membership.id, User.name).join(User, User.id == Membership.user_id)
        .where(Membership.chapter_id == chapter_id, Membership.status == "active")).all())

    last: dict[tuple[str, int], date] = {}
    best: dict[tuple[str, int], tuple[int, date, int]] = {}
    for am, aa, ac, bm, ba, bc, strength, seen in rels:
        ends = [("member", am), ("ally", aa), ("contact", ac)], \
               [("member", bm), ("ally", ba), ("contact", bc)]
        a = next((k, v) for k, v in ends[0] if v is not None)
        b = next((k, v) for k, v in ends[1] if v is not None)
        for node in (a, b):
            if seen is not None and (node not in last or seen > last[node]):
                last[node] = seen
        for member, other in ((a, b), (b, a)):
            if member[0] == "member" and member[1] in names and other[0] != "member":
                rank = (strength, seen or date.min, -member[1])
                if other not in best or rank > best[other]:
                    best[other] = rank

    out = []
    candidates = [("contact", c.id, c.name, f"{c.role_label}, {c.insurer.name}") for c in contacts]
    candidates += [("ally", a.id, a.name, f"{a.kind_label}, influence {a.influence}")
                   for a in allies]
    for kind, ident, name, detail in candidates:
        seen = last.get((kind, ident))
        if seen is not None and seen >= cutoff:
            continue
        top = best.get((kind, ident))
        out.append(Cultivate(kind, ident, name, detail, seen,
                             names.get(-top[2]) if top else None, top[0] if top else None))
    out.sort(key=lambda c: (c.last_contact or date.min, c.name))
    return out
