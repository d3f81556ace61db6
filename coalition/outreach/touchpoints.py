"""The interaction log and relationship health: logging a touchpoint along a relationship
(which refreshes its last contact and, if asked, its strength) and the "cultivate before
you need it" list of insurer contacts and influential allies nobody has seen for a while."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, joinedload

from coalition.models import (
    Ally,
    Insurer,
    InsurerContact,
    Membership,
    Relationship,
    User,
)
from coalition.models.allies import ALLY_KINDS
from coalition.models.insurers import CONTACT_ROLES
from coalition.models.outreach import TOUCHPOINT_CHANNELS, Touchpoint
from coalition.platform.rules import RuleBroken

INFLUENTIAL = 4
DEFAULT_DAYS = 90
MAX_DAYS = 3650


class TouchpointError(RuleBroken):
    """A rule was broken (see coalition.platform.rules)."""


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


def may_log(membership: Membership, rel: Relationship) -> bool:
    """The rule of ``loggable`` for one relationship (for the links to the log)."""
    return membership.is_coordinator or membership.id in (
        rel.owner_member_id, rel.a_member_id, rel.b_member_id)


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

    def to_dict(self) -> dict:
        """JSON-able, for the shared cache."""
        return dict(self.__dict__, last_contact=self.last_contact and self.last_contact.isoformat())

    @classmethod
    def from_dict(cls, data: dict) -> Cultivate:
        seen = data.get("last_contact")
        return cls(**dict(data, last_contact=date.fromisoformat(seen) if seen else None))


def configured_days(config) -> int:
    """CULTIVATE_AFTER_DAYS from the configuration, within the bounds a person may ask for."""
    days, _ = parse_days(config["CULTIVATE_AFTER_DAYS"], DEFAULT_DAYS)
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


def _ends(chapter_id: int):
    """Each relationship of the chapter twice, once from each end: (kind, id) of this end,
    (kind, id) of the other end, strength and last contact."""
    def end(side):
        kind = case((getattr(Relationship, f"{side}_member_id").is_not(None), "member"),
                    (getattr(Relationship, f"{side}_ally_id").is_not(None), "ally"),
                    else_="contact")
        # CAST gives the column integer affinity, so SQLite can index the joins on it
        ident = cast(func.coalesce(getattr(Relationship, f"{side}_member_id"),
                                   getattr(Relationship, f"{side}_ally_id"),
                                   getattr(Relationship, f"{side}_contact_id")), Integer)
        return kind, ident

    def half(this, other):
        (kind, ident), (other_kind, other_id) = end(this), end(other)
        return select(kind.label("kind"), ident.label("node_id"),
                      other_kind.label("other_kind"), other_id.label("other_id"),
                      Relationship.strength.label("strength"),
                      Relationship.last_contact.label("last_contact")
                      ).where(Relationship.chapter_id == chapter_id)

    return union_all(half("a", "b"), half("b", "a")).cte("ends")


def _cultivate_query(chapter_id: int, cutoff: date):
    ends = _ends(chapter_id)
    last = (select(ends.c.kind, ends.c.node_id, func.max(ends.c.last_contact).label("seen"))
            .where(ends.c.kind != "member").group_by(ends.c.kind, ends.c.node_id).cte("last"))
    # The strongest link from an active member: strength, then the most recent contact
    # (never recorded counts as oldest), then the lowest membership id.
    ranked = (select(
        ends.c.other_kind.label("kind"), ends.c.other_id.label("node_id"),
        User.name.label("member"), ends.c.strength,
        func.row_number().over(
            partition_by=(ends.c.other_kind, ends.c.other_id),
            order_by=(ends.c.strength.desc(),
                      case((ends.c.last_contact.is_(None), 1), else_=0),
                      ends.c.last_contact.desc(), Membership.id)).label("rank"))
        .join(Membership, Membership.id == ends.c.node_id)
        .join(User, User.id == Membership.user_id)
        .where(ends.c.kind == "member", ends.c.other_kind != "member",
               Membership.chapter_id == chapter_id, Membership.status == "active")
        .cte("ranked"))
    best = select(ranked).where(ranked.c.rank == 1).cte("best")
    candidates = union_all(
        select(literal_column("'contact'").label("kind"), literal_column("0").label("kind_order"),
               InsurerContact.id.label("id"), InsurerContact.name.label("name"),
               InsurerContact.role.label("label"), Insurer.name.label("insurer"),
               cast(null(), Integer).label("influence"))
        .join(Insurer, and_(Insurer.id == InsurerContact.insurer_id,
                            Insurer.chapter_id == chapter_id))
        .where(InsurerContact.chapter_id == chapter_id),
        select(literal_column("'ally'"), literal_column("1"), Ally.id, Ally.name, Ally.kind,
               cast(null(), String), Ally.influence)
        .where(Ally.chapter_id == chapter_id, Ally.status == "active",
               Ally.influence >= INFLUENTIAL),
    ).cte("candidates")
    c = candidates.c
    return (select(c.kind, c.id, c.name, c.label, c.insurer, c.influence, last.c.seen,
                   best.c.member, best.c.strength,
                   func.count().over().label("total"))
            .outerjoin(last, and_(last.c.kind == c.kind, last.c.node_id == c.id))
            .outerjoin(best, and_(best.c.kind == c.kind, best.c.node_id == c.id))
            .where(or_(last.c.seen.is_(None), last.c.seen < cutoff))
            # never recorded first, then longest-neglected; contacts before allies on ties
            .order_by(case((last.c.seen.is_(None), 0), else_=1), last.c.seen, c.name,
                      c.kind_order, c.id))


def cultivate_page(session: Session, chapter_id: int, days: int = DEFAULT_DAYS,
                   limit: int | None = None, today: date | None = None
                   ) -> tuple[list[Cultivate], int]:
    """The first ``limit`` rows of :func:`cultivate` (all of them without a limit) and how
    many rows there are in all, in one query."""
    today = today or date.today()
    stmt = _cultivate_query(chapter_id, today - timedelta(days=days))
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = session.execute(stmt).all()
    out = []
    for kind, ident, name, label, insurer, influence, seen, member, strength, _ in rows:
        if kind == "contact":
            detail = f"{CONTACT_ROLES.get(label, label)}, {insurer}"
        else:
            detail = f"{ALLY_KINDS.get(label, label)}, influence {influence}"
        out.append(Cultivate(kind, ident, name, detail, seen, member, strength))
    return out, (rows[0].total if rows else 0)


def cultivate(session: Session, chapter_id: int, days: int = DEFAULT_DAYS,
              today: date | None = None) -> list[Cultivate]:
    """Insurer contacts and allies of influence 4 or more whose most recent contact with
    anyone in the chapter is older than ``days`` (or unknown), longest-neglected first
    (never recorded first; then by name). Each names the active member with the strongest
    direct relationship to them, if any."""
    return cultivate_page(session, chapter_id, days, None, today)[0]
