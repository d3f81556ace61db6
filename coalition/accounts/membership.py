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


def removal_question(session: Session, membership: Membership) -> str:
    """What removing the member does, said before it is done."""
    from sqlalchemy import func, or_, select

    from coalition.models import Relationship

    n = session.scalar(select(func.count(Relationship.id)).where(
        Relationship.chapter_id == membership.chapter_id,
        or_(Relationship.a_member_id == membership.id,
            Relationship.b_member_id == membership.id))) or 0
    links = (f" and the {n} relationship{'s' if n != 1 else ''} they declared with allies and "
             "contacts are deleted" if n else "")
    return (f"Remove {membership.user.name} from the chapter? They lose access at once{links}.")
