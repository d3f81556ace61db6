"""Invitations: the "Invite people" form and the pending list on the Members page
(coordinators), and the page the e-mailed link opens (anyone holding the link)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_user

from coalition.accounts import invitations
from coalition.accounts import service as accounts
from coalition.accounts.invitation_forms import CreateAccountForm, InviteForm, JoinForm
from coalition.accounts.member_views import render_page
from coalition.models.invitations import Invitation
from coalition.platform.access import chapter_view, get_owned
from coalition.platform.confirm import ask_first
from coalition.platform.extensions import db
from coalition.platform.forms import reject

bp = Blueprint("invitations", __name__)

# The link page holds a secret in its address: keep it out of caches.
NO_STORE = {"Cache-Control": "no-store"}


@bp.route("/c/<slug>/members/invitations/", methods=["POST"])
@chapter_view("coordinator")
def create(chapter):
    form = InviteForm()
    if not form.validate_on_submit():
        return render_page(chapter, form, status=400)
    try:
        result = invitations.invite(db.session, chapter, current_user, form.addresses.data,
                                    form.role.data)
    except invitations.InvitationError as exc:
        reject(form, exc, "addresses")
        return render_page(chapter, form, status=400)
    db.session.commit()
    invitations.send(result.letters)
    flash(result.sentence(), "success" if result.letters else "info")
    return redirect(url_for("members.index"))


@bp.route("/c/<slug>/members/invitations/<int:invitation_id>/resend", methods=["POST"])
@chapter_view("coordinator")
def resend(chapter, invitation_id):
    invitation = get_owned(Invitation, invitation_id, chapter)
    try:
        letter = invitations.resend(db.session, invitation, current_user)
    except invitations.InvitationError as exc:
        db.session.rollback()
        flash(str(exc), "info")
    else:
        db.session.commit()
        invitations.send([letter])
        flash(f"Sent a new link to {invitation.email}; the earlier link no longer works.",
              "success")
    return redirect(url_for("members.index"))


@bp.route("/c/<slug>/members/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@chapter_view("coordinator")
def withdraw(chapter, invitation_id):
    invitation = get_owned(Invitation, invitation_id, chapter)
    if invitation.is_open:
        ask = ask_first(invitations.withdraw_question(invitation), "Withdraw invitation",
                        url_for("members.index"),
                        note="You can invite the same address again later; they then get a "
                             "new link.")
        if ask:
            return ask
    if invitations.withdraw(db.session, invitation):
        db.session.commit()
        flash(f"Withdrew the invitation to {invitation.email}: its link no longer works. "
              "To invite them after all, invite the address again.", "success")
    else:
        flash(f"The invitation to {invitation.email} was no longer waiting: nothing changed.",
              "info")
    return redirect(url_for("members.index"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept(token):
    opened = invitations.open_link(db.session, token)
    if opened is None:
        abort(404)  # never made here: the same answer as any unknown address
    invitation = opened.invitation
    chapter = invitation.chapter
    dashboard = url_for("main.dashboard", slug=chapter.slug)
    if opened.state != "open":
        if opened.state == "accepted" and current_user.is_authenticated \
                and current_user.id == invitation.accepted_by_id:
            return redirect(dashboard)  # their own link, opened again
        return _page("closed", opened, status=410)

    if current_user.is_authenticated:
        if accounts.normalise_email(current_user.email) != invitation.email:
            return _page("other_account", opened, status=403)
        form = JoinForm()
        if form.validate_on_submit():
            try:
                invitations.accept(db.session, opened, current_user)
            except invitations.InvitationError as exc:  # used a moment ago, in another tab
                db.session.rollback()
                form.form_errors.append(str(exc))
            else:
                db.session.commit()
                flash(f"Welcome to {chapter.name}!", "success")
                return redirect(dashboard)
        return _page("join", opened, form=form)

    user = accounts.find_user(db.session, invitation.email)
    if user is not None:
        return _page("log_in", opened, account=user)

    form = CreateAccountForm(data={"name": invitation.name} if invitation.name else None)
    if form.validate_on_submit():
        try:
            user = invitations.create_account(db.session, opened, form.name.data,
                                              form.password.data)
        except accounts.AccountError as exc:
            if exc.field == "email":  # an account was made for the address meanwhile
                db.session.rollback()
                return _page("log_in", opened, account=accounts.find_user(
                    db.session, invitation.email))
            reject(form, exc, "password")
        except invitations.InvitationError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            login_user(user)
            flash(f"Welcome to {chapter.name}! Your account is ready.", "success")
            return redirect(dashboard)
    return _page("create_account", opened, form=form, status=400 if form.errors else 200)


def _page(step: str, opened, *, status: int = 200, **context):
    invitation = opened.invitation
    return render_template("invitations/accept.html", step=step, state=opened.state,
                           invitation=invitation, invited_chapter=invitation.chapter,
                           inviter=invitation.invited_by, **context), status, NO_STORE
