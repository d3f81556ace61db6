from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from coalition.accounts import service as accounts
from coalition.accounts.admin_forms import AppointForm, ChapterForm
from coalition.models import Chapter, Membership, User
from coalition.platform.access import admin_view
from coalition.platform.confirm import ask_first
from coalition.platform.extensions import db
from coalition.platform.forms import NO_CHANGES, changes_mark, say_saved, submit
from coalition.privacy import audit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/chapters", methods=["GET", "POST"])
@admin_view
def chapters():
    form = ChapterForm()
    if form.validate_on_submit():
        coordinate, admin = form.coordinate.data, current_user._get_current_object()
        done = submit(form, lambda: accounts.create_chapter_as(db.session, admin, form.name.data,
                                                               form.slug.data, form.region.data,
                                                               coordinate=coordinate),
                      field="name", message=lambda chapter: _created(chapter, coordinate),
                      to=lambda chapter: url_for("main.dashboard", slug=chapter.slug) if coordinate
                      else url_for("admin.coordinators", chapter_id=chapter.id))
        if done:
            return done
    # Counts only: the administrator manages chapters but does not read their data.
    rows = db.session.execute(
        select(Chapter, func.count(Membership.id))
        .outerjoin(Membership, (Membership.chapter_id == Chapter.id)
                   & (Membership.status == "active"))
        .group_by(Chapter.id).order_by(Chapter.name)).all()
    mine = set(db.session.scalars(select(Membership.chapter_id).where(
        Membership.user_id == current_user.id, Membership.status == "active")))
    return render_template("admin/chapters.html", rows=rows, form=form, mine=mine)


def _created(chapter, coordinate: bool) -> str:
    if coordinate:
        return (f"Chapter {chapter.name} created. You are its first coordinator: set it up here, "
                "and appoint its own coordinators from Chapters (admin) when they have accounts.")
    return f"Chapter {chapter.name} created. Appoint its first coordinator."


@bp.route("/chapters/<int:chapter_id>/coordinators", methods=["GET", "POST"])
@admin_view
def coordinators(chapter_id):
    chapter = db.session.get(Chapter, chapter_id) or abort(404)
    form = AppointForm()
    if form.validate_on_submit():
        user = accounts.find_user(db.session, form.email.data)
        if user is None:
            form.email.errors.append("No account has this e-mail address.")
        else:
            mark = changes_mark()
            accounts.add_membership(db.session, user, chapter, role="coordinator")
            db.session.commit()
            say_saved(mark, f"{user.name} now coordinates {chapter.name}.")
            return redirect(url_for("admin.coordinators", chapter_id=chapter.id))
    current = db.session.scalars(select(Membership).where(
        Membership.chapter_id == chapter.id, Membership.role == "coordinator")).all()
    return render_template("admin/coordinators.html", target=chapter, current=current, form=form)


@bp.route("/users")
@admin_view
def users():
    rows = db.session.scalars(select(User).order_by(User.name, User.id)).all()
    return render_template("admin/users.html", users=rows)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@admin_view
def deactivate(user_id):
    user = db.session.get(User, user_id) or abort(404)
    ask = ask_first(f"Deactivate the account of {user.name}? They are logged out everywhere and "
                    "cannot log in.", f"Deactivate {user.name}", url_for("admin.users"),
                    note="Nothing is deleted: you can reactivate the account from the same list.")
    if ask:
        return ask
    return _set_active(user_id, False)


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@admin_view
def reactivate(user_id):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    from flask_login import current_user

    user = db.session.get(User, user_id) or abort(404)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account.", "error")
        return redirect(url_for("admin.users"))
    accounts.set_active(db.session, user, active)
    audit.record(db.session, "reactivated" if active else "deactivated", "User", user.id, None)
    db.session.commit()
    flash(f"{user.name} is {'active again' if active else 'deactivated and logged out everywhere'}.",
          "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/association-staff", methods=["POST"])
@admin_view
def association_staff(user_id):
    """Make the person association staff (they see the association's pages) or not."""
    user = db.session.get(User, user_id) or abort(404)
    wanted = request.form.get("staff") == "yes"
    if bool(user.is_association_staff) != wanted:
        user.is_association_staff = wanted
        audit.record(db.session, "changed", "User", user.id, None, ["is_association_staff"])
        db.session.commit()
        flash(f"{user.name} {'is now' if wanted else 'is no longer'} association staff.", "success")
    else:
        flash(NO_CHANGES, "info")
    return redirect(url_for("admin.users"))
