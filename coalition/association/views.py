"""The association's pages (/association/…) and each chapter's side of them
(/c/<slug>/association/…). Views parse, call ``service``, commit and answer."""
from __future__ import annotations

from functools import wraps
from types import SimpleNamespace

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from coalition.association import network, service
from coalition.association.forms import (
    NO_PROFILE,
    CampaignForm,
    IntroductionForm,
    JoinForm,
    LinkForm,
    NoteForm,
    ProfileForm,
    ReplyForm,
)
from coalition.leverage import map_exports
from coalition.models import Insurer, InsurerContact
from coalition.models.association import Campaign, InsurerProfile, Introduction
from coalition.models.outreach import EVIDENCE_KINDS
from coalition.platform.access import chapter_view, get_owned
from coalition.platform.confirm import ask_first
from coalition.platform.extensions import db, login_manager
from coalition.platform.forms import submit
from coalition.platform.ids import is_id
from coalition.platform.rules import RuleBroken, VersionConflict
from coalition.privacy import audit

bp = Blueprint("association", __name__, url_prefix="/association")
chapter_bp = Blueprint("chapter_association", __name__, url_prefix="/c/<slug>/association")


@bp.app_template_filter("strength_word")
def strength_word(strength) -> str:
    return service.shared.strength_word(strength)


@bp.app_template_filter("month")
def month(value: str) -> str:
    """"2026-10" -> "Oct 2026"."""
    from datetime import date

    return date.fromisoformat(value + "-01").strftime("%b %Y")


def association_view(role: str = "member"):
    """``staff``: association staff and administrators; ``member``: also anyone with an active
    membership (they see what their chapters share)."""
    def decorate(view):
        @wraps(view)
        def wrapped(**kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not service.is_staff(current_user):
                if role == "staff" or not service.member_chapter_ids(db.session, current_user):
                    abort(403)
            return view(**kwargs)

        wrapped.access_role = f"association-{role}"
        return wrapped

    return decorate


def _keep_derived_facts() -> None:
    """Store the shared facts derived on the way, for the next visitor. Only when there are:
    a commit expires every loaded row, and the page would read each of them again."""
    if service.shared.kept(db.session):
        db.session.commit()


def _get(model, ident):
    row = db.session.get(model, ident) if is_id(ident) else None
    if row is None:
        abort(404)
    return row


# --- association pages ----------------------------------------------------------------

@bp.route("/")
@association_view()
def dashboard():
    staff = service.is_staff(current_user)
    campaigns, standings = service.dashboard(db.session)
    mine = service.member_chapter_ids(db.session, current_user)
    rows = [(r.campaign, len(r.chapter_ids), r.combined, bool(r.chapter_ids & mine)) for r in campaigns]
    _keep_derived_facts()
    # Members see the campaigns; which chapters lack a path is for the association's staff.
    return render_template("association/dashboard.html", campaigns=rows,
                           standings=standings if staff else None, staff=staff,
                           my_chapters=service.member_chapters(db.session, current_user))


@bp.route("/profiles/")
@association_view()
def profiles():
    return render_template("association/profiles.html", profiles=service.profiles(db.session))


@bp.route("/profiles/new", methods=["GET", "POST"])
@association_view("staff")
def new_profile():
    form = ProfileForm()
    if form.validate_on_submit():
        done = submit(form, lambda: service.save_profile(db.session, form.data, by=current_user),
                      field="name", message=lambda p: f"Profile of {p.name} added.",
                      to=lambda p: url_for("association.profile", profile_id=p.id))
        if done:
            return done
    return render_template("association/profile_form.html", form=form, profile=None)


@bp.route("/profiles/<int:profile_id>")
@association_view()
def profile(profile_id):
    profile = _get(InsurerProfile, profile_id)
    return render_template("association/profile.html", profile=profile,
                           campaigns=[c for c in service.campaigns(db.session) if c.profile_id == profile.id])


@bp.route("/profiles/<int:profile_id>/edit", methods=["GET", "POST"])
@association_view("staff")
def edit_profile(profile_id):
    profile = _get(InsurerProfile, profile_id)
    form = ProfileForm(obj=profile)
    conflict = None
    if form.validate_on_submit():
        try:
            done = submit(form, lambda: service.save_profile(db.session, form.data, profile),
                          field="name", message=lambda p: f"Profile of {p.name} saved.",
                          to=url_for("association.profile", profile_id=profile.id))
        except VersionConflict:
            profile = _get(InsurerProfile, profile_id)  # the saved values, fresh
            conflict = service.differences(profile, form.data)
            form.version.data = profile.version
        else:
            if done:
                return done
    return render_template("association/profile_form.html", form=form, profile=profile, conflict=conflict)


def _campaign_form(form: CampaignForm) -> CampaignForm:
    form.profile_id.choices = [(p.id, p.name) for p in service.profiles(db.session)]
    return form


@bp.route("/campaigns/new", methods=["GET", "POST"])
@association_view("staff")
def new_campaign():
    form = _campaign_form(CampaignForm(profile_id=request.args.get("profile", type=int)))
    if form.validate_on_submit():
        done = submit(form, lambda: service.save_campaign(db.session, form.data, by=current_user),
                      field="profile_id", message=lambda c: f"Campaign “{c.title}” started.",
                      to=lambda c: url_for("association.campaign", campaign_id=c.id))
        if done:
            return done
    return render_template("association/campaign_form.html", form=form, campaign=None)


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@association_view("staff")
def edit_campaign(campaign_id):
    campaign = _get(Campaign, campaign_id)
    form = _campaign_form(CampaignForm(obj=campaign))
    conflict = None
    if form.validate_on_submit():
        try:
            done = submit(form, lambda: service.save_campaign(db.session, form.data, campaign),
                          field="profile_id", message=lambda c: f"Campaign “{c.title}” saved.",
                          to=url_for("association.campaign", campaign_id=campaign.id))
        except VersionConflict:
            campaign = _get(Campaign, campaign_id)
            conflict = service.differences(campaign, form.data)
            form.version.data = campaign.version
        else:
            if done:
                return done
    return render_template("association/campaign_form.html", form=form, campaign=campaign, conflict=conflict)


@bp.route("/campaigns/<int:campaign_id>")
@association_view()
def campaign(campaign_id):
    campaign = _get(Campaign, campaign_id)
    staff = service.is_staff(current_user)
    mine = service.member_chapter_ids(db.session, current_user)
    taking_part = service.participating_chapter_ids(db.session, campaign.id)
    coordinated = service.coordinated_chapters(db.session, current_user)
    joinable = {c.id: service.joinable_issues(db.session, c, campaign) for c in coordinated}
    if not staff and not (mine & taking_part):
        # Not in it (yet): what the campaign is and how to join, nothing any chapter shares.
        return render_template("association/campaign_about.html", campaign=campaign,
                               chapters=len(taking_part), coordinated=coordinated,
                               joinable=joinable, join_form=JoinForm())
    view = service.campaign_view(db.session, campaign)
    _keep_derived_facts()
    my_in = [c for c in coordinated if c.id in taking_part]
    return render_template("association/campaign.html", view=view, EVIDENCE_KINDS=EVIDENCE_KINDS,
                           campaign=campaign, staff=staff,
                           coordinated=coordinated, my_in=my_in, joinable=joinable,
                           join_form=JoinForm(), note_form=NoteForm(), intro_form=IntroductionForm(),
                           can_note=staff or bool(my_in))


@bp.route("/campaigns/<int:campaign_id>/notes", methods=["POST"])
@association_view()
def add_note(campaign_id):
    campaign = _get(Campaign, campaign_id)
    form = NoteForm()
    chapter = None
    if not service.is_staff(current_user):
        taking_part = service.participating_chapter_ids(db.session, campaign.id)
        chapter = next((c for c in service.coordinated_chapters(db.session, current_user)
                        if c.id in taking_part), None)
        if chapter is None:
            abort(403)
    if form.validate_on_submit():
        try:
            service.add_note(db.session, campaign, chapter, form.body.data, current_user)
        except RuleBroken as exc:
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash("Note shared with the campaign.", "success")
    else:
        flash("Write the note first.", "error")
    return redirect(url_for("association.campaign", campaign_id=campaign.id) + "#notes-h")


@bp.route("/map")
@association_view()
def association_map():
    map_data = network.association_map(db.session)
    _keep_derived_facts()
    return render_template("association/map.html", map_data=map_data, rows=network.reach_rows(map_data),
                           formats=map_exports.formats())


@bp.route("/map/export")
@association_view()
def export_map():
    fmt = request.args.get("format") or "graphml"
    if fmt not in map_exports.formats():
        abort(404)
    map_data = network.association_map(db.session)
    _keep_derived_facts()
    try:
        return map_exports.download(map_data, fmt, "association", SimpleNamespace(issue_id=None))
    except map_exports.ExportUnavailable as exc:
        return render_template("errors/error.html", code=503, title="This format is not available",
                               text=str(exc)), 503


# --- a chapter's side -----------------------------------------------------------------

@chapter_bp.route("/")
@chapter_view()
def overview(chapter):
    links = service.profile_links(db.session, chapter)
    insurers = list(db.session.scalars(
        db.select(Insurer).where(Insurer.chapter_id == chapter.id).order_by(Insurer.name)))
    contacts = service.shareable_contacts(db.session, chapter, [i.id for i in insurers if i.id in links])
    asked_of, asked_by = service.introductions_for(db.session, chapter.id)
    profiles = service.profiles(db.session)
    taking_part = service.campaigns_of(db.session, chapter.id)
    names = service.shared.chapter_names(
        db.session, {i.from_chapter_id for i in asked_of} | {i.to_chapter_id for i in asked_by})
    link_forms = {}
    for insurer in insurers:
        form = LinkForm(prefix=f"link-{insurer.id}", profile_id=links.get(insurer.id, NO_PROFILE))
        form.profile_id.choices = [(NO_PROFILE, "Not linked")] + [(p.id, p.name) for p in profiles]
        link_forms[insurer.id] = form
    return render_template("association/chapter.html", insurers=insurers, links=links,
                           profiles={p.id: p for p in profiles}, link_forms=link_forms,
                           contacts=contacts, shared=service.shared_contact_ids(db.session, chapter),
                           asked_of=asked_of, asked_by=asked_by, names=names, taking_part=taking_part,
                           reply_form=ReplyForm())


@chapter_bp.route("/insurers/<int:insurer_id>/link", methods=["POST"])
@chapter_view("coordinator")
def link(chapter, insurer_id):
    insurer = get_owned(Insurer, insurer_id, chapter)
    form = LinkForm(prefix=f"link-{insurer.id}")
    if form.validate_on_submit():
        try:
            service.link_insurer(db.session, chapter, insurer, form.profile_id.data or None, current_user)
        except RuleBroken as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            audit.record(db.session, "linked" if form.profile_id.data else "unlinked", "Insurer",
                         insurer.id, chapter.id)
            db.session.commit()
            flash(f"{insurer.name}: link to the association saved.", "success")
    return redirect(url_for("chapter_association.overview") + "#insurers-h")


@chapter_bp.route("/contacts/<int:contact_id>/share", methods=["POST"])
@chapter_view("coordinator")
def share(chapter, contact_id):
    contact = get_owned(InsurerContact, contact_id, chapter)
    try:
        service.share_contact(db.session, chapter, contact, current_user)
    except RuleBroken as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        audit.record(db.session, "shared", "InsurerContact", contact.id, chapter.id)
        db.session.commit()
        flash(f"{contact.name} is now on the association's profile of the insurer. Your allies "
              "and paths stay in the chapter.", "success")
    return redirect(url_for("chapter_association.overview") + "#contacts-h")


@chapter_bp.route("/contacts/<int:contact_id>/unshare", methods=["POST"])
@chapter_view("coordinator")
def unshare(chapter, contact_id):
    contact = get_owned(InsurerContact, contact_id, chapter)
    service.unshare_contact(db.session, chapter, contact)
    audit.record(db.session, "unshared", "InsurerContact", contact.id, chapter.id)
    db.session.commit()
    flash(f"{contact.name} is no longer shared by your chapter. Share again at any time.", "success")
    return redirect(url_for("chapter_association.overview") + "#contacts-h")


def _campaign_in_form():
    """The campaign named by the form's ``campaign_id`` (association rows are not a chapter's:
    the chapter is in the address, the campaign in the form)."""
    ident = request.form.get("campaign_id", type=int)
    return db.session.get(Campaign, ident) if ident and is_id(ident) else None


def _no_campaign():
    flash("That campaign does not exist (any more).", "error")
    return redirect(url_for("chapter_association.overview"))


@chapter_bp.route("/join", methods=["POST"])
@chapter_view("coordinator")
def join(chapter):
    campaign = _campaign_in_form()
    if campaign is None:
        return _no_campaign()
    form = JoinForm()
    if form.validate_on_submit():
        try:
            service.join(db.session, chapter, campaign, form.issue_id.data, current_user)
        except RuleBroken as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            audit.record(db.session, "joined", "Campaign", campaign.id, chapter.id)
            db.session.commit()
            flash(f"{chapter.name} takes part in “{campaign.title}”. The other chapters see your "
                  "stage, score and largest gap, never your allies.", "success")
    else:
        flash("Choose the issue that joins the campaign.", "error")
    return redirect(url_for("association.campaign", campaign_id=campaign.id))


@chapter_bp.route("/leave", methods=["POST"])
@chapter_view("coordinator")
def leave(chapter):
    campaign = _campaign_in_form()
    if campaign is None:
        return _no_campaign()
    ask = ask_first(f"Take {chapter.name} out of “{campaign.title}”?", "Leave the campaign",
                    url_for("association.campaign", campaign_id=campaign.id),
                    note="The other chapters stop seeing your figures; you can join again at any time.")
    if ask:
        return ask
    if service.leave(db.session, chapter, campaign, current_user):
        audit.record(db.session, "left", "Campaign", campaign.id, chapter.id)
        db.session.commit()
        flash(f"{chapter.name} left “{campaign.title}”. Join again at any time from the campaign's page.",
              "success")
    return redirect(url_for("association.campaign", campaign_id=campaign.id))


@chapter_bp.route("/introductions/ask", methods=["POST"])
@chapter_view("coordinator")
def ask(chapter):
    campaign = _campaign_in_form()
    if campaign is None:
        return _no_campaign()
    form = IntroductionForm()
    if form.validate_on_submit():
        try:
            intro = service.request_introduction(
                db.session, campaign, chapter, form.to_chapter_id.data,
                int(form.shared_contact_id.data) if (form.shared_contact_id.data or "").isdigit() else 0,
                form.message.data, current_user)
        except RuleBroken as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            to = service.shared.chapter_names(db.session, [intro.to_chapter_id])[intro.to_chapter_id]
            flash(f"Introduction to {intro.shared_contact.name} asked of {to}. You will see their "
                  "answer on your chapter's association page.", "success")
    else:
        flash("Choose the chapter to ask.", "error")
    return redirect(url_for("association.campaign", campaign_id=campaign.id) + "#contacts-h")


def _intro(chapter, intro_id) -> Introduction:
    intro = _get(Introduction, intro_id)
    if chapter.id not in (intro.to_chapter_id, intro.from_chapter_id):
        abort(404)
    return intro


def _answer(chapter, intro_id, answer):
    intro = _intro(chapter, intro_id)
    form = ReplyForm()
    form.validate_on_submit()  # the reply is optional; only the CSRF check matters
    if form.errors:
        abort(400)
    try:
        task = service.answer_introduction(db.session, chapter, intro, answer, g.membership, form.reply.data)
    except RuleBroken as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("chapter_association.overview") + "#introductions-h")
    db.session.commit()
    if answer == "accept":
        flash("Accepted. A task is planned in your chapter on your own path; only your chapter "
              "sees it.", "success")
        return redirect(url_for("outreach.show_task", task_id=task.id))
    flash("Declined: the asking chapter sees your answer." if answer == "decline"
          else "Request withdrawn.", "success")
    return redirect(url_for("chapter_association.overview") + "#introductions-h")


@chapter_bp.route("/introductions/<int:intro_id>/accept", methods=["POST"])
@chapter_view("coordinator")
def accept(chapter, intro_id):
    return _answer(chapter, intro_id, "accept")


@chapter_bp.route("/introductions/<int:intro_id>/decline", methods=["POST"])
@chapter_view("coordinator")
def decline(chapter, intro_id):
    return _answer(chapter, intro_id, "decline")


@chapter_bp.route("/introductions/<int:intro_id>/withdraw", methods=["POST"])
@chapter_view("coordinator")
def withdraw(chapter, intro_id):
    intro = _intro(chapter, intro_id)
    if intro.status == "pending":
        to = service.shared.chapter_names(db.session, [intro.to_chapter_id])[intro.to_chapter_id]
        ask = ask_first(f"Withdraw your request to {to} for an introduction to "
                        f"{intro.shared_contact.name}?", "Withdraw the request",
                        url_for("chapter_association.overview"),
                        note="You can ask again later from the campaign's page.")
        if ask:
            return ask
    return _answer(chapter, intro_id, "withdraw")
