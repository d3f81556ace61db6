"""Insurers: the companies a chapter's issues are about."""
from __future__ import annotations

from flask import g
from marshmallow import fields
from sqlalchemy import select

from coalition.api.core import (
    ApiError,
    PageArgs,
    bp,
    coordinators_only,
    get_row,
    merged,
    no_content,
    page_of,
    paginate,
)
from coalition.api.fields import Input, Patch, Tracked, name, text
from coalition.insurers import directory as insurer_directory
from coalition.models import Insurer
from coalition.platform.extensions import db
from coalition.platform.rules import RuleBroken

TAGS = ["Insurers"]
URL = r"^https?://\S+$"


class InsurerInputSchema(Input):
    name = name()
    plan_types = text(400, description="Separated by commas.")
    regions = text(400, description="Separated by commas.")
    website = text(300, pattern=URL)
    notes = text()


class InsurerPatchSchema(Patch, InsurerInputSchema):
    pass


class InsurerSchema(Tracked):
    id = fields.Integer()
    name = fields.String()
    plan_types = fields.List(fields.String(), attribute="plan_type_list")
    regions = fields.List(fields.String(), attribute="region_list")
    website = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)


@bp.route("/insurers", methods=["GET"], tags=TAGS)
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(InsurerSchema))
def list_insurers(args):
    """List insurers"""
    return paginate(select(Insurer).where(Insurer.chapter_id == g.chapter.id), Insurer, args)


@bp.route("/insurers", methods=["POST"], tags=TAGS)
@bp.arguments(InsurerInputSchema)
@bp.response(201, InsurerSchema)
@coordinators_only
def create_insurer(data):
    """Add an insurer"""
    insurer = insurer_directory.save_insurer(db.session, g.chapter, data)
    db.session.commit()
    return insurer


@bp.route("/insurers/<int:insurer_id>", methods=["GET"], tags=TAGS)
@bp.response(200, InsurerSchema)
def get_insurer(insurer_id):
    """One insurer"""
    return get_row(Insurer, insurer_id)


@bp.route("/insurers/<int:insurer_id>", methods=["PATCH"], tags=TAGS)
@bp.arguments(InsurerPatchSchema)
@bp.response(200, InsurerSchema)
@coordinators_only
def update_insurer(data, insurer_id):
    """Change an insurer"""
    insurer = get_row(Insurer, insurer_id)
    insurer_directory.save_insurer(db.session, g.chapter, merged(insurer, InsurerInputSchema, data),
                                   insurer)
    db.session.commit()
    return insurer


@bp.route("/insurers/<int:insurer_id>", methods=["DELETE"], tags=TAGS)
@bp.response(204, description="Done; no content.")
@coordinators_only
def delete_insurer(insurer_id):
    """Delete an insurer

    It goes to the chapter's Trash with its contacts and their relationships; a coordinator
    can restore them for 30 days. Refused (409) while it has issues."""
    insurer = get_row(Insurer, insurer_id)
    try:
        insurer_directory.delete_insurer(db.session, insurer)
    except RuleBroken as exc:
        raise ApiError(409, str(exc)) from None
    db.session.commit()
    return no_content()
