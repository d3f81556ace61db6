"""The browser page where members make and revoke their personal access tokens."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from coalition.accounts import tokens
from coalition.accounts.token_forms import TokenForm
from coalition.models.tokens import PersonalAccessToken
from coalition.platform.access import chapter_view
from coalition.platform.confirm import ask_first
from coalition.platform.extensions import db
from coalition.platform.forms import reject

bp = Blueprint("tokens", __name__, url_prefix="/c/<slug>/tokens")


def _render(chapter, form, secret=None, status=200):
    others = tokens.others_in_chapter(db.session, g.membership) \
        if g.membership.is_coordinator else []
    return render_template("tokens/index.html", form=form, secret=secret,
                           mine=tokens.for_member(db.session, g.membership),
                           others=others), status


@bp.route("/")
@chapter_view()
def index(chapter):
    return _render(chapter, TokenForm(formdata=None))


@bp.route("/", methods=["POST"])
@chapter_view()
def create(chapter):
    form = TokenForm()
    if not form.validate_on_submit():
        return _render(chapter, form, status=400)
    try:
        row, secret = tokens.create(db.session, g.membership, form.name.data, form.scope.data)
    except tokens.TokenError as exc:
        reject(form, exc, "name")
        return _render(chapter, form, status=400)
    db.session.commit()
    # Shown once, on this response only; never stored, never put in the session.
    body, status = _render(chapter, TokenForm(formdata=None), secret=(row, secret))
    return body, status, {"Cache-Control": "no-store"}


@bp.route("/revoke", methods=["POST"])
@chapter_view()
def revoke(chapter):
    token_id = request.form.get("token_id", type=int)
    token = None if token_id is None else db.session.scalar(db.select(PersonalAccessToken).where(
        PersonalAccessToken.id == token_id, PersonalAccessToken.chapter_id == chapter.id))
    if token is None:
        abort(404)
    if not tokens.can_revoke(token, g.membership):
        abort(403)
    ask = ask_first(f"Revoke the token “{token.name}” of {token.user.name}? Every program "
                    "using it stops working at once.", "Revoke token", url_for("tokens.index"),
                    note="A revoked token cannot be switched on again; issue a new one instead.")
    if ask:
        return ask
    tokens.revoke(token)
    db.session.commit()
    flash(f"The token “{token.name}” was revoked; it no longer works.", "success")
    return redirect(url_for("tokens.index"))
