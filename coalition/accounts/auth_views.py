from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from coalition.accounts import password_reset
from coalition.accounts import service as accounts
from coalition.accounts.auth_forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    SetupForm,
)
from coalition.models import Chapter, utcnow
from coalition.platform import ratelimit
from coalition.platform.extensions import db
from coalition.platform.forms import reject

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only same-site paths: no scheme, no host, no backslash or control-character tricks."""
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(ord(ch) < 0x21 or 0x7f <= ord(ch) <= 0x9f or ch.isspace() for ch in target):
        return None
    if target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    if not accounts.is_first_run(db.session):
        return redirect(url_for("main.index"))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(db.session, form.email.data, form.name.data,
                                        form.password.data, is_admin=True)
            chapter = accounts.create_chapter(db.session, form.chapter_name.data,
                                              form.chapter_slug.data, form.chapter_region.data)
            accounts.add_membership(db.session, user, chapter, role="coordinator")
            if form.demo.data:
                from coalition.demo.seed import seed_demo

                seed_demo(db.session, chapter, coordinator=user)
        except accounts.AccountError as exc:
            db.session.rollback()
            field = {"slug": form.chapter_slug, "email": form.email,
                     "password": form.password}.get(exc.field or "")
            (field.errors if field is not None else form.form_errors).append(str(exc))
        else:
            db.session.commit()
            login_user(user)
            flash("Coalition is set up. Welcome!", "success")
            return redirect(url_for("main.dashboard", slug=chapter.slug))
    return render_template("auth/setup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        if ratelimit.account_locked(form.email.data):
            # Same answer whether or not the account exists; the address limit still counts.
            abort(429)
        user = accounts.find_user(db.session, form.email.data)
        if user is not None and user.active and user.check_password(form.password.data):
            user.last_login_at = utcnow()
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
        ratelimit.record_login_failure(form.email.data)
        # One message for every failure: it must not tell which part was wrong.
        form.form_errors.append("The e-mail address or password is not right.")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Ending every session of the user: a copied cookie stops working too.
    current_user.end_all_sessions()
    db.session.commit()
    logout_user()
    # Nothing of this person's stays in the cookie for whoever logs in next on this browser:
    # an unread "Deleted X" with its Undo button included.
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    chapters = db.session.scalars(select(Chapter).order_by(Chapter.name)).all()
    form.chapter.choices = [(c.id, c.name) for c in chapters]
    if form.validate_on_submit():
        chapter = db.session.get(Chapter, form.chapter.data)
        try:
            user = accounts.create_user(db.session, form.email.data, form.name.data,
                                        form.password.data)
        except accounts.AccountError as exc:
            reject(form, exc, "email")
        else:
            accounts.add_membership(db.session, user, chapter, role="member", status="pending")
            db.session.commit()
            login_user(user)
            flash(f"Welcome! A coordinator of {chapter.name} will approve your membership.",
                  "success")
            return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append("This is not your current password.")
        else:
            try:
                accounts.set_password(current_user._get_current_object(), form.password.data)
            except accounts.AccountError as exc:
                form.password.errors.append(str(exc))
            else:
                # Every other session and remember-me cookie ends; this one goes on.
                user = current_user._get_current_object()
                user.end_all_sessions()
                db.session.commit()
                login_user(user, remember=bool(request.cookies.get("remember_token")))
                flash("Your password is changed. Other devices are logged out.", "success")
                return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_reset(db.session, form.email.data)
        # The same answer whether or not an account has this address.
        if current_app.config["MAIL_SERVER"]:
            flash("If an account has this e-mail address, we sent it a link to choose a new "
                  "password. The link works for one hour.", "info")
        else:
            # Saying "we sent it" would be untrue: this server keeps mail in its outbox.
            flash("This server does not send e-mail yet. If an account has this address, an "
                  "administrator can find the link in the outbox (Outbox, in the admin "
                  "menu) and pass it on. The link works for one hour.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    user = password_reset.user_for_token(db.session, token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset(db.session, user, form.password.data)
        except accounts.AccountError as exc:
            form.password.errors.append(str(exc))
        else:
            db.session.commit()
            logout_user()
            flash("Your new password is set. Please log in.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
