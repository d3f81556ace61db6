"""The association, seen from the token's chapter: insurer profiles, campaigns (the shared
facts of the chapters taking part, for a chapter that takes part), the chapter's part in
campaigns, and introductions asked of or by the chapter.

Everything answered about another chapter comes from ``coalition.association.facts``:
numbers, stages and words, never an ally. Association rows that do not concern the token's
chapter answer 404, like another chapter's rows."""
from __future__ import annotations

from flask import abort, g
from marshmallow import fields

from coalition.api.core import bp, commit, coordinators_only, no_content
from coalition.api.fields import Input, Output, Timestamp, ident, one_of, text
from coalition.association import service
from coalition.association.facts import strength_word
from coalition.models import ISSUE_STAGES
from coalition.models.association import (
    CAMPAIGN_STATUSES,
    INTRODUCTION_STATUSES,
    Campaign,
    Introduction,
)
from coalition.platform.extensions import db
from coalition.platform.ids import is_id
from coalition.privacy import audit

TAGS = ["Association"]
STRENGTHS = ["strong", "medium", "weak", "none"]


# --- schemas ------------------------------------------------------------------------

class SharedContactSchema(Output):
    id = fields.Integer()
    name = fields.String()
    title = fields.String(allow_none=True)
    role = fields.String()


class ProfileSchema(Output):
    id = fields.Integer()
    name = fields.String()
    parent_company = fields.String(allow_none=True)
    lines_of_business = fields.String(allow_none=True)
    states = fields.String(allow_none=True)
    contacts = fields.List(fields.Nested(SharedContactSchema))


class ProfileListSchema(Output):
    items = fields.List(fields.Nested(ProfileSchema))


class CampaignSummarySchema(Output):
    id = fields.Integer()
    title = fields.String()
    profile_id = fields.Integer()
    status = one_of(CAMPAIGN_STATUSES)
    chapters = fields.Integer(metadata={"description": "Chapters taking part."})
    combined_score = fields.Float(allow_none=True, metadata={
        "description": "Average leverage (0-100) of the chapters taking part."})
    taking_part = fields.Boolean(metadata={"description": "True when the token's chapter takes part."})


class CampaignListSchema(Output):
    items = fields.List(fields.Nested(CampaignSummarySchema))


class ChapterFactsSchema(Output):
    chapter_id = fields.Integer()
    chapter = fields.String()
    stage = one_of(ISSUE_STAGES)
    score = fields.Float(allow_none=True)
    largest_gap = fields.String(allow_none=True)
    missing_kinds = fields.List(fields.String())
    decision_makers = fields.Integer()
    reachable = fields.Integer()
    best_strength = fields.Float()
    reach = one_of(STRENGTHS)


class ReachSchema(Output):
    chapter_id = fields.Integer()
    chapter = fields.String()
    strength = fields.Float()
    word = one_of(STRENGTHS)


class ContactReachSchema(Output):
    contact = fields.Nested(SharedContactSchema)
    chapters = fields.List(fields.Nested(ReachSchema))


class CampaignSchema(Output):
    id = fields.Integer()
    title = fields.String()
    profile_id = fields.Integer()
    status = one_of(CAMPAIGN_STATUSES)
    policy = fields.String(allow_none=True)
    talking_points = fields.String(allow_none=True)
    combined_score = fields.Float(allow_none=True)
    chapters = fields.List(fields.Nested(ChapterFactsSchema))
    evidence = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()),
                           metadata={"description": "Incidents by kind, then by month (YYYY-MM)."})
    contacts = fields.List(fields.Nested(ContactReachSchema))


class JoinSchema(Input):
    campaign_id = ident(required=True)
    issue_id = ident(required=True, description="One of the chapter's open issues with the campaign's insurer.")


class ParticipationSchema(Output):
    campaign_id = fields.Integer()
    issue_id = fields.Integer()
    joined_at = Timestamp()


class IntroductionInputSchema(Input):
    campaign_id = ident(required=True)
    to_chapter_id = ident(required=True)
    shared_contact_id = ident(required=True)
    message = text(2000)


class IntroductionSchema(Output):
    id = fields.Integer()
    campaign_id = fields.Integer()
    shared_contact_id = fields.Integer()
    from_chapter_id = fields.Integer()
    to_chapter_id = fields.Integer()
    message = fields.String(allow_none=True)
    status = one_of(INTRODUCTION_STATUSES)
    reply = fields.String(allow_none=True)
    requested_at = Timestamp()
    decided_at = Timestamp(allow_none=True)
    task_id = fields.Integer(allow_none=True, metadata={
        "description": "The task the accepting chapter planned; only that chapter sees it."})


class IntroductionListSchema(Output):
    items = fields.List(fields.Nested(IntroductionSchema))


class ReplySchema(Input):
    reply = text(2000)


# --- helpers ------------------------------------------------------------------------

def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id) if is_id(campaign_id) else None
    if campaign is None:
        abort(404)
    return campaign


def _taking_part(campaign: Campaign) -> Campaign:
    if g.chapter.id not in service.participating_chapter_ids(db.session, campaign.id):
        abort(404)  # the figures are for the chapters taking part
    return campaign


def _intro_out(intro: Introduction) -> dict:
    """The request as the token's chapter may see it: the task only for the chapter that
    planned it."""
    out = {name: getattr(intro, name) for name in IntroductionSchema._declared_fields}
    if intro.to_chapter_id != g.chapter.id:
        out["task_id"] = None
    return out


def _keep_facts() -> None:
    if service.shared.kept(db.session):
        db.session.commit()


# --- operations ---------------------------------------------------------------------

@bp.route("/association/profiles", methods=["GET"], tags=TAGS)
@bp.response(200, ProfileListSchema)
def list_profiles():
    """Insurer profiles, with the contacts chapters shared"""
    return {"items": service.profiles(db.session)}


@bp.route("/association/campaigns", methods=["GET"], tags=TAGS)
@bp.response(200, CampaignListSchema)
def list_campaigns():
    """Campaigns, with how many chapters take part"""
    rows, _ = service.dashboard(db.session)
    _keep_facts()
    return {"items": [
        {"id": r.campaign.id, "title": r.campaign.title, "profile_id": r.campaign.profile_id,
         "status": r.campaign.status, "chapters": len(r.chapter_ids), "combined_score": r.combined,
         "taking_part": g.chapter.id in r.chapter_ids}
        for r in rows]}


@bp.route("/association/campaigns/<int:campaign_id>", methods=["GET"], tags=TAGS)
@bp.response(200, CampaignSchema)
def get_campaign(campaign_id):
    """A campaign's shared facts (for a chapter taking part)"""
    campaign = _taking_part(_campaign(campaign_id))
    view = service.campaign_view(db.session, campaign)
    _keep_facts()
    return {
        "id": campaign.id, "title": campaign.title, "profile_id": campaign.profile_id,
        "status": campaign.status, "policy": campaign.policy, "talking_points": campaign.talking_points,
        "combined_score": view.combined_score, "evidence": view.evidence,
        "chapters": [{"chapter_id": r.chapter_id, "chapter": r.name, "stage": r.best.stage,
                      "score": r.best.score, "largest_gap": r.best.gap_label,
                      "missing_kinds": list(r.best.missing_kinds),
                      "decision_makers": r.best.decision_makers, "reachable": r.best.reachable,
                      "best_strength": r.best.best_strength, "reach": r.best.reach_word}
                     for r in view.chapters],
        "contacts": [{"contact": reach.contact,
                      "chapters": [{"chapter_id": c, "chapter": name, "strength": s, "word": strength_word(s)}
                                   for c, name, s in reach.chapters]}
                     for reach in view.contacts],
    }


@bp.route("/association/participations", methods=["POST"], tags=TAGS)
@bp.arguments(JoinSchema)
@bp.response(201, ParticipationSchema)
@coordinators_only
def join_campaign(data):
    """Join a campaign with one of the chapter's issues"""
    campaign = _campaign(data["campaign_id"])
    entry = service.join(db.session, g.chapter, campaign, data["issue_id"], g._login_user)
    audit.record(db.session, "joined", "Campaign", campaign.id, g.chapter.id)
    commit()
    return entry


@bp.route("/association/participations/<int:campaign_id>", methods=["DELETE"], tags=TAGS)
@bp.response(204, description="Done; no content.")
@coordinators_only
def leave_campaign(campaign_id):
    """Leave a campaign (the chapter's issues leave it; join again at any time)"""
    campaign = _taking_part(_campaign(campaign_id))
    service.leave(db.session, g.chapter, campaign, g._login_user)
    audit.record(db.session, "left", "Campaign", campaign.id, g.chapter.id)
    commit()
    return no_content()


@bp.route("/association/introductions", methods=["GET"], tags=TAGS)
@bp.response(200, IntroductionListSchema)
def list_introductions():
    """Introductions asked of or by the chapter"""
    asked_of, asked_by = service.introductions_for(db.session, g.chapter.id)
    return {"items": [_intro_out(i) for i in asked_of + asked_by]}


@bp.route("/association/introductions", methods=["POST"], tags=TAGS)
@bp.arguments(IntroductionInputSchema)
@bp.response(201, IntroductionSchema)
@coordinators_only
def ask_introduction(data):
    """Ask another chapter in a campaign for an introduction"""
    campaign = _campaign(data["campaign_id"])
    intro = service.request_introduction(db.session, campaign, g.chapter, data["to_chapter_id"],
                                         data["shared_contact_id"], data.get("message") or "",
                                         g._login_user)
    commit()
    return _intro_out(intro)


def _answer(intro_id: int, answer: str, data: dict):
    intro = db.session.get(Introduction, intro_id) if is_id(intro_id) else None
    if intro is None or g.chapter.id not in (intro.to_chapter_id, intro.from_chapter_id):
        abort(404)
    service.answer_introduction(db.session, g.chapter, intro, answer, g.membership, data.get("reply") or "")
    commit()
    return _intro_out(intro)


@bp.route("/association/introductions/<int:intro_id>/accept", methods=["POST"], tags=TAGS)
@bp.arguments(ReplySchema)
@bp.response(200, IntroductionSchema)
@coordinators_only
def accept_introduction(data, intro_id):
    """Accept a request: plans a task in the chapter, on its own path"""
    return _answer(intro_id, "accept", data)


@bp.route("/association/introductions/<int:intro_id>/decline", methods=["POST"], tags=TAGS)
@bp.arguments(ReplySchema)
@bp.response(200, IntroductionSchema)
@coordinators_only
def decline_introduction(data, intro_id):
    """Decline a request asked of the chapter"""
    return _answer(intro_id, "decline", data)


@bp.route("/association/introductions/<int:intro_id>/withdraw", methods=["POST"], tags=TAGS)
@bp.arguments(ReplySchema)
@bp.response(200, IntroductionSchema)
@coordinators_only
def withdraw_introduction(data, intro_id):
    """Withdraw a request the chapter asked"""
    return _answer(intro_id, "withdraw", data)
