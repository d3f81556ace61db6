"""Chapters the token's user belongs to, and the members of the token's chapter."""
from __future__ import annotations

from types import SimpleNamespace

from flask import g
from marshmallow import fields
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coalition.api.core import PageArgs, bp, page_of, paginate
from coalition.api.fields import Output, node, one_of
from coalition.models import Chapter, Membership
from coalition.platform.extensions import db

TAGS = ["Chapters"]
ROLES = ["coordinator", "member"]


class ChapterSchema(Output):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    region = fields.String(allow_none=True)
    role = one_of(ROLES, metadata={"description": "Your role in the chapter."})
    token_chapter = fields.Boolean(metadata={
        "description": "True for the chapter this token serves."})


class ChapterListSchema(Output):
    items = fields.List(fields.Nested(ChapterSchema))


class MemberSchema(Output):
    id = fields.Integer(metadata={"description": "Membership id; `member:<id>` in relationships."})
    name = fields.String(attribute="user.name")
    role = one_of(ROLES)
    node = node("member")


@bp.route("/chapters", methods=["GET"], tags=TAGS)
@bp.response(200, ChapterListSchema)
def list_chapters():
    """Chapters you belong to

    Every chapter you are an active member of. A token serves one of them
    (`token_chapter`); use a token of another chapter to work there."""
    rows = db.session.execute(
        select(Chapter, Membership.role).join(Membership, Membership.chapter_id == Chapter.id)
        .where(Membership.user_id == g.membership.user_id, Membership.status == "active")
        .order_by(Chapter.name, Chapter.id)).all()
    return SimpleNamespace(items=[
        SimpleNamespace(id=c.id, slug=c.slug, name=c.name, region=c.region, role=role,
                        token_chapter=c.id == g.chapter.id) for c, role in rows])


@bp.route("/members", methods=["GET"], tags=TAGS)
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(MemberSchema))
def list_members(args):
    """The chapter's members"""
    stmt = (select(Membership).options(joinedload(Membership.user))
            .where(Membership.chapter_id == g.chapter.id, Membership.status == "active"))
    return paginate(stmt, Membership, args)
