"""Relationships: who knows whom, between members, allies and insurer contacts."""
from __future__ import annotations

from flask import g
from marshmallow import fields

from coalition.allies import relationships as relationship_book
from coalition.api.core import (
    ApiError,
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
    number,
    one_of,
    text,
    version,
)
from coalition.models import RELATIONSHIP_KINDS, Relationship
from coalition.platform.access import can_edit
from coalition.platform.extensions import db

TAGS = ["Relationships"]
NODE = r"^(member|ally|contact):[1-9][0-9]{0,9}$"


class RelationshipInputSchema(Input):
    a = matching(NODE, required=True,
                 description="`member:<id>`, `ally:<id>` or `contact:<id>`.")
    b = matching(NODE, required=True)
    kind = choice(RELATIONSHIP_KINDS, load_default="knows")
    strength = number(1, 5, load_default=3)
    since = Day(allow_none=True)
    last_contact = Day(allow_none=True)
    notes = text()
    owner_member_id = ident(description="Who declared it; coordinators only, yourself otherwise.")


class RelationshipPatchSchema(Patch, RelationshipInputSchema):
    version = version()


class RelationshipQuerySchema(PageArgs):
    kind = choice(RELATIONSHIP_KINDS)
    min_strength = number(1, 5, body=False)
    stale = Flag(body=False, metadata={
        "description": "Only links not contacted for 180 days (or never)."})


def _end(side: str):
    return fields.Function(lambda r: "{}:{}".format(*r.endpoint(side)), metadata={"type": "string"})


class RelationshipSchema(Tracked):
    id = fields.Integer()
    a = _end("a")
    b = _end("b")
    kind = one_of(RELATIONSHIP_KINDS)
    strength = fields.Integer()
    since = fields.Date(allow_none=True)
    last_contact = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True)
    owner_member_id = fields.Integer(allow_none=True)
    version = fields.Integer()


@bp.route("/relationships", methods=["GET"], tags=TAGS)
@bp.arguments(RelationshipQuerySchema, location="query")
@bp.response(200, page_of(RelationshipSchema))
def list_relationships(args):
    """List relationships"""
    return paginate(relationship_book.listing(g.chapter.id, args.get("kind", ""),
                                              args.get("min_strength"), bool(args.get("stale"))),
                    Relationship, args)


def _owner(data: dict, default):
    """Coordinators may name who declared a link; members always declare their own."""
    owner = data.pop("owner_member_id", None)
    if owner is not None and not g.membership.is_coordinator:
        raise ApiError(403, "Only coordinators record relationships in someone else's name.")
    return owner if owner is not None else default


@bp.route("/relationships", methods=["POST"], tags=TAGS)
@bp.arguments(RelationshipInputSchema)
@bp.response(201, RelationshipSchema)
def create_relationship(data):
    """Record a relationship"""
    owner = _owner(data, g.membership.id)
    rel = relationship_book.create(db.session, g.chapter.id, data, owner)
    db.session.commit()
    return rel


@bp.route("/relationships/<int:relationship_id>", methods=["GET"], tags=TAGS)
@bp.response(200, RelationshipSchema)
def get_relationship(relationship_id):
    """One relationship"""
    return get_row(Relationship, relationship_id)


@bp.route("/relationships/<int:relationship_id>", methods=["PATCH"], tags=TAGS)
@bp.arguments(RelationshipPatchSchema)
@bp.response(200, RelationshipSchema)
def update_relationship(data, relationship_id):
    """Change a relationship"""
    rel = get_row(Relationship, relationship_id)
    require(can_edit(rel))
    version = seen_version(data)
    owner = _owner(data, None)
    change = merged(rel, RelationshipInputSchema, data, a="{}:{}".format(*rel.endpoint("a")),
                    b="{}:{}".format(*rel.endpoint("b")))
    relationship_book.update(db.session, rel, change, version, owner)
    commit()
    return rel


@bp.route("/relationships/<int:relationship_id>", methods=["DELETE"], tags=TAGS)
@bp.response(204, description="Done; no content.")
def delete_relationship(relationship_id):
    """Remove a relationship

    It goes to the chapter's Trash with the contacts logged on it; a coordinator can restore it for 30 days."""
    rel = get_row(Relationship, relationship_id)
    require(can_edit(rel))
    relationship_book.remove(db.session, rel)
    db.session.commit()
    return no_content()
