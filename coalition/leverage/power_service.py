"""The rows of an issue's power map, read for one chapter and filtered like the ally map.

Who is on it: the active allies with a stance recorded on the issue (as on the map's issue
view; "unknown" included) and the contacts of the issue's insurer. The map's filters apply
the same way: kind, stance and region choose allies, the search matches what the page
shows (so a real name never finds an ally shown under a pseudonym), contacts stay.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.leverage import power_map
from coalition.leverage.mapexport import MapFilters
from coalition.leverage.mapexport.style import KIND_LABELS
from coalition.models import ALLY_KINDS, CONTACT_ROLES, Ally, Chapter, InsurerContact, Issue, Stance


def chapter_issue(session: Session, chapter: Chapter, issue_id: int) -> Issue | None:
    """The chapter's issue ``issue_id``, or None (another chapter's id included)."""
    return session.scalar(select(Issue).where(Issue.id == issue_id, Issue.chapter_id == chapter.id))


def people(session: Session, chapter: Chapter, issue: Issue, filters: MapFilters,
           link: Callable[[str, int], str | None] = lambda type_, ident: None
           ) -> list[power_map.Person]:
    found: list[power_map.Person] = []
    allies = session.execute(
        select(Ally, Stance.stance)
        .join(Stance, Stance.ally_id == Ally.id)
        .where(Ally.chapter_id == chapter.id, Stance.chapter_id == chapter.id,
               Stance.issue_id == issue.id, Ally.status == "active")).all()
    for ally, stance in allies:
        if filters.kinds and ally.kind not in filters.kinds:
            continue
        if filters.stances and stance not in filters.stances:
            continue
        if filters.regions and ally.region not in filters.regions:
            continue
        named = bool(ally.consent)
        found.append(power_map.Person(
            key=f"ally:{ally.id}", type="ally",
            name=ally.name if named else f"{KIND_LABELS.get(ally.kind, 'Ally')} {ally.id}",
            influence=power_map.clamp_influence(ally.influence), stance=stance or power_map.UNKNOWN,
            kind=ally.kind, kind_label=ALLY_KINDS.get(ally.kind, ally.kind),
            region=ally.region if named else None, href=link("ally", ally.id),
            pseudonymised=not named))
    contacts = session.scalars(
        select(InsurerContact).where(InsurerContact.chapter_id == chapter.id,
                                     InsurerContact.insurer_id == issue.insurer_id)).all()
    for contact in contacts:
        role = CONTACT_ROLES.get(contact.role, contact.role)
        found.append(power_map.Person(
            key=f"contact:{contact.id}", type="contact", name=contact.name,
            influence=power_map.contact_influence(contact.role), stance=power_map.UNKNOWN,
            kind="contact", kind_label=f"Insurer contact ({role.lower()})",
            href=link("contact", contact.insurer_id)))
    if filters.search:
        needle = filters.search.casefold()
        found = [p for p in found if needle in p.name.casefold()]
    return found
