"""Finding a person, a relationship or a region of one chapter by typing part of a name.

Every search is scoped to one chapter and ranks names that start with the typed text
before names that only contain it, then alphabetically. Each match carries a hint (kind,
region, organisation, insurer) so two allies called "Maria Lopez" can be told apart.
``lookup`` turns a submitted value back into a match, or None when the value is not one of
the chapter's: forms check what was sent with it instead of a list of every option.

The "contacts" kind searches inside one insurer of the chapter (a contact's manager is a
colleague): its ``scope`` names the insurer (``insurer_id``) and, when a contact is edited,
that contact (``contact``), left out of the suggestions with everyone who reports to it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from coalition.allies.relationships import parse_key
from coalition.models import (
    ALLY_KINDS,
    Ally,
    InsurerContact,
    Membership,
    Relationship,
    User,
)
from coalition.models.allies import Region
from coalition.platform.ids import is_id

# As-you-type suggestions stay short; the page without JavaScript lists a few more.
SUGGESTIONS = 20
FIND_LIMIT = 50


@dataclass(frozen=True)
class Match:
    value: str
    label: str
    hint: str = ""

    @property
    def text(self) -> str:
        """The label with its hint, as one option of a plain select."""
        return f"{self.label} ({self.hint})" if self.hint else self.label

    def as_json(self) -> dict:
        return {"value": self.value, "label": self.label, "hint": self.hint}


def _pattern(q: str) -> str:
    escaped = q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped


def _where_and_rank(column, q: str):
    """The condition (name contains q) and the rank (0: starts with q, 1: contains it)."""
    p = _pattern(q)
    lowered = func.lower(column)
    return (lowered.like(f"%{p}%", escape="\\"),
            case((lowered.like(f"{p}%", escape="\\"), 0), else_=1))


def _ally_hint(kind: str, region: str | None, organisation: str | None) -> str:
    parts = [ALLY_KINDS.get(kind, kind).lower()]
    parts += [p for p in (region, organisation) if p]
    return ", ".join(parts)


def _contact_hint(c: InsurerContact) -> str:
    return f"insurer contact, {c.role_label.lower()}, {c.insurer.name}"


# --- one query per kind of row ------------------------------------------------------------

def _members(session, chapter_id, q, limit, prefix="member:"):
    where, rank = _where_and_rank(User.name, q)
    rows = session.execute(
        select(Membership.id, User.name, rank.label("rank")).join(User, User.id == Membership.user_id)
        .where(Membership.chapter_id == chapter_id, Membership.status == "active", where)
        .order_by(rank, func.lower(User.name), Membership.id).limit(limit)).all()
    return [(r.rank, Match(f"{prefix}{r.id}", r.name, "chapter member")) for r in rows]


def _allies(session, chapter_id, q, limit):
    where, rank = _where_and_rank(Ally.name, q)
    rows = session.execute(
        select(Ally.id, Ally.name, Ally.kind, Ally.region, Ally.organisation, rank.label("rank"))
        .where(Ally.chapter_id == chapter_id, Ally.status == "active", where)
        .order_by(rank, func.lower(Ally.name), Ally.id).limit(limit)).all()
    return [(r.rank, Match(f"ally:{r.id}", r.name, _ally_hint(r.kind, r.region, r.organisation)))
            for r in rows]


def _contacts(session, chapter_id, q, limit):
    where, rank = _where_and_rank(InsurerContact.name, q)
    rows = session.execute(
        select(InsurerContact, rank.label("rank")).options(joinedload(InsurerContact.insurer))
        .where(InsurerContact.chapter_id == chapter_id, where)
        .order_by(rank, func.lower(InsurerContact.name), InsurerContact.id).limit(limit)).all()
    return [(r.rank, Match(f"contact:{r[0].id}", r[0].name, _contact_hint(r[0]))) for r in rows]


def _colleague_hint(c: InsurerContact) -> str:
    # The insurer is the same for every colleague: the title and department tell them apart.
    return ", ".join(p for p in (c.title, c.department) if p) or c.role_label.lower()


def _not_below(chapter_id: int, insurer_id: int, contact_id: int):
    """A condition leaving out the contact and everyone who reports to it, directly or not,
    in one query (UNION stops at a reports-to loop left in old data)."""
    below = (select(InsurerContact.id).where(InsurerContact.chapter_id == chapter_id,
                                             InsurerContact.insurer_id == insurer_id,
                                             InsurerContact.reports_to_id == contact_id)
             .cte("below", recursive=True))
    staff = aliased(InsurerContact)
    below = below.union(select(staff.id).join(below, staff.reports_to_id == below.c.id)
                        .where(staff.chapter_id == chapter_id))
    return InsurerContact.id.not_in(select(below.c.id)), InsurerContact.id != contact_id


def colleagues(session: Session, chapter_id: int, q: str, limit: int, scope: dict) -> list[Match]:
    """Contacts of the scope's insurer whose name matches ``q``, without the contact being
    edited and those below it (who cannot become its manager)."""
    insurer_id, contact_id = scope["insurer_id"], scope.get("contact")
    where, rank = _where_and_rank(InsurerContact.name, q)
    stmt = select(InsurerContact).where(InsurerContact.chapter_id == chapter_id,
                                        InsurerContact.insurer_id == insurer_id, where)
    if is_id(contact_id):
        stmt = stmt.where(*_not_below(chapter_id, insurer_id, contact_id))
    rows = session.scalars(stmt.order_by(rank, func.lower(InsurerContact.name), InsurerContact.id)
                           .limit(limit)).all()
    return [Match(f"contact:{c.id}", c.name, _colleague_hint(c)) for c in rows]


def _merged(groups, limit):
    found = [m for group in groups for m in group]
    found.sort(key=lambda rm: (rm[0], rm[1].label.lower(), rm[1].value))
    return [m for _, m in found[:limit]]


def _end_name(side: str):
    """Aliased joins that name one end of a relationship, whatever its kind."""
    ally, contact, member, user = aliased(Ally), aliased(InsurerContact), aliased(Membership), aliased(User)
    joins = [(ally, getattr(Relationship, f"{side}_ally_id") == ally.id),
             (contact, getattr(Relationship, f"{side}_contact_id") == contact.id),
             (member, getattr(Relationship, f"{side}_member_id") == member.id),
             (user, user.id == member.user_id)]
    return joins, func.coalesce(ally.name, contact.name, user.name)


def relationships(session: Session, membership: Membership, q: str, limit: int) -> list[Match]:
    """The relationships this member may log a touchpoint on (the rule of
    ``outreach.touchpoints.loggable``) with either end's name matching ``q``."""
    from coalition.outreach.touchpoints import _relationships, describe

    a_joins, a_name = _end_name("a")
    b_joins, b_name = _end_name("b")
    a_where, a_rank = _where_and_rank(a_name, q)
    b_where, b_rank = _where_and_rank(b_name, q)
    rank = case((a_rank == 0, 0), (b_rank == 0, 0), else_=1)
    stmt = select(Relationship.id, rank.label("rank"), a_name.label("a"), b_name.label("b"))
    for target, on in a_joins + b_joins:
        stmt = stmt.outerjoin(target, on)
    stmt = stmt.where(Relationship.chapter_id == membership.chapter_id, or_(a_where, b_where))
    if not membership.is_coordinator:
        stmt = stmt.where(or_(Relationship.owner_member_id == membership.id,
                              Relationship.a_member_id == membership.id,
                              Relationship.b_member_id == membership.id))
    rows = session.execute(stmt.order_by(rank, func.lower(a_name), func.lower(b_name), Relationship.id)
                           .limit(limit)).all()
    loaded = {r.id: r for r in session.scalars(
        _relationships(membership.chapter_id).where(Relationship.id.in_([r.id for r in rows]))).unique()}
    return [_relationship_match(loaded[r.id], describe) for r in rows if r.id in loaded]


def _relationship_match(rel: Relationship, describe) -> Match:
    strength = f"strength {rel.strength}"
    last = f", last contact {rel.last_contact:%-d %b %Y}" if rel.last_contact else ""
    return Match(str(rel.id), describe(rel), strength + last)


def regions(session: Session, chapter_id: int, q: str, limit: int) -> list[Match]:
    where, rank = _where_and_rank(Region.name, q)
    rows = session.execute(
        select(Region.name, rank.label("rank")).where(Region.chapter_id == chapter_id, where)
        .order_by(rank, func.lower(Region.name)).limit(limit)).all()
    return [Match(r.name, r.name) for r in rows]


KINDS = ("people", "targets", "members", "relationships", "regions")
# Searched inside one row of the chapter, named by a ``scope``: one route each (views.py).
SCOPED_KINDS = ("contacts",)


def search(session: Session, membership: Membership, kind: str, q: str,
           limit: int = SUGGESTIONS, scope: dict | None = None) -> list[Match]:
    """At most ``limit`` matches of ``kind`` in the member's chapter for the typed ``q``."""
    chapter_id = membership.chapter_id
    if not (q or "").strip():
        return []
    if kind == "contacts":
        return colleagues(session, chapter_id, q, limit, scope)
    if kind == "people":  # either end of a relationship
        return _merged([_members(session, chapter_id, q, limit), _allies(session, chapter_id, q, limit),
                        _contacts(session, chapter_id, q, limit)], limit)
    if kind == "targets":  # whom a task targets
        return _merged([_allies(session, chapter_id, q, limit), _contacts(session, chapter_id, q, limit)],
                       limit)
    if kind == "members":
        return _merged([_members(session, chapter_id, q, limit, prefix="")], limit)
    if kind == "relationships":
        return relationships(session, membership, q, limit)
    if kind == "regions":
        return regions(session, chapter_id, q, limit)
    raise KeyError(kind)


def lookup(session: Session, membership: Membership, kind: str, value,
           scope: dict | None = None) -> Match | None:
    """The match for a submitted ``value`` if it is one of the chapter's, else None."""
    chapter_id = membership.chapter_id
    value = "" if value is None else str(value)
    if kind == "contacts":
        return _colleague(session, chapter_id, value, scope)
    if kind == "regions":
        name = session.scalar(select(Region.name).where(
            Region.chapter_id == chapter_id, Region.name_key == region_key(value)))
        return Match(name, name) if name else None
    if kind == "relationships":
        from coalition.outreach.touchpoints import _relationships, describe, may_log
        if not value.isdigit() or not is_id(int(value)):
            return None
        rel = session.scalars(_relationships(chapter_id).where(Relationship.id == int(value))).first()
        return _relationship_match(rel, describe) if rel is not None and may_log(membership, rel) else None
    prefix, _, ident = value.rpartition(":") if kind != "members" else ("member", ":", value)
    if not ident.isdigit() or not is_id(int(ident)):
        return None
    allowed = {"people": ("member", "ally", "contact"), "targets": ("ally", "contact"),
               "members": ("member",)}[kind]
    if prefix not in allowed:
        return None
    number = int(ident)
    if prefix == "member":
        row = session.execute(
            select(Membership.id, User.name).join(User, User.id == Membership.user_id)
            .where(Membership.id == number, Membership.chapter_id == chapter_id,
                   Membership.status == "active")).first()
        if row is None:
            return None
        return Match(value if kind == "members" else f"member:{row.id}", row.name, "chapter member")
    if prefix == "ally":
        ally = session.scalar(select(Ally).where(Ally.id == number, Ally.chapter_id == chapter_id,
                                                 Ally.status == "active"))
        return Match(value, ally.name, _ally_hint(ally.kind, ally.region, ally.organisation)) if ally else None
    contact = session.scalar(select(InsurerContact).options(joinedload(InsurerContact.insurer))
                             .where(InsurerContact.id == number, InsurerContact.chapter_id == chapter_id))
    return Match(value, contact.name, _contact_hint(contact)) if contact else None


def _colleague(session: Session, chapter_id: int, value: str, scope: dict) -> Match | None:
    """A contact of the scope's insurer. The contact itself or someone below it is still
    found: the directory refuses those with a sentence that says why."""
    key = parse_key(value)
    if key is None or key[0] != "contact":
        return None
    contact = session.scalar(select(InsurerContact).where(
        InsurerContact.id == key[1], InsurerContact.chapter_id == chapter_id,
        InsurerContact.insurer_id == scope["insurer_id"]))
    return Match(value, contact.name, _colleague_hint(contact)) if contact else None


def region_key(name: str | None) -> str:
    """The form two region names are compared in: trimmed, inner spaces collapsed, lower case."""
    return " ".join((name or "").split()).lower()
