"""Insurer contacts: the people at an insurer, and whom they report to."""
from __future__ import annotations

from flask import g
from marshmallow import fields
from sqlalchemy import select

from coalition.api.core import (
    PageArgs,
    bp,
    coordinators_only,
    get_row,
    invalid,
    merged,
    no_content,
    page_of,
    paginate,
)
from coalition.api.fields import Input, Patch, Tracked, choice, email, ident, name, node, one_of, text
from coalition.insurers import directory as insurer_directory
from coalition.models import CONTACT_ROLES, Insurer, InsurerContact
from coalition.platform.extensions import db

TAGS = ["Insurers"]


class ContactFields(Input):
    name = name()
    title = text(200)
    department = text(200)
    role = choice(CONTACT_ROLES, load_default="other")
    reports_to_id = ident(allow_none=True, description="A colleague at the same insurer.")
    topics = text(400, description="What they know about; separated by commas.")
    email = email()
    phone = text(50)
    notes = text()


class ContactInputSchema(ContactFields):
    insurer_id = ident(required=True)


class ContactPatchSchema(Patch, ContactFields):
    pass


class ContactQuerySchema(PageArgs):
    insurer_id = ident(body=False)


class ContactSchema(Tracked):
    id = fields.Integer()
    insurer_id = fields.Integer()
    name = fields.String()
    title = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    role = one_of(CONTACT_ROLES)
    reports_to_id = fields.Integer(allow_none=True)
    topics = fields.List(fields.String(), attribute="topic_list")
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    node = node("contact")


@bp.route("/contacts", methods=["GET"], tags=TAGS)
@bp.arguments(ContactQuerySchema, location="query")
@bp.response(200, page_of(ContactSchema))
def list_contacts(args):
    """List insurer contacts"""
    stmt = select(InsurerContact).where(InsurerContact.chapter_id == g.chapter.id)
    if args.get("insurer_id"):
        stmt = stmt.where(InsurerContact.insurer_id == args["insurer_id"])
    return paginate(stmt, InsurerContact, args)


@bp.route("/contacts", methods=["POST"], tags=TAGS)
@bp.arguments(ContactInputSchema)
@bp.response(201, ContactSchema)
@coordinators_only
def create_contact(data):
    """Add a contact at an insurer"""
    insurer = db.session.scalar(select(Insurer).where(Insurer.id == data.pop("insurer_id"),
                                                      Insurer.chapter_id == g.chapter.id))
    if insurer is None:
        raise invalid(insurer_id="Not an insurer of this chapter.")
    contact = insurer_directory.save_contact(db.session, insurer, data)
    db.session.commit()
    return contact


@bp.route("/contacts/<int:contact_id>", methods=["GET"], tags=TAGS)
@bp.response(200, ContactSchema)
def get_contact(contact_id):
    """One insurer contact"""
    return get_row(InsurerContact, contact_id)


@bp.route("/contacts/<int:contact_id>", methods=["PATCH"], tags=TAGS)
@bp.arguments(ContactPatchSchema)
@bp.response(200, ContactSchema)
@coordinators_only
def update_contact(data, contact_id):
    """Change an insurer contact"""
    contact = get_row(InsurerContact, contact_id)
    insurer_directory.save_contact(db.session, contact.insurer,
                                   merged(contact, ContactPatchSchema, data), contact)
    db.session.commit()
    return contact


@bp.route("/contacts/<int:contact_id>", methods=["DELETE"], tags=TAGS)
@bp.response(204, description="Done; no content.")
@coordinators_only
def delete_contact(contact_id):
    """Delete an insurer contact

    It goes to the chapter's Trash with its relationships and tasks; a coordinator can restore
    it for 30 days. Whoever reported to the contact reports one level up meanwhile."""
    contact = get_row(InsurerContact, contact_id)
    insurer_directory.delete_contact(db.session, contact)
    db.session.commit()
    return no_content()
