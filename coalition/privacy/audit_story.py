"""The audit trail told in sentences: "Dana ticked 'Decision makers identified' on Prior
authorisation after visit 6", "Sam exported the map (GraphML)", "Dana edited the ally Olivia
Coleman", each record a link while it still exists. The trail itself keeps only ids and
field names (``coalition.privacy.audit``); the names are read here, when the page is shown,
with one query per kind of record on the page rather than one per entry."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from coalition.leverage.map_exports import LABELS as MAP_FORMATS
from coalition.models import (
    RELATIONSHIP_KINDS,
    Ally,
    EvidenceCount,
    Insurer,
    InsurerContact,
    Issue,
    IssueEvent,
    Membership,
    PreparationTick,
    Relationship,
    Stance,
    Task,
    Touchpoint,
    User,
)
from coalition.models.association import Campaign, Introduction, SharedContact
from coalition.models.security import AuditEntry
from coalition.outreach.preparation import ITEMS

VERBS = {"created": "added", "changed": "edited", "deleted": "deleted", "restored": "restored",
         "purged": "emptied from the Trash", "exported": "exported", "erased": "erased on request",
         "deactivated": "deactivated", "reactivated": "reactivated",
         # the chapter's side of the association
         "joined": "joined", "left": "left", "shared": "shared", "unshared": "stopped sharing",
         "linked": "linked", "unlinked": "unlinked", "accepted": "accepted", "declined": "declined",
         "withdrew": "withdrew"}
# What follows the record's name for some actions.
EXTRAS = {"shared": " with the association", "linked": " to an association profile",
          "unlinked": " from its association profile"}
# What a kind of record is called in a sentence.
NOUNS = {"Ally": "the ally", "Insurer": "the insurer", "InsurerContact": "the insurer contact",
         "Issue": "the issue", "IssueEvent": "the history entry", "Task": "the task",
         "Touchpoint": "the touchpoint", "EvidenceCount": "the evidence", "Stance": "the stance",
         "Relationship": "a relationship", "Membership": "the membership of", "User": "the account of",
         "PreparationTick": "the checklist item", "MapLayout": "a saved map layout",
         "Campaign": "the campaign", "Introduction": "the request for an introduction"}
# Downloads, by the endpoint that served them.
EXPORTS = {"network.export": "the map", "outreach.brief_pdf": "the meeting brief (PDF)",
           "outreach.calendar_feed": "the task calendar", "privacy.export": "an ally's data",
           "outreach.calendar": "the task calendar"}
# The trail's filter: kinds of record and actions in words.
KIND_LABELS = {kind: noun.removeprefix("the ").removeprefix("a ").removesuffix(" of").capitalize()
               for kind, noun in NOUNS.items()}
ACTION_LABELS = {action: verb.capitalize() for action, verb in VERBS.items()}
FIELD_NAMES = {"name": "name", "email": "e-mail", "phone": "phone", "notes": "notes", "kind": "kind",
               "influence": "influence", "region": "region", "status": "status", "stage": "stage",
               "due_on": "due date", "owner_id": "owner", "title": "title", "strength": "strength",
               "last_contact": "last contact", "stance": "stance", "summary": "summary",
               "occurred_on": "date", "role": "role", "consent": "consent", "reports_to_id": "manager"}


@dataclass
class Line:
    """One entry: ``who`` ``verb`` ``noun`` ``name`` (a link to ``url`` when the record still
    exists), then ``extra`` (on which issue, which format, which fields)."""

    entry: AuditEntry
    who: str
    verb: str
    noun: str
    name: str | None = None
    url: tuple[str, dict] | None = None
    extra: str = ""
    gone: bool = False


def _named(session, chapter_id, model, label, ids, endpoint=None, key=None):
    """{id: (name, url)} for the rows of ``model`` among ``ids`` in the chapter."""
    rows = session.execute(select(model.id, label).where(model.id.in_(ids), model.chapter_id == chapter_id))
    return {r[0]: (r[1], (endpoint, {key: r[0]}) if endpoint else None) for r in rows}


def _on_issue(session, chapter_id, model, label, ids, describe):
    rows = session.execute(
        select(model.id, label, Issue.id, Issue.title).join(Issue, Issue.id == model.issue_id)
        .where(model.id.in_(ids), model.chapter_id == chapter_id))
    return {r[0]: (describe(r[1], r[3]), ("issues.show", {"issue_id": r[2]})) for r in rows}


def _names(session: Session, chapter_id: int, kind: str, ids: set[int]) -> dict:
    if kind == "Ally":
        return _named(session, chapter_id, Ally, Ally.name, ids, "allies.show", "ally_id")
    if kind == "Insurer":
        return _named(session, chapter_id, Insurer, Insurer.name, ids, "insurers.show", "insurer_id")
    if kind == "InsurerContact":
        return _named(session, chapter_id, InsurerContact, InsurerContact.name, ids,
                      "insurers.edit_contact", "contact_id")
    if kind == "Issue":
        return _named(session, chapter_id, Issue, Issue.title, ids, "issues.show", "issue_id")
    if kind == "Task":
        return _named(session, chapter_id, Task, Task.title, ids, "outreach.show_task", "task_id")
    if kind == "Relationship":
        found = _named(session, chapter_id, Relationship, Relationship.kind, ids,
                       "relationships.edit", "relationship_id")
        return {i: (f"({RELATIONSHIP_KINDS.get(k, k).lower()})", url) for i, (k, url) in found.items()}
    if kind == "IssueEvent":
        return _on_issue(session, chapter_id, IssueEvent, IssueEvent.summary, ids,
                         lambda summary, title: f"“{summary}” on {title}")
    if kind == "EvidenceCount":
        return _on_issue(session, chapter_id, EvidenceCount, EvidenceCount.kind, ids,
                         lambda _kind, title: f"on {title}")
    if kind == "PreparationTick":
        return _on_issue(session, chapter_id, PreparationTick, PreparationTick.item, ids,
                         lambda item, title: f"‘{ITEMS.get(item, item)}’ on {title}")
    if kind == "Stance":
        issue = aliased(Issue)
        rows = session.execute(
            select(Stance.id, Ally.id, Ally.name, issue.title).join(Ally, Ally.id == Stance.ally_id)
            .join(issue, issue.id == Stance.issue_id).where(Stance.id.in_(ids), Stance.chapter_id == chapter_id))
        return {r[0]: (f"of {r[2]} on {r[3]}", ("allies.show", {"ally_id": r[1]})) for r in rows}
    if kind == "Touchpoint":
        return _named(session, chapter_id, Touchpoint, Touchpoint.summary, ids)
    if kind == "Campaign":  # the association's: its title is no chapter's secret
        rows = session.execute(select(Campaign.id, Campaign.title).where(Campaign.id.in_(ids)))
        return {r[0]: (f"“{r[1]}”", ("association.campaign", {"campaign_id": r[0]})) for r in rows}
    if kind == "Introduction":
        rows = session.execute(
            select(Introduction.id, SharedContact.name)
            .join(SharedContact, SharedContact.id == Introduction.shared_contact_id)
            .where(Introduction.id.in_(ids), (Introduction.to_chapter_id == chapter_id)
                   | (Introduction.from_chapter_id == chapter_id)))
        return {r[0]: (f"to {r[1]}", ("chapter_association.overview", {})) for r in rows}
    if kind == "Membership":
        rows = session.execute(select(Membership.id, User.name).join(User, User.id == Membership.user_id)
                               .where(Membership.id.in_(ids), Membership.chapter_id == chapter_id))
        return {r[0]: (r[1], ("members.index", {})) for r in rows}
    return {}


def _fields(entry: AuditEntry) -> str:
    names = [FIELD_NAMES.get(f, f.removesuffix("_id").replace("_", " ")) for f in entry.field_list]
    return f" ({', '.join(names)})" if names else ""


def lines(session: Session, chapter_id: int, entries: list[AuditEntry], people: dict[int, str]) -> list[Line]:
    """The entries of one page as sentences; ``people`` names the actors (user id → name)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for e in entries:
        if e.entity_id is not None and e.action != "exported":
            wanted[e.entity_type].add(e.entity_id)
    known = {kind: _names(session, chapter_id, kind, ids) for kind, ids in wanted.items()}
    out = []
    for e in entries:
        who = people.get(e.actor_id, "Someone") if e.actor_id else "The system"
        if e.action == "exported":
            fmt = e.field_list[0] if e.field_list else None
            extra = f" ({MAP_FORMATS.get(fmt, fmt).split(' (')[0]})" if fmt else ""
            out.append(Line(e, who, "exported", EXPORTS.get(e.entity_type, "a download"), extra=extra))
            continue
        verb = VERBS.get(e.action, e.action)
        noun = NOUNS.get(e.entity_type, "a record")
        if e.entity_type == "PreparationTick" and e.action in ("created", "deleted"):
            verb, noun = ("ticked" if e.action == "created" else "unticked"), ""
        found = known.get(e.entity_type, {}).get(e.entity_id)
        if found:
            name, url = found
            out.append(Line(e, who, verb, noun, name, url, _fields(e) if e.action == "changed"
                            else EXTRAS.get(e.action, "")))
        else:
            out.append(Line(e, who, verb, noun or "a checklist item",
                            extra=_fields(e) if e.action == "changed" else EXTRAS.get(e.action, ""),
                            gone=e.entity_id is not None and e.entity_type in NOUNS))
    return out
