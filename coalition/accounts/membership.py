"""Coordinators approve, promote, demote and remove the chapter's members."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.models import Chapter, Membership
from coalition.platform.rules import RuleBroken


class MembershipError(RuleBroken):
    """A rule of memberships was broken (see coalition.platform.rules)."""


def _coordinator_count(session: Session, chapter: Chapter) -> int:
    return session.scalar(select(func.count(Membership.id)).where(
        Membership.chapter_id == chapter.id, Membership.role == "coordinator",
        Membership.status == "active")) or 0


def approve(membership: Membership) -> None:
    membership.status = "active"


def set_role(session: Session, membership: Membership, role: str) -> None:
    if role not in ("member", "coordinator"):
        raise MembershipError("Unknown role.")
    if (membership.role == "coordinator" and role == "member"
            and _coordinator_count(session, membership.chapter) <= 1):
        raise MembershipError("A chapter needs at least one coordinator.")
    membership.role = role


def remove(session: Session, membership: Membership) -> None:
    if membership.is_coordinator and _coordinator_count(session, membership.chapter) <= 1:
        raise MembershipError("A chapter needs at least one coordinator.")
    chapter_id = membership.chapter_id
    session.delete(membership)
    session.flush()
    # Their relationships went with them, those waiting in the Trash too: forget those entries.
    from coalition.trash import service as trash

    trash.drop_empty_entries(session, chapter_id)


def removal_questions(session: Session, memberships: list[Membership]) -> dict[int, str]:
    """What removing each member does, said before it is done, by membership id (one query
    for the whole members page)."""
    from collections import Counter

    from sqlalchemy import or_, select

    from coalition.models import Relationship

    ids = [m.id for m in memberships]
    links: Counter[int] = Counter()
    if ids:
        for a, b in session.execute(select(Relationship.a_member_id, Relationship.b_member_id)
                                    .where(or_(Relationship.a_member_id.in_(ids),
                                               Relationship.b_member_id.in_(ids)))):
            links.update({a, b} & set(ids))
    out = {}
    for m in memberships:
        n = links[m.id]
        along = (f" and the {n} relationship{'s' if n != 1 else ''} they declared with allies "
                 "and contacts are deleted" if n else "")
        out[m.id] = f"Remove {m.user.name} from the chapter? They lose access at once{along}."
    return out


def removal_question(session: Session, membership: Membership) -> str:
    return removal_questions(session, [membership])[membership.id]
