"""Stances: where an ally stands on an issue (one stance per ally and issue)."""
from __future__ import annotations

from flask import g
from marshmallow import fields
from sqlalchemy import select

from coalition.allies import records as ally_records
from coalition.api.core import (
    PageArgs,
    bp,
    get_row,
    invalid,
    no_content,
    page_of,
    paginate,
    require,
)
from coalition.api.fields import Input, Patch, Tracked, choice, ident, one_of, text
from coalition.models import STANCES, Ally, Stance
from coalition.platform.access import can_edit
from coalition.platform.extensions import db

TAGS = ["Allies"]


class StanceInputSchema(Input):
    ally_id = ident(required=True)
    issue_id = ident(required=True)
    stance = choice(STANCES, required=True)
    notes = text(500)


class StancePatchSchema(Patch):
    stance = choice(STANCES)
    notes = text(500)


class StanceQuerySchema(PageArgs):
    ally_id = ident(body=False)
    issue_id = ident(body=False)


class StanceSchema(Tracked):
    id = fields.Integer()
    ally_id = fields.Integer()
    issue_id = fields.Integer()
    stance = one_of(STANCES)
    notes = fields.String(allow_none=True)


@bp.route("/stances", methods=["GET"], tags=TAGS)
@bp.arguments(StanceQuerySchema, location="query")
@bp.response(200, page_of(StanceSchema))
def list_stances(args):
    """List stances"""
    stmt = select(Stance).where(Stance.chapter_id == g.chapter.id)
    if args.get("ally_id"):
        stmt = stmt.where(Stance.ally_id == args["ally_id"])
    if args.get("issue_id"):
        stmt = stmt.where(Stance.issue_id == args["issue_id"])
    return paginate(stmt, Stance, args)


@bp.route("/stances", methods=["POST"], tags=TAGS)
@bp.arguments(StanceInputSchema)
@bp.response(200, StanceSchema)
def set_stance(data):
    """Set an ally's stance on an issue

    An ally has one stance per issue: this creates it or replaces it."""
    ally = db.session.scalar(select(Ally).where(Ally.id == data["ally_id"],
                                                Ally.chapter_id == g.chapter.id))
    if ally is None:
        raise invalid(ally_id="Not an ally of this chapter.")
    require(can_edit(ally))
    stance = ally_records.set_stance(db.session, ally, data["issue_id"], data["stance"],
                                     data.get("notes"))
    db.session.commit()
    return stance


@bp.route("/stances/<int:stance_id>", methods=["GET"], tags=TAGS)
@bp.response(200, StanceSchema)
def get_stance(stance_id):
    """One stance"""
    return get_row(Stance, stance_id)


@bp.route("/stances/<int:stance_id>", methods=["PATCH"], tags=TAGS)
@bp.arguments(StancePatchSchema)
@bp.response(200, StanceSchema)
def update_stance(data, stance_id):
    """Change a stance"""
    stance = get_row(Stance, stance_id)
    require(can_edit(stance.ally))
    stance = ally_records.set_stance(db.session, stance.ally, stance.issue_id,
                                     data.get("stance", stance.stance), data.get("notes"))
    db.session.commit()
    return stance


@bp.route("/stances/<int:stance_id>", methods=["DELETE"], tags=TAGS)
@bp.response(204, description="Done; no content.")
def delete_stance(stance_id):
    """Remove a stance

    It goes to the chapter's Trash, from which a coordinator can restore it for 30 days."""
    stance = get_row(Stance, stance_id)
    require(can_edit(stance.ally))
    ally_records.remove_stance(db.session, stance)
    db.session.commit()
    return no_content()
