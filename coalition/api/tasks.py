"""Outreach tasks: calls, letters and visits planned for an issue, and their outcomes."""
from __future__ import annotations

from flask import g
from marshmallow import fields
from sqlalchemy import select

from coalition.api.core import (
    PageArgs,
    bp,
    commit,
    get_row,
    merged,
    no_content,
    page_of,
    paginate,
    require,
    seen_version,
)
from coalition.api.fields import (
    Day,
    Flag,
    Input,
    Patch,
    Tracked,
    choice,
    ident,
    matching,
    name,
    one_of,
    text,
    version,
)
from coalition.models.outreach import TASK_KINDS, TASK_OUTCOMES, TASK_STATUSES, Task
from coalition.outreach import tasks
from coalition.platform.extensions import db

TAGS = ["Tasks"]
TARGET = r"^(ally|contact):[1-9][0-9]{0,9}$"


class TaskInputSchema(Input):
    title = name()
    kind = choice(TASK_KINDS, load_default="call")
    issue_id = ident(required=True)
    target = matching(TARGET, allow_none=True, description="`ally:<id>` or `contact:<id>`; "
                                                           "empty for no one in particular.")
    owner_member_id = ident(allow_none=True, description="Coordinators plan for anyone; "
                                                         "members for themselves.")
    due_on = Day(allow_none=True)
    status = choice(TASK_STATUSES, load_default="planned")
    outcome = choice([k for k in TASK_OUTCOMES if k], allow_none=True)
    outcome_notes = text(4000)
    follow_up = text(4000)
    champion = Flag(metadata={"description": "With status done and outcome committed: the ally "
                                             "becomes a champion, not only a supporter."})


class TaskPatchSchema(Patch, TaskInputSchema):
    version = version()


class TaskQuerySchema(PageArgs):
    issue_id = ident(body=False)
    owner_member_id = ident(body=False)
    status = choice(TASK_STATUSES)


def _target(task) -> str | None:
    if task.ally_id:
        return f"ally:{task.ally_id}"
    return f"contact:{task.contact_id}" if task.contact_id else None


class TaskSchema(Tracked):
    id = fields.Integer()
    issue_id = fields.Integer()
    title = fields.String()
    kind = one_of(TASK_KINDS)
    target = fields.Function(_target, allow_none=True, metadata={"type": "string"})
    owner_member_id = fields.Integer(allow_none=True)
    due_on = fields.Date(allow_none=True)
    status = one_of(TASK_STATUSES)
    outcome = fields.String(allow_none=True)
    outcome_notes = fields.String(allow_none=True)
    follow_up = fields.String(allow_none=True)
    version = fields.Integer()


@bp.route("/tasks", methods=["GET"], tags=TAGS)
@bp.arguments(TaskQuerySchema, location="query")
@bp.response(200, page_of(TaskSchema))
def list_tasks(args):
    """List outreach tasks

    Coordinators see every task of the chapter; members their own."""
    stmt = select(Task).where(Task.chapter_id == g.chapter.id)
    if not g.membership.is_coordinator:
        stmt = stmt.where(Task.owner_member_id == g.membership.id)
    for field in ("issue_id", "owner_member_id", "status"):
        if args.get(field):
            stmt = stmt.where(getattr(Task, field) == args[field])
    return paginate(stmt, Task, args)


@bp.route("/tasks", methods=["POST"], tags=TAGS)
@bp.arguments(TaskInputSchema)
@bp.response(201, TaskSchema)
def create_task(data):
    """Plan an outreach task"""
    task, _event = tasks.create_task(db.session, g.chapter, data, g.membership)
    db.session.commit()
    return task


@bp.route("/tasks/<int:task_id>", methods=["GET"], tags=TAGS)
@bp.response(200, TaskSchema)
def get_task(task_id):
    """One outreach task"""
    return get_row(Task, task_id)


@bp.route("/tasks/<int:task_id>", methods=["PATCH"], tags=TAGS)
@bp.arguments(TaskPatchSchema)
@bp.response(200, TaskSchema)
def update_task(data, task_id):
    """Change an outreach task

    Done with outcome `committed` makes the ally a supporter (or champion) of the issue,
    recorded in its history."""
    task = get_row(Task, task_id)
    require(tasks.can_change(task, g.membership))
    version = seen_version(data)
    change = merged(task, TaskInputSchema, data, target=tasks.target_key(task))
    tasks.update_task(db.session, task, change, version, g.membership)
    commit()
    return task


@bp.route("/tasks/<int:task_id>", methods=["DELETE"], tags=TAGS)
@bp.response(204, description="Done; no content.")
def delete_task(task_id):
    """Delete an outreach task

    It goes to the chapter's Trash; a coordinator can restore it for 30 days."""
    task = get_row(Task, task_id)
    require(tasks.can_change(task, g.membership))
    tasks.delete_task(db.session, task)
    db.session.commit()
    return no_content()
