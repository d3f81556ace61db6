"""The chapter's directory of insurers and the people inside them: lists with counts, the
org chart by reports-to, and the rules for saving and removing insurers and contacts."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.allies.relationships import parse_key
from coalition.models import Chapter, Insurer, InsurerContact, Issue
from coalition.models.trash import TrashEntry
from coalition.platform.rules import RuleBroken
from coalition.trash import service as trash

INSURER_FIELDS = ("name", "plan_types", "regions", "website", "notes")
CONTACT_FIELDS = ("name", "title", "department", "role", "topics", "email", "phone", "notes")


class DirectoryError(RuleBroken):
    """A rule of the directory was broken; ``field`` names the form field to blame."""


# --- reading ---------------------------------------------------------------------------

@dataclass
class InsurerRow:
    insurer: Insurer
    contacts: int
    issues: int
    open_issues: int


def insurer_rows(session: Session, chapter: Chapter) -> list[InsurerRow]:
    """Every insurer of the chapter with its counts, in three queries whatever the size."""
    contacts = (select(InsurerContact.insurer_id, func.count(InsurerContact.id).label("n"))
                .where(InsurerContact.chapter_id == chapter.id)
                .group_by(InsurerContact.insurer_id).subquery())
    issues = (select(Issue.insurer_id, func.count(Issue.id).label("n"),
                     func.count(Issue.id).filter(Issue.closed_on.is_(None)).label("open"))
              .where(Issue.chapter_id == chapter.id)
              .group_by(Issue.insurer_id).subquery())
    rows = session.execute(
        select(Insurer, func.coalesce(contacts.c.n, 0), func.coalesce(issues.c.n, 0),
               func.coalesce(issues.c.open, 0))
        .outerjoin(contacts, contacts.c.insurer_id == Insurer.id)
        .outerjoin(issues, issues.c.insurer_id == Insurer.id)
        .where(Insurer.chapter_id == chapter.id)
        .order_by(func.lower(Insurer.name), Insurer.id)
    ).all()
    return [InsurerRow(i, c, n, o) for i, c, n, o in rows]


def insurers_for_select(session: Session, chapter: Chapter) -> list[tuple[int, str]]:
    return [(i.id, i.name) for i in session.scalars(
        select(Insurer).where(Insurer.chapter_id == chapter.id)
        .order_by(func.lower(Insurer.name), Insurer.id))]


def contacts_of(session: Session, insurer: Insurer) -> list[InsurerContact]:
    """The insurer's contacts, by name, in one query."""
    return list(session.scalars(
        select(InsurerContact)
        .where(InsurerContact.chapter_id == insurer.chapter_id,
               InsurerContact.insurer_id == insurer.id)
        .order_by(func.lower(InsurerContact.name), InsurerContact.id)))


def issues_of(session: Session, insurer: Insurer) -> list[Issue]:
    return list(session.scalars(
        select(Issue)
        .where(Issue.chapter_id == insurer.chapter_id, Issue.insurer_id == insurer.id)
        .order_by(Issue.closed_on.is_not(None), Issue.opened_on.desc(), Issue.id.desc())))


@dataclass
class ChartNode:
    contact: InsurerContact
    reports: list[ChartNode] = field(default_factory=list)


def org_chart(contacts: list[InsurerContact]) -> list[ChartNode]:
    """Nest the contacts by reports-to, from plain rows (no query). Contacts whose manager is
    not among them are roots; a cycle in old data is broken rather than looped over."""
    nodes = {c.id: ChartNode(c) for c in contacts}
    roots: list[ChartNode] = []
    for c in contacts:
        parent = nodes.get(c.reports_to_id) if c.reports_to_id != c.id else None
        if parent is None:
            roots.append(nodes[c.id])
        else:
            parent.reports.append(nodes[c.id])
    # Contacts caught in a cycle are reachable from no root: show them at the top level.
    seen: set[int] = set()

    def walk(node: ChartNode) -> None:
        seen.add(node.contact.id)
        for child in node.reports:
            if child.contact.id not in seen:
                walk(child)

    for root in roots:
        walk(root)
    for c in contacts:
        if c.id not in seen:
            node = nodes[c.id]
            parent = nodes.get(c.reports_to_id)
            if parent is not None and node in parent.reports:
                parent.reports.remove(node)
            roots.append(node)
            walk(node)
    return roots


def below(contacts: list[InsurerContact], contact_id: int) -> set[int]:
    """Ids of everyone who reports, directly or not, to ``contact_id``."""
    children: dict[int, list[int]] = {}
    for c in contacts:
        if c.reports_to_id is not None:
            children.setdefault(c.reports_to_id, []).append(c.id)
    found: set[int] = set()
    stack = [contact_id]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def manager_value(contact: InsurerContact | None) -> str:
    """The "Reports to" picker's value for a contact's manager ("contact:<id>", "" for nobody)."""
    return f"contact:{contact.reports_to_id}" if contact is not None and contact.reports_to_id else ""


def manager_id(value: str | None) -> int | None:
    """The manager's id from the picker's value; the form has checked it is a colleague's."""
    if not value:
        return None
    key = parse_key(value)
    if key is None or key[0] != "contact":
        raise DirectoryError("Choose someone at the same insurer.", "reports_to_id")
    return key[1]


# --- changing --------------------------------------------------------------------------

def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def save_insurer(session: Session, chapter: Chapter, data: dict,
                 insurer: Insurer | None = None) -> Insurer:
    if insurer is None:
        insurer = Insurer(chapter_id=chapter.id)
        session.add(insurer)
    for name in INSURER_FIELDS:
        setattr(insurer, name, _clean(data.get(name)))
    return insurer


def delete_insurer(session: Session, insurer: Insurer) -> TrashEntry:
    """Move an insurer to the Trash with its contacts and their links; refused (TrashError)
    while it has issues."""
    return trash.discard(session, insurer)


def save_contact(session: Session, insurer: Insurer, data: dict,
                 contact: InsurerContact | None = None) -> InsurerContact:
    """Create or update a contact of ``insurer``; refuses a manager from another insurer
    and any reports-to cycle."""
    colleagues = contacts_of(session, insurer)
    manager_id = data.get("reports_to_id") or None
    if manager_id is not None:
        ids = {c.id for c in colleagues}
        if manager_id not in ids:
            raise DirectoryError("Choose someone at the same insurer.", "reports_to_id")
        if contact is not None and contact.id is not None:
            if manager_id == contact.id:
                raise DirectoryError("A contact cannot report to themselves.", "reports_to_id")
            if manager_id in below(colleagues, contact.id):
                raise DirectoryError(
                    "That person already reports (directly or not) to this contact; "
                    "choosing them would make a loop in the org chart.", "reports_to_id")
    if contact is None:
        contact = InsurerContact(chapter_id=insurer.chapter_id, insurer_id=insurer.id)
        session.add(contact)
    for name in CONTACT_FIELDS:
        setattr(contact, name, _clean(data.get(name)))
    contact.role = contact.role or "other"
    contact.reports_to_id = manager_id
    return contact


def delete_contact(session: Session, contact: InsurerContact) -> TrashEntry:
    """Move a contact to the Trash with its links; the people reporting to it move up to its
    own manager (and back under it if it is restored)."""
    return trash.discard(session, contact)
