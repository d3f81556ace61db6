"""Reads one chapter's rows for the network analysis: one query per kind of row, each
filtered by the chapter, returning plain tuples (no ORM objects, no query per node).

This is the only module of ``coalition.leverage.network`` that touches the database."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.leverage.network.graph import collector_paused
from coalition.leverage.network.rows import (
    AllyRow,
    ChapterRows,
    ContactRow,
    InsurerRow,
    IssueRow,
    MemberRow,
    RelationshipRow,
    StanceRow,
)
from coalition.models import (
    Ally,
    Insurer,
    InsurerContact,
    Issue,
    Membership,
    Relationship,
    Stance,
    User,
    split_list,
)


def _endpoint(member_id, ally_id, contact_id) -> tuple[str, int]:
    if member_id is not None:
        return "member", member_id
    if ally_id is not None:
        return "ally", ally_id
    return "contact", contact_id


def load_rows(session: Session, chapter_id: int) -> ChapterRows:
    with collector_paused():  # hundreds of thousands of rows that all stay (graph.collector_paused)
        return _load_rows(session, chapter_id)


def _load_rows(session: Session, chapter_id: int) -> ChapterRows:
    run = session.execute
    members = tuple(
        MemberRow(mid, name) for mid, name in run(
            select(Membership.id, User.name).join(User, User.id == Membership.user_id)
            .where(Membership.chapter_id == chapter_id, Membership.status == "active")
            .order_by(Membership.id)))
    allies = tuple(
        AllyRow(*row) for row in run(
            select(Ally.id, Ally.name, Ally.kind, Ally.influence, Ally.region,
                   Ally.organisation, Ally.consent)
            .where(Ally.chapter_id == chapter_id, Ally.status == "active").order_by(Ally.id)))
    contacts = tuple(
        ContactRow(*row) for row in run(
            select(InsurerContact.id, InsurerContact.insurer_id, InsurerContact.name,
                   InsurerContact.title, InsurerContact.role, InsurerContact.reports_to_id)
            .where(InsurerContact.chapter_id == chapter_id).order_by(InsurerContact.id)))
    insurers = tuple(
        InsurerRow(iid, name, tuple(split_list(regions))) for iid, name, regions in run(
            select(Insurer.id, Insurer.name, Insurer.regions)
            .where(Insurer.chapter_id == chapter_id).order_by(Insurer.id)))
    issues = tuple(
        IssueRow(iid, insurer_id, title, tuple(split_list(gaps)), tuple(split_list(services)))
        for iid, insurer_id, title, gaps, services in run(
            select(Issue.id, Issue.insurer_id, Issue.title, Issue.coverage_gap_regions,
                   Issue.unique_services)
            .where(Issue.chapter_id == chapter_id).order_by(Issue.id)))
    stances = tuple(
        StanceRow(*row) for row in run(
            select(Stance.ally_id, Stance.issue_id, Stance.stance)
            .where(Stance.chapter_id == chapter_id).order_by(Stance.id)))
    R = Relationship
    relationships = tuple(
        RelationshipRow(rid, *_endpoint(am, aa, ac), *_endpoint(bm, ba, bc), kind, strength,
                        since, last, owner)
        for rid, am, aa, ac, bm, ba, bc, kind, strength, since, last, owner in run(
            select(R.id, R.a_member_id, R.a_ally_id, R.a_contact_id, R.b_member_id,
                   R.b_ally_id, R.b_contact_id, R.kind, R.strength, R.since, R.last_contact,
                   R.owner_member_id)
            .where(R.chapter_id == chapter_id).order_by(R.id)))
    return ChapterRows(chapter_id, members, allies, contacts, insurers, issues, stances,
                       relationships)


def load_contact_details(session: Session, chapter_id: int) -> dict[str, dict[str, str]]:
    """E-mail and phone by node id, for exports whose coordinator asked for them."""
    details: dict[str, dict[str, str]] = {}
    for kind, model in (("ally", Ally), ("contact", InsurerContact)):
        for ident, email, phone in session.execute(
                select(model.id, model.email, model.phone).where(model.chapter_id == chapter_id)):
            if email or phone:
                details[f"{kind}:{ident}"] = {"email": email or "", "phone": phone or ""}
    for ident, email in session.execute(
            select(Membership.id, User.email).join(User, User.id == Membership.user_id)
            .where(Membership.chapter_id == chapter_id, Membership.status == "active")):
        details[f"member:{ident}"] = {"email": email, "phone": ""}
    return details
