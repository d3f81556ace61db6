"""The API's operations. Thin: check access, call the same service functions as the
browser's views, commit once, answer with the declared schema."""
from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

from flask import current_app, g
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from coalition.allies import directory as ally_directory
from coalition.allies import records as ally_records
from coalition.allies import relationships as relationship_book
from coalition.api import resources as R
from coalition.api.core import (
    ApiError,
    get_row,
    operation,
    paginate,
    require,
    require_coordinator,
    seen_version,
)
from coalition.api.schema import ValidationError
from coalition.insurers import directory as insurer_directory
from coalition.insurers import issue_record
from coalition.models import (
    Ally,
    Chapter,
    Insurer,
    InsurerContact,
    Issue,
    IssueEvent,
    Membership,
    Relationship,
    Stance,
)
from coalition.models.outreach import Task
from coalition.outreach import tasks
from coalition.platform.access import can_edit
from coalition.platform.extensions import db
from coalition.platform.rules import VersionConflict


def _merged(row, schema, data: dict, **extra) -> dict:
    """A partial change on top of the row's current values (the services expect them all)."""
    current = {name: getattr(row, name) for name in schema.fields if hasattr(row, name)}
    current.update(extra)
    current.update(data)
    return current


def _commit() -> None:
    """Commit; a row someone else changed in the meantime answers 409 (core's handler)."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        raise VersionConflict() from exc


# --- chapters and members -------------------------------------------------------------------

@operation("/chapters", "GET", summary="Chapters you belong to", tag="Chapters",
           response=R.CHAPTER_LIST,
           description="Every chapter you are an active member of. A token serves one of "
                       "them (`token_chapter`); use a token of another chapter to work there.")
def list_chapters():
    rows = db.session.execute(
        select(Chapter, Membership.role).join(Membership, Membership.chapter_id == Chapter.id)
        .where(Membership.user_id == g.membership.user_id, Membership.status == "active")
        .order_by(Chapter.name, Chapter.id)).all()
    return SimpleNamespace(items=[
        SimpleNamespace(id=c.id, slug=c.slug, name=c.name, region=c.region, role=role,
                        token_chapter=c.id == g.chapter.id) for c, role in rows])


@operation("/members", "GET", summary="The chapter's members", tag="Chapters",
           response=R.MEMBER, paged=True)
def list_members(args):
    stmt = (select(Membership).options(joinedload(Membership.user))
            .where(Membership.chapter_id == g.chapter.id, Membership.status == "active"))
    return paginate(stmt, Membership, args)


# --- allies ---------------------------------------------------------------------------------

@operation("/allies", "GET", summary="List allies", tag="Allies", query=R.ALLY_QUERY,
           response=R.ALLY, paged=True,
           description="Active allies, filtered like the browser's list.")
def list_allies(args):
    issue_ids = {i.id for i in ally_directory.chapter_issues(db.session, g.chapter.id)}
    if args.get("issue") and args["issue"] not in issue_ids:
        raise ValidationError({"issue": "Not an issue of this chapter."})
    filters = ally_directory.parse_filters(
        {k: str(v) for k, v in args.items() if k in R.ALLY_QUERY.fields}, issue_ids)
    return paginate(ally_directory.search(g.chapter.id, filters), Ally, args)


@operation("/allies", "POST", summary="Add an ally", tag="Allies", body=R.ALLY_IN,
           response=R.ALLY, status=201)
def create_ally(data):
    ally = ally_records.create_ally(db.session, g.chapter.id, data)
    db.session.commit()
    return ally


@operation("/allies/<int:ally_id>", "GET", summary="One ally", tag="Allies", response=R.ALLY)
def get_ally(ally_id):
    return get_row(Ally, ally_id)


@operation("/allies/<int:ally_id>", "PATCH", summary="Change an ally", tag="Allies",
           body=R.ALLY_PATCH, partial=True, response=R.ALLY, versioned=True)
def update_ally(ally_id, data):
    ally = get_row(Ally, ally_id)
    require(can_edit(ally))
    version = seen_version(data)
    ally_records.update_ally(ally, data, version)
    _commit()
    return ally


@operation("/allies/<int:ally_id>", "DELETE", summary="Remove an ally completely",
           tag="Allies", status=204,
           description="With its stances and every relationship touching it.")
def delete_ally(ally_id):
    ally = get_row(Ally, ally_id)
    require(can_edit(ally))
    ally_records.delete_ally(db.session, ally)
    db.session.commit()


# --- stances --------------------------------------------------------------------------------

@operation("/stances", "GET", summary="List stances", tag="Allies", query=R.STANCE_QUERY,
           response=R.STANCE, paged=True)
def list_stances(args):
    stmt = select(Stance).where(Stance.chapter_id == g.chapter.id)
    if args.get("ally_id"):
        stmt = stmt.where(Stance.ally_id == args["ally_id"])
    if args.get("issue_id"):
        stmt = stmt.where(Stance.issue_id == args["issue_id"])
    return paginate(stmt, Stance, args)


@operation("/stances", "POST", summary="Set an ally's stance on an issue", tag="Allies",
           body=R.STANCE_IN, response=R.STANCE,
           description="An ally has one stance per issue: this creates it or replaces it.")
def set_stance(data):
    ally = db.session.scalar(select(Ally).where(Ally.id == data["ally_id"],
                                                Ally.chapter_id == g.chapter.id))
    if ally is None:
        raise ValidationError({"ally_id": "Not an ally of this chapter."})
    require(can_edit(ally))
    stance = ally_records.set_stance(db.session, ally, data["issue_id"], data["stance"],
                                     data.get("notes"))
    db.session.commit()
    return stance


@operation("/stances/<int:stance_id>", "GET", summary="One stance", tag="Allies",
           response=R.STANCE)
def get_stance(stance_id):
    return get_row(Stance, stance_id)


@operation("/stances/<int:stance_id>", "PATCH", summary="Change a stance", tag="Allies",
           body=R.STANCE_PATCH, partial=True, response=R.STANCE)
def update_stance(stance_id, data):
    stance = get_row(Stance, stance_id)
    require(can_edit(stance.ally))
    stance = ally_records.set_stance(db.session, stance.ally, stance.issue_id,
                                     data.get("stance", stance.stance), data.get("notes"))
    db.session.commit()
    return stance


@operation("/stances/<int:stance_id>", "DELETE", summary="Remove a stance", tag="Allies",
           status=204)
def delete_stance(stance_id):
    stance = get_row(Stance, stance_id)
    require(can_edit(stance.ally))
    db.session.delete(stance)
    db.session.commit()


# --- relationships --------------------------------------------------------------------------

@operation("/relationships", "GET", summary="List relationships", tag="Relationships",
           query=R.REL_QUERY, response=R.REL, paged=True)
def list_relationships(args):
    return paginate(relationship_book.listing(g.chapter.id, args.get("kind", ""),
                                              args.get("min_strength"), bool(args.get("stale"))),
                    Relationship, args)


def _owner(data: dict, default):
    """Coordinators may name who declared a link; members always declare their own."""
    owner = data.pop("owner_member_id", None)
    if owner is not None and not g.membership.is_coordinator:
        raise ApiError(403, "Only coordinators record relationships in someone else's name.")
    return owner if owner is not None else default


@operation("/relationships", "POST", summary="Record a relationship", tag="Relationships",
           body=R.REL_IN, response=R.REL, status=201)
def create_relationship(data):
    owner = _owner(data, g.membership.id)
    rel = relationship_book.create(db.session, g.chapter.id, data, owner)
    db.session.commit()
    return rel


@operation("/relationships/<int:relationship_id>", "GET", summary="One relationship",
           tag="Relationships", response=R.REL)
def get_relationship(relationship_id):
    return get_row(Relationship, relationship_id)


@operation("/relationships/<int:relationship_id>", "PATCH", summary="Change a relationship",
           tag="Relationships", body=R.REL_PATCH, partial=True, response=R.REL, versioned=True)
def update_relationship(relationship_id, data):
    rel = get_row(Relationship, relationship_id)
    require(can_edit(rel))
    version = seen_version(data)
    owner = _owner(data, None)
    merged = _merged(rel, R.REL_IN, data, a="{}:{}".format(*rel.endpoint("a")),
                     b="{}:{}".format(*rel.endpoint("b")))
    relationship_book.update(db.session, rel, merged, version, owner)
    _commit()
    return rel


@operation("/relationships/<int:relationship_id>", "DELETE", summary="Remove a relationship",
           tag="Relationships", status=204)
def delete_relationship(relationship_id):
    rel = get_row(Relationship, relationship_id)
    require(can_edit(rel))
    relationship_book.remove(db.session, rel)
    db.session.commit()


# --- insurers and contacts ------------------------------------------------------------------

@operation("/insurers", "GET", summary="List insurers", tag="Insurers", response=R.INSURER,
           paged=True)
def list_insurers(args):
    return paginate(select(Insurer).where(Insurer.chapter_id == g.chapter.id), Insurer, args)


@operation("/insurers", "POST", summary="Add an insurer", tag="Insurers", body=R.INSURER_IN,
           response=R.INSURER, status=201, role="coordinator")
def create_insurer(data):
    require_coordinator()
    insurer = insurer_directory.save_insurer(db.session, g.chapter, data)
    db.session.commit()
    return insurer


@operation("/insurers/<int:insurer_id>", "GET", summary="One insurer", tag="Insurers",
           response=R.INSURER)
def get_insurer(insurer_id):
    return get_row(Insurer, insurer_id)


@operation("/insurers/<int:insurer_id>", "PATCH", summary="Change an insurer", tag="Insurers",
           body=R.INSURER_PATCH, partial=True, response=R.INSURER, role="coordinator")
def update_insurer(insurer_id, data):
    insurer = get_row(Insurer, insurer_id)
    require_coordinator()
    insurer_directory.save_insurer(db.session, g.chapter, _merged(insurer, R.INSURER_IN, data),
                                   insurer)
    db.session.commit()
    return insurer


@operation("/insurers/<int:insurer_id>", "DELETE", summary="Delete an insurer",
           tag="Insurers", status=204, role="coordinator", errors=(409,),
           description="With its contacts; refused (409) while it has issues.")
def delete_insurer(insurer_id):
    insurer = get_row(Insurer, insurer_id)
    require_coordinator()
    try:
        insurer_directory.delete_insurer(db.session, insurer)
    except insurer_directory.DirectoryError as exc:
        raise ApiError(409, str(exc)) from None
    db.session.commit()


@operation("/contacts", "GET", summary="List insurer contacts", tag="Insurers",
           query=R.CONTACT_QUERY, response=R.CONTACT, paged=True)
def list_contacts(args):
    stmt = select(InsurerContact).where(InsurerContact.chapter_id == g.chapter.id)
    if args.get("insurer_id"):
        stmt = stmt.where(InsurerContact.insurer_id == args["insurer_id"])
    return paginate(stmt, InsurerContact, args)


@operation("/contacts", "POST", summary="Add a contact at an insurer", tag="Insurers",
           body=R.CONTACT_IN, response=R.CONTACT, status=201, role="coordinator")
def create_contact(data):
    require_coordinator()
    insurer = db.session.scalar(select(Insurer).where(Insurer.id == data.pop("insurer_id"),
                                                      Insurer.chapter_id == g.chapter.id))
    if insurer is None:
        raise ValidationError({"insurer_id": "Not an insurer of this chapter."})
    contact = insurer_directory.save_contact(db.session, insurer, data)
    db.session.commit()
    return contact


@operation("/contacts/<int:contact_id>", "GET", summary="One insurer contact", tag="Insurers",
           response=R.CONTACT)
def get_contact(contact_id):
    return get_row(InsurerContact, contact_id)


@operation("/contacts/<int:contact_id>", "PATCH", summary="Change an insurer contact",
           tag="Insurers", body=R.CONTACT_PATCH, partial=True, response=R.CONTACT,
           role="coordinator")
def update_contact(contact_id, data):
    contact = get_row(InsurerContact, contact_id)
    require_coordinator()
    insurer_directory.save_contact(db.session, contact.insurer,
                                   _merged(contact, R.CONTACT_PATCH, data), contact)
    db.session.commit()
    return contact


@operation("/contacts/<int:contact_id>", "DELETE", summary="Delete an insurer contact",
           tag="Insurers", status=204, role="coordinator",
           description="Whoever reported to the contact now reports one level up.")
def delete_contact(contact_id):
    contact = get_row(InsurerContact, contact_id)
    require_coordinator()
    insurer_directory.delete_contact(db.session, contact)
    db.session.commit()


# --- issues and their history ---------------------------------------------------------------

@operation("/issues", "GET", summary="List issues", tag="Issues", query=R.ISSUE_QUERY,
           response=R.ISSUE, paged=True)
def list_issues(args):
    filters = issue_record.IssueFilters(
        status=args.get("status", "open"), stage=args.get("stage", ""),
        category=args.get("category", ""), insurer_id=args.get("insurer_id"))
    return paginate(issue_record.issues_query(g.chapter, filters), Issue, args)


@operation("/issues", "POST", summary="Open an issue", tag="Issues", body=R.ISSUE_IN,
           response=R.ISSUE, status=201, role="coordinator")
def create_issue(data):
    require_coordinator()
    issue = issue_record.create_issue(db.session, g.chapter, data)
    db.session.flush()
    db.session.commit()
    return issue


@operation("/issues/<int:issue_id>", "GET", summary="One issue", tag="Issues",
           response=R.ISSUE)
def get_issue(issue_id):
    return get_row(Issue, issue_id)


@operation("/issues/<int:issue_id>", "PATCH", summary="Change an issue", tag="Issues",
           body=R.ISSUE_PATCH, partial=True, response=R.ISSUE, versioned=True,
           role="coordinator",
           description="A stage change is written to the issue's history, with `why`.")
def update_issue(issue_id, data):
    issue = get_row(Issue, issue_id)
    require_coordinator()
    version = seen_version(data)
    why = data.pop("why", None)
    issue_record.update_issue(db.session, g.chapter, issue,
                              _merged(issue, R.ISSUE_IN, data), version, why)
    _commit()
    return issue


@operation("/issues/<int:issue_id>", "DELETE", summary="Delete an issue", tag="Issues",
           status=204, role="coordinator", description="With its history and stances.")
def delete_issue(issue_id):
    issue = get_row(Issue, issue_id)
    require_coordinator()
    issue_record.delete_issue(db.session, issue)
    db.session.commit()


@operation("/issues/<int:issue_id>/leverage", "GET", summary="The leverage analysis of an issue",
           tag="Issues", response=R.LEVERAGE)
def issue_leverage(issue_id):
    from coalition.leverage.analysis import cache

    issue = get_row(Issue, issue_id)
    return cache.issue(g.chapter.id, issue.id)


@operation("/issues/<int:issue_id>/events", "GET", summary="The issue's history",
           tag="Issues", response=R.EVENT, paged=True)
def list_events(issue_id, args):
    issue = get_row(Issue, issue_id)
    stmt = select(IssueEvent).where(IssueEvent.chapter_id == g.chapter.id,
                                    IssueEvent.issue_id == issue.id)
    return paginate(stmt, IssueEvent, args)


@operation("/issues/<int:issue_id>/events", "POST", summary="Add to the issue's history",
           tag="Issues", body=R.EVENT_IN, response=R.EVENT, status=201)
def create_event(issue_id, data):
    issue = get_row(Issue, issue_id)
    event = issue_record.add_event(db.session, issue, data)
    db.session.commit()
    return event


@operation("/events/<int:event_id>", "GET", summary="One history entry", tag="Issues",
           response=R.EVENT)
def get_event(event_id):
    return get_row(IssueEvent, event_id)


@operation("/events/<int:event_id>", "PATCH", summary="Change a history entry", tag="Issues",
           body=R.EVENT_PATCH, partial=True, response=R.EVENT)
def update_event(event_id, data):
    event = get_row(IssueEvent, event_id)
    require(can_edit(event))
    issue_record.update_event(event, _merged(event, R.EVENT_IN, data))
    db.session.commit()
    return event


@operation("/events/<int:event_id>", "DELETE", summary="Delete a history entry", tag="Issues",
           status=204)
def delete_event(event_id):
    event = get_row(IssueEvent, event_id)
    require(can_edit(event))
    issue_record.delete_event(db.session, event)
    db.session.commit()


# --- tasks ----------------------------------------------------------------------------------

@operation("/tasks", "GET", summary="List outreach tasks", tag="Tasks", query=R.TASK_QUERY,
           response=R.TASK, paged=True,
           description="Coordinators see every task of the chapter; members their own.")
def list_tasks(args):
    stmt = select(Task).where(Task.chapter_id == g.chapter.id)
    if not g.membership.is_coordinator:
        stmt = stmt.where(Task.owner_member_id == g.membership.id)
    for name in ("issue_id", "owner_member_id", "status"):
        if args.get(name):
            stmt = stmt.where(getattr(Task, name) == args[name])
    return paginate(stmt, Task, args)


@operation("/tasks", "POST", summary="Plan an outreach task", tag="Tasks", body=R.TASK_IN,
           response=R.TASK, status=201)
def create_task(data):
    task, _event = tasks.create_task(db.session, g.chapter, data, g.membership)
    db.session.commit()
    return task


@operation("/tasks/<int:task_id>", "GET", summary="One outreach task", tag="Tasks",
           response=R.TASK)
def get_task(task_id):
    return get_row(Task, task_id)


@operation("/tasks/<int:task_id>", "PATCH", summary="Change an outreach task", tag="Tasks",
           body=R.TASK_PATCH, partial=True, response=R.TASK, versioned=True,
           description="Done with outcome `committed` makes the ally a supporter "
                       "(or champion) of the issue, recorded in its history.")
def update_task(task_id, data):
    task = get_row(Task, task_id)
    require(tasks.can_change(task, g.membership))
    version = seen_version(data)
    merged = _merged(task, R.TASK_IN, data, target=tasks.target_key(task))
    tasks.update_task(db.session, task, merged, version, g.membership)
    _commit()
    return task


@operation("/tasks/<int:task_id>", "DELETE", summary="Delete an outreach task", tag="Tasks",
           status=204)
def delete_task(task_id):
    task = get_row(Task, task_id)
    require(tasks.can_change(task, g.membership))
    tasks.delete_task(db.session, task)
    db.session.commit()


# --- the graph ------------------------------------------------------------------------------

@operation("/graph", "GET", summary="The ally network as node-link JSON", tag="Graph",
           query=R.GRAPH_QUERY, response=R.GRAPH,
           description="The same map as the browser's export, without contact details.")
def graph(args):
    from coalition.leverage import map_service
    from coalition.leverage.mapexport import MapFilters
    from coalition.leverage.mapexport.cyjs import write_nodelink

    issue_id = args.get("issue_id")
    if issue_id is not None and db.session.scalar(select(Issue.id).where(
            Issue.id == issue_id, Issue.chapter_id == g.chapter.id)) is None:
        raise ValidationError({"issue_id": "Not an issue of this chapter."})
    filters = MapFilters(
        kinds=(args["kind"],) if args.get("kind") else (),
        stances=(args["stance"],) if args.get("stance") else (),
        regions=(args["region"],) if args.get("region") else (),
        issue_id=issue_id, min_strength=args.get("min_strength") or 0)
    settings = map_service.MapSettings(
        today=date.today(),
        half_life_days=float(current_app.config.get("LEVERAGE_HALF_LIFE_DAYS", 180)))
    data = map_service.map_for_export(db.session, g.chapter, filters, settings)
    return json.loads(write_nodelink(data))



# --- the description ------------------------------------------------------------------------

@operation("/openapi.json", "GET", summary="This description (OpenAPI 3.1)", tag="Description",
           public=True, raw={"description": "The OpenAPI 3.1 document.",
                             "content": {"application/json": {"schema": {"type": "object"}}}})
def openapi():
    from coalition.api import spec

    return spec.build(current_app)


@operation("/docs", "GET", summary="This description for people (HTML)", tag="Description",
           public=True, raw={"description": "A web page.",
                             "content": {"text/html": {"schema": {"type": "string"}}}})
def docs():
    from flask import render_template

    from coalition.api import spec

    doc = spec.build(current_app)
    return render_template("api/docs.html", doc=doc, groups=spec.by_tag(doc))
