"""Mail pages: each person's choice of notices, the unsubscribe link from a message (no
log-in needed), and the administrators' outbox of mail not sent."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required

from coalition.accounts import mail_choices
from coalition.accounts.mail_forms import choices_form
from coalition.models import User
from coalition.platform import mail, outbox
from coalition.platform.access import admin_view
from coalition.platform.extensions import csrf, db
from coalition.platform.forms import submit

bp = Blueprint("mail", __name__)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def settings():
    user = current_user._get_current_object()
    offered = mail_choices.offered(db.session, user)
    form = choices_form(offered, mail_choices.switched_off(db.session, user.id))
    if form.validate_on_submit():
        wanted = {category: bool(form[category].data) for category in offered}
        done = submit(form, lambda: mail_choices.save(db.session, user, wanted),
                      field=next(iter(offered)),
                      message="Your e-mail choices are saved.", to=url_for("mail.settings"))
        if done:
            return done
    return render_template("mail/settings.html", form=form, offered=offered)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; mail programs post without a form (RFC 8058)
def unsubscribe(token):
    found = mail.read_unsubscribe_token(token)
    if found is None:
        return render_template("mail/unsubscribe_invalid.html"), 400
    user_id, category = found
    user = db.session.get(User, user_id)
    if user is None:  # the account was removed since the message was sent
        return render_template("mail/unsubscribe_invalid.html", gone=True), 404
    label = mail.CATEGORIES[category]
    if request.method == "POST":
        mail_choices.stop(db.session, user.id, category)
        db.session.commit()
        return render_template("mail/unsubscribe.html", label=label, done=True)
    return render_template("mail/unsubscribe.html", label=label,
                           done=not mail.wants(user.id, category))


@bp.route("/admin/outbox")
@admin_view
def outbox_list():
    page = outbox.messages(request.args.get("page", 1, type=int))
    return render_template("mail/outbox.html", page=page,
                           not_sent=not current_app.config["MAIL_SERVER"])


@bp.route("/admin/outbox/<filename>")
@admin_view
def outbox_message(filename):
    found = outbox.message(filename)
    if found is None:
        abort(404)
    message, text = found
    return render_template("mail/outbox_message.html", message=message, text=text)
