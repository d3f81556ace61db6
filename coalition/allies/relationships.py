"""Relationships between members, allies and insurer contacts of one chapter: the choices
for the endpoint selects, validation of posted endpoints, saving, and the lists."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, joinedload

from coalition.models import (
    RELATIONSHIP_KINDS,
    Ally,
    InsurerContact,
    Membership,
    Relationship,
    User,
)
from coalition.models.allies import ENDPOINT_TYPES
from coalition.models.trash import TrashEntry
from coalition.platform.ids import is_id
from coalition.platform.rules import Difference, RuleBroken, check_version, flush_or_conflict
from coalition.platform.rules import differences as compare
from coalition.trash import service as trash

STALE_DAYS = 180


class RelationshipError(RuleBroken):
    """A rule was broken (see coalition.platform.rules)."""


@dataclass(frozen=True)
class Endpoint:
    """One end of a relationship, ready to show."""

    kind: str  # "member" | "ally" | "contact"
    id: int
    name: str
    detail: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def kind_label(self) -> str:
        return {"member": "Member", "ally": "Ally", "contact": "Insurer contact"}[self.kind]


def parse_key(value: str | None) -> tuple[str, int] | None:
    """"ally:5" -> ("ally", 5); anything else -> None."""
    if not value or ":" not in value:
        return None
    kind, _, ident = value.partition(":")
    if kind not in ENDPOINT_TYPES:
        return None
    try:
        number = int(ident)
    except ValueError:
        return None
    return (kind, number) if is_id(number) else None


def endpoint_of(row) -> Endpoint:
    if isinstance(row, Membership):
        return Endpoint("member", row.id, row.user.name, "chapter member")
    if isinstance(row, Ally):
        return Endpoint("ally", row.id, row.name, row.kind_label)
    if isinstance(row, InsurerContact):
        return Endpoint("contact", row.id, row.name,
                        f"{row.role_label}, {row.insurer.name}")
    raise TypeError(row)


def members(session: Session, chapter_id: int) -> list[Membership]:
    return list(session.scalars(
        select(Membership).join(Membership.user)
        .where(Membership.chapter_id == chapter_id, Membership.status == "active")
        .options(joinedload(Membership.user))
        .order_by(User.name, Membership.id)))


def load_endpoint(session: Session, chapter_id: int, key: str | None) -> Endpoint | None:
    """The endpoint named by ``key`` if it belongs to the chapter, else None."""
    parsed = parse_key(key)
    if parsed is None:
        return None
    kind, ident = parsed
    model = {"member": Membership, "ally": Ally, "contact": InsurerContact}[kind]
    stmt = select(model).where(model.id == ident, model.chapter_id == chapter_id)
    if kind == "member":
        stmt = stmt.where(Membership.status == "active")
    row = session.scalar(stmt)
    return endpoint_of(row) if row is not None else None


FIELDS = ("kind", "strength", "since", "last_contact", "notes")


def _assign(session: Session, rel: Relationship, data: dict, chapter_id: int,
            owner_id: int | None) -> None:
    a = load_endpoint(session, chapter_id, data.get("a"))
    b = load_endpoint(session, chapter_id, data.get("b"))
    if a is None:
        raise RelationshipError("Choose someone of this chapter.", "a")
    if b is None:
        raise RelationshipError("Choose someone of this chapter.", "b")
    if a.key == b.key:
        raise RelationshipError("A relationship links two different people or organisations.",
                                "b")
    if data.get("kind") not in RELATIONSHIP_KINDS:
        raise RelationshipError("Choose a kind from the list.", "kind")
    owner = None
    if owner_id is not None:  # looked up before anything is assigned: one save, one write
        owner = session.scalar(select(Membership.id).where(
            Membership.id == owner_id, Membership.chapter_id == chapter_id,
            Membership.status == "active"))
        if owner is None:
            raise RelationshipError("Choose a member of this chapter.", "owner")
    rel.set_endpoint("a", a.kind, a.id)
    rel.set_endpoint("b", b.kind, b.id)
    for name in FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            value = value.strip() or None
        setattr(rel, name, value)
    if owner is not None:
        rel.owner_member_id = owner


def create(session: Session, chapter_id: int, data: dict, owner_id: int) -> Relationship:
    rel = Relationship(chapter_id=chapter_id)
    _assign(session, rel, data, chapter_id, owner_id)
    session.add(rel)
    session.flush()
    return rel


def update(session: Session, rel: Relationship, data: dict, version,
           owner_id: int | None) -> None:
    check_version(rel, version)
    _assign(session, rel, data, rel.chapter_id, owner_id)
    flush_or_conflict(session)


def differences(session: Session, rel: Relationship, data: dict) -> list[Difference]:
    """The saved values next to the typed ones, for the conflict panel."""
    saved_a, saved_b = ends(rel)
    names = {e.key: e.name for e in (saved_a, saved_b)}
    for key in (data.get("a"), data.get("b")):
        typed = load_endpoint(session, rel.chapter_id, key)
        if typed is not None:
            names[typed.key] = typed.name
    fields = {"a": ("From", names), "kind": ("Kind", RELATIONSHIP_KINDS), "b": ("To", names),
              "strength": ("Strength", None), "since": ("Known since", None),
              "last_contact": ("Last contact", None), "notes": ("Notes", None)}
    saved = {name: getattr(rel, name, None) for name in FIELDS}
    saved.update(a=saved_a.key, b=saved_b.key)
    return compare(fields, saved, data)


def remove(session: Session, rel: Relationship) -> TrashEntry:
    """Move the relationship to the Trash, with the contacts logged on it."""
    return trash.discard(session, rel)


def _with_endpoints(stmt: Select) -> Select:
    return stmt.options(
        joinedload(Relationship.a_member).joinedload(Membership.user),
        joinedload(Relationship.b_member).joinedload(Membership.user),
        joinedload(Relationship.a_ally), joinedload(Relationship.b_ally),
        joinedload(Relationship.a_contact).joinedload(InsurerContact.insurer),
        joinedload(Relationship.b_contact).joinedload(InsurerContact.insurer),
        joinedload(Relationship.owner).joinedload(Membership.user),
    )


def ends(rel: Relationship) -> tuple[Endpoint, Endpoint]:
    return endpoint_of(rel.endpoint_object("a")), endpoint_of(rel.endpoint_object("b"))


def for_node(session: Session, chapter_id: int, kind: str,
             ident: int) -> list[tuple[Relationship, Endpoint]]:
    """The relationships touching one node, each with the endpoint at the other end."""
    a_col = getattr(Relationship, f"a_{kind}_id")
    b_col = getattr(Relationship, f"b_{kind}_id")
    rows = session.scalars(_with_endpoints(
        select(Relationship).where(Relationship.chapter_id == chapter_id,
                                   or_(a_col == ident, b_col == ident))
        .order_by(Relationship.strength.desc(), Relationship.id))).unique()
    pairs = []
    for rel in rows:
        a, b = ends(rel)
        pairs.append((rel, b if (a.kind, a.id) == (kind, ident) else a))
    return pairs


def stale_before(today: date | None = None) -> date:
    return (today or date.today()) - timedelta(days=STALE_DAYS)


def listing(chapter_id: int, kind: str = "", min_strength: int | None = None,
            stale: bool = False) -> Select:
    stmt = select(Relationship).where(Relationship.chapter_id == chapter_id)
    if kind:
        stmt = stmt.where(Relationship.kind == kind)
    if min_strength:
        stmt = stmt.where(Relationship.strength >= min_strength)
    if stale:
        # Never contacted counts as stale: nobody can vouch for the link today.
        stmt = stmt.where(or_(Relationship.last_contact.is_(None),
                              Relationship.last_contact < stale_before()))
    return _with_endpoints(stmt.order_by(Relationship.last_contact.desc().nulls_last(),
                                         Relationship.id.desc()))

