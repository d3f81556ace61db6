from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from coalition.accounts import membership as service
from coalition.models import Membership, utcnow
from coalition.platform.access import chapter_view, get_owned
from coalition.platform.confirm import ask_first
from coalition.platform.extensions import db
from coalition.platform.forms import changes_mark, say_saved

bp = Blueprint("members", __name__, url_prefix="/c/<slug>/members")


def render_page(chapter, invite_form=None, status: int = 200):
    """The members page; the invitation views show it again with their form's errors."""
    from coalition.accounts import invitations
    from coalition.accounts.invitation_forms import InviteForm

    rows = db.session.scalars(
        select(Membership).where(Membership.chapter_id == chapter.id)
        .order_by(Membership.status.desc(), Membership.role, Membership.id)).all()
    waiting = invitations.pending(db.session, chapter)
    return render_template(
        "members/index.html", memberships=rows,
        questions=service.removal_questions(db.session, rows),
        invite_form=invite_form or InviteForm(formdata=None), invitations=waiting,
        withdraw_questions={i.id: invitations.withdraw_question(i) for i in waiting},
        now=utcnow()), status


@bp.route("/")
@chapter_view("coordinator")
def index(chapter):
    return render_page(chapter)


def _act(chapter, membership_id: int, action):
    membership = get_owned(Membership, membership_id, chapter)
    mark = changes_mark()
    try:
        message = action(membership)
    except service.MembershipError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        say_saved(mark, message)  # the same button pressed twice changes nothing
    return redirect(url_for("members.index"))


@bp.route("/<int:membership_id>/approve", methods=["POST"])
@chapter_view("coordinator")
def approve(chapter, membership_id):
    def action(m):
        service.approve(m)
        return f"{m.user.name} is now a member."
    return _act(chapter, membership_id, action)


@bp.route("/<int:membership_id>/role", methods=["POST"])
@chapter_view("coordinator")
def set_role(chapter, membership_id):
    role = request.form.get("role", "coordinator")

    def action(m):
        service.set_role(db.session, m, role)
        return f"{m.user.name} is now {role}."
    return _act(chapter, membership_id, action)


@bp.route("/<int:membership_id>/remove", methods=["POST"])
@chapter_view("coordinator")
def remove(chapter, membership_id):
    membership = get_owned(Membership, membership_id, chapter)
    ask = ask_first(service.removal_question(db.session, membership),
                    f"Remove {membership.user.name}", url_for("members.index"),
                    note="This cannot be undone here, but you can add them to the chapter again "
                         "later (they register and you approve them).")
    if ask:
        return ask

    def action(m):
        name = m.user.name
        service.remove(db.session, m)
        return f"{name} was removed from the chapter."
    return _act(chapter, membership_id, action)
