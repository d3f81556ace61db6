"""Creating, changing and removing allies and their stances. The caller commits."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from coalition.allies import regions
from coalition.models import ALLY_KINDS, STANCES, Ally, Issue, Stance, utcnow
from coalition.models.trash import TrashEntry
from coalition.platform.rules import Difference, RuleBroken, check_version
from coalition.platform.rules import differences as compare
from coalition.trash import service as trash

# The form fields copied onto an ally as they are.
ALLY_FIELDS = ("is_organisation", "name", "kind", "organisation", "title", "region", "email",
               "phone", "influence", "consent", "consent_method", "notes", "tags")


class AllyError(RuleBroken):
    """A rule was broken; the message is for the person, ``field`` names the form field."""


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def apply_consent(ally: Ally) -> None:
    """Consent ticked: record when (once). Consent withdrawn: forget the date."""
    if ally.consent:
        if ally.consent_at is None:
            ally.consent_at = utcnow()
    else:
        ally.consent_at = None


def _assign(session: Session, ally: Ally, data: dict) -> None:
    region_before = ally.region
    for name in ALLY_FIELDS:
        if name in data:
            setattr(ally, name, _clean(data[name]))
    if "region" in data and ally.region != region_before:
        # The listed spelling ("portland metro" is "Portland Metro"); a new name is listed.
        with session.no_autoflush:
            ally.region = regions.adopt(session, ally.chapter_id, ally.region)
    ally.is_organisation = bool(ally.is_organisation)
    ally.consent = bool(ally.consent)
    if ally.email:
        ally.email = ally.email.lower()
    apply_consent(ally)


def create_ally(session: Session, chapter_id: int, data: dict) -> Ally:
    ally = Ally(chapter_id=chapter_id, status="active")
    _assign(session, ally, data)
    session.add(ally)
    session.flush()
    return ally


def update_ally(ally: Ally, data: dict, version: int | None) -> None:
    check_version(ally, version)
    _assign(object_session(ally), ally, data)


def differences(ally: Ally, data: dict) -> list[Difference]:
    """The saved values next to the typed ones, for the conflict panel."""
    fields = {"name": ("Name", None), "kind": ("Kind", ALLY_KINDS),
              "is_organisation": ("This is an organisation, not a person", None),
              "organisation": ("Organisation", None), "title": ("Title or role", None),
              "region": ("Region", None), "email": ("E-mail", None), "phone": ("Phone", None),
              "influence": ("Influence", None), "consent": ("Agreed to be contacted by the chapter", None),
              "consent_method": ("How consent was given", None), "notes": ("Notes", None),
              "tags": ("Tags", None)}
    saved = {name: getattr(ally, name) for name in fields}
    typed = dict(data, is_organisation=bool(data.get("is_organisation")),
                 consent=bool(data.get("consent")))
    return compare(fields, saved, typed)


def delete_ally(session: Session, ally: Ally) -> TrashEntry:
    """Move the ally to the Trash, with its stances, tasks and every relationship touching it."""
    return trash.discard(session, ally)


def set_stance(session: Session, ally: Ally, issue_id: int, value: str,
               notes: str | None = None) -> Stance:
    """Create or update the ally's one stance on the issue (an issue of the ally's chapter)."""
    if value not in STANCES:
        raise AllyError("Choose a stance from the list.", "stance")
    issue = session.scalar(select(Issue).where(Issue.id == issue_id,
                                               Issue.chapter_id == ally.chapter_id))
    if issue is None:
        raise AllyError("Choose an issue of this chapter.", "issue_id")
    stance = session.scalar(select(Stance).where(Stance.ally_id == ally.id,
                                                 Stance.issue_id == issue.id))
    if stance is None:
        stance = Stance(chapter_id=ally.chapter_id, ally_id=ally.id, issue_id=issue.id)
        session.add(stance)
    stance.stance = value
    if notes is not None:
        stance.notes = _clean(notes)
    session.flush()
    return stance


def approve(ally: Ally) -> None:
    if ally.status != "pending":
        raise AllyError(f"{ally.name} is not waiting for approval.")
    ally.status = "active"


def remove_stance(session: Session, stance: Stance) -> TrashEntry:
    return trash.discard(session, stance)


def reject(session: Session, ally: Ally) -> TrashEntry:
    """Refuse a sign-up: the pending record goes to the Trash (a mistaken click can be
    undone; it is purged with the rest of the trash)."""
    if ally.status != "pending":
        raise AllyError(f"{ally.name} is not waiting for approval.")
    return delete_ally(session, ally)


def pending(session: Session, chapter_id: int) -> list[Ally]:
    from sqlalchemy.orm import selectinload

    return list(session.scalars(
        select(Ally).where(Ally.chapter_id == chapter_id, Ally.status == "pending")
        .order_by(Ally.created_at, Ally.id)
        .options(selectinload(Ally.stances).selectinload(Stance.issue))))
