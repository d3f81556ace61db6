"""Allies: the people and organisations a chapter works with."""
from __future__ import annotations

from flask import g
from marshmallow import fields

from coalition.allies import directory as ally_directory
from coalition.allies import records as ally_records
from coalition.allies import regions
from coalition.api.core import (
    PageArgs,
    bp,
    commit,
    get_row,
    invalid,
    no_content,
    page_of,
    paginate,
    require,
    seen_version,
)
from coalition.api.fields import (
    Flag,
    Input,
    Patch,
    Timestamp,
    Tracked,
    choice,
    email,
    ident,
    name,
    node,
    number,
    one_of,
    text,
    version,
)
from coalition.models import ALLY_KINDS, STANCES, Ally
from coalition.platform.access import can_edit
from coalition.platform.extensions import db

TAGS = ["Allies"]
FILTERS = ("q", "kind", "stance", "issue", "region")


class AllyInputSchema(Input):
    name = name()
    is_organisation = Flag()
    kind = choice(ALLY_KINDS)
    organisation = text(200)
    title = text(200)
    region = text(120)
    email = email()
    phone = text(50)
    influence = number(1, 5, description="1 (little) to 5 (decisive).")
    consent = Flag(metadata={"description": "Agreed to be contacted by the chapter."})
    consent_method = text(300)
    notes = text(description="No clinical information.")
    tags = text(400, description="Separated by commas.")


class AllyPatchSchema(Patch, AllyInputSchema):
    version = version()


class AllyQuerySchema(PageArgs):
    q = text(200, nullable=False, description="Words in name, organisation, e-mail or tags.")
    kind = choice(ALLY_KINDS)
    stance = choice(STANCES)
    issue = ident(body=False, description="Only allies with a stance on this issue.")
    region = text(120, nullable=False)


class AllySchema(Tracked):
    id = fields.Integer()
    name = fields.String()
    is_organisation = fields.Boolean()
    kind = one_of(ALLY_KINDS)
    organisation = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    influence = fields.Integer()
    consent = fields.Boolean()
    consent_at = Timestamp(allow_none=True)
    consent_method = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    tags = fields.List(fields.String(), attribute="tag_list")
    status = one_of(["active", "pending"])
    user_id = fields.Integer(allow_none=True)
    node = node("ally")
    version = fields.Integer()


@bp.route("/allies", methods=["GET"], tags=TAGS)
@bp.arguments(AllyQuerySchema, location="query")
@bp.response(200, page_of(AllySchema))
def list_allies(args):
    """List allies

    Active allies, filtered like the browser's list."""
    issue_ids = {i.id for i in ally_directory.chapter_issues(db.session, g.chapter.id)}
    if args.get("issue") and args["issue"] not in issue_ids:
        raise invalid(issue="Not an issue of this chapter.")
    filters = ally_directory.parse_filters(
        {k: str(v) for k, v in args.items() if k in FILTERS}, issue_ids)
    return paginate(ally_directory.search(g.chapter.id, filters), Ally, args)


def _check_region(data: dict, ally: Ally | None = None) -> None:
    """A region is one of the chapter's, named in any case ("salem" is "Salem"); an unknown
    name is refused (422) rather than added, so a typo never becomes a region."""
    typed = regions.tidy(data.get("region"))
    if typed and (ally is None or typed != ally.region) and \
            regions.known_name(db.session, g.chapter.id, typed) is None:
        raise regions.RegionError(
            f"“{typed}” is not one of the chapter's regions. Use one of the names on the Regions page "
            "(a coordinator adds new ones there), or leave the region out.", "region")


@bp.route("/allies", methods=["POST"], tags=TAGS)
@bp.arguments(AllyInputSchema)
@bp.response(201, AllySchema)
def create_ally(data):
    """Add an ally"""
    _check_region(data)
    ally = ally_records.create_ally(db.session, g.chapter.id, data)
    db.session.commit()
    return ally


@bp.route("/allies/<int:ally_id>", methods=["GET"], tags=TAGS)
@bp.response(200, AllySchema)
def get_ally(ally_id):
    """One ally"""
    return get_row(Ally, ally_id)


@bp.route("/allies/<int:ally_id>", methods=["PATCH"], tags=TAGS)
@bp.arguments(AllyPatchSchema)
@bp.response(200, AllySchema)
def update_ally(data, ally_id):
    """Change an ally"""
    ally = get_row(Ally, ally_id)
    require(can_edit(ally))
    version = seen_version(data)
    _check_region(data, ally)
    ally_records.update_ally(ally, data, version)
    commit()
    return ally


@bp.route("/allies/<int:ally_id>", methods=["DELETE"], tags=TAGS)
@bp.response(204, description="Done; no content.")
def delete_ally(ally_id):
    """Delete an ally

    It goes to the chapter's Trash with its stances, its tasks and every relationship touching
    it; a coordinator can restore them together for 30 days."""
    ally = get_row(Ally, ally_id)
    require(can_edit(ally))
    ally_records.delete_ally(db.session, ally)
    db.session.commit()
    return no_content()
