"""An issue's history: letters, meetings, stage changes."""
from __future__ import annotations

from flask import g
from marshmallow import fields
from sqlalchemy import select

from coalition.api.core import (
    PageArgs,
    bp,
    get_row,
    merged,
    no_content,
    page_of,
    paginate,
    require,
)
from coalition.api.fields import Day, Input, Patch, Tracked, choice, name, one_of, text
from coalition.insurers import issue_record
from coalition.models import EVENT_KINDS, Issue, IssueEvent
from coalition.platform.access import can_edit
from coalition.platform.extensions import db

TAGS = ["Issues"]


class IssueEventInputSchema(Input):
    occurred_on = Day(required=True)
    kind = choice(EVENT_KINDS, load_default="note")
    summary = name(300)
    details = text()


class IssueEventPatchSchema(Patch, IssueEventInputSchema):
    pass


class IssueEventSchema(Tracked):
    id = fields.Integer()
    issue_id = fields.Integer()
    occurred_on = fields.Date()
    kind = one_of(EVENT_KINDS)
    summary = fields.String()
    details = fields.String(allow_none=True)


@bp.route("/issues/<int:issue_id>/events", methods=["GET"], tags=TAGS)
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(IssueEventSchema))
def list_events(args, issue_id):
    """The issue's history"""
    issue = get_row(Issue, issue_id)
    stmt = select(IssueEvent).where(IssueEvent.chapter_id == g.chapter.id,
                                    IssueEvent.issue_id == issue.id)
    return paginate(stmt, IssueEvent, args)


@bp.route("/issues/<int:issue_id>/events", methods=["POST"], tags=TAGS)
@bp.arguments(IssueEventInputSchema)
@bp.response(201, IssueEventSchema)
def create_event(data, issue_id):
    """Add to the issue's history"""
    issue = get_row(Issue, issue_id)
    event = issue_record.add_event(db.session, issue, data)
    db.session.commit()
    return event


@bp.route("/events/<int:event_id>", methods=["GET"], tags=TAGS)
@bp.response(200, IssueEventSchema)
def get_event(event_id):
    """One history entry"""
    return get_row(IssueEvent, event_id)


@bp.route("/events/<int:event_id>", methods=["PATCH"], tags=TAGS)
@bp.arguments(IssueEventPatchSchema)
@bp.response(200, IssueEventSchema)
def update_event(data, event_id):
    """Change a history entry"""
    event = get_row(IssueEvent, event_id)
    require(can_edit(event))
    issue_record.update_event(event, merged(event, IssueEventInputSchema, data))
    db.session.commit()
    return event


@bp.route("/events/<int:event_id>", methods=["DELETE"], tags=TAGS)
@bp.response(204, description="Done; no content.")
def delete_event(event_id):
    """Delete a history entry

    It goes to the chapter's Trash; a coordinator can restore it for 30 days."""
    event = get_row(IssueEvent, event_id)
    require(can_edit(event))
    issue_record.delete_event(db.session, event)
    db.session.commit()
    return no_content()
