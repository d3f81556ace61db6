from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from coalition.allies import consent as notices
from coalition.allies import signup
from coalition.allies.public_forms import SignupForm
from coalition.models import Chapter
from coalition.platform.access import membership_for
from coalition.platform.extensions import db

bp = Blueprint("public", __name__, url_prefix="/join")


def _chapter(slug: str) -> Chapter:
    chapter = db.session.scalar(select(Chapter).where(Chapter.slug == slug))
    if chapter is None:
        abort(404)
    return chapter


@bp.route("/<slug>", methods=["GET", "POST"])
def join(slug):
    chapter = _chapter(slug)
    issues = signup.open_issues(db.session, chapter)
    form = SignupForm()
    form.issues.choices = {i.id: i.title for i in issues}
    form.consent.label.text = notices.current_text(db.session, chapter)
    if form.validate_on_submit():
        if form.website.data:  # the honeypot: only robots fill it in; store nothing
            return redirect(url_for("public.thanks", slug=chapter.slug))
        membership = membership_for(current_user, chapter.id)
        signup.sign_up(
            db.session, chapter, name=form.name.data, email=form.email.data,
            kind=form.kind.data, region=form.region.data, organisation=form.organisation.data,
            knows=form.knows.data, issue_ids=form.issues.data or [], consent=form.consent.data,
            user_id=membership.user_id if membership else None,
            notice_text=form.consent.label.text)
        db.session.commit()
        return redirect(url_for("public.thanks", slug=chapter.slug))
    return render_template("public/join.html", public_chapter=chapter, form=form,
                           issues=issues)


@bp.route("/<slug>/thanks")
def thanks(slug):
    return render_template("public/thanks.html", public_chapter=_chapter(slug))
