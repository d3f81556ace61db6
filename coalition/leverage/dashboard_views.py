from flask import Blueprint, g, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from coalition.allies import consent
from coalition.leverage import dashboard as dashboard_data
from coalition.leverage import getting_started
from coalition.leverage.analysis import cache
from coalition.models import Membership
from coalition.outreach import panels
from coalition.platform.access import chapter_view
from coalition.platform.extensions import db
from coalition.platform.forms import submit
from coalition.platform.page_cache import cached_page

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    memberships = db.session.scalars(
        select(Membership).where(Membership.user_id == current_user.id)).all()
    active = [m for m in memberships if m.is_active]
    if len(active) == 1 and not current_user.is_admin:
        return redirect(url_for("main.dashboard", slug=active[0].chapter.slug))
    return render_template("main/index.html", memberships=memberships)


@bp.route("/c/<slug>/")
@chapter_view()
@cached_page
def dashboard(chapter):
    start_steps = getting_started.steps(db.session, chapter)
    summaries = cache.summaries(chapter.id)
    counted = dashboard_data.counts(db.session, chapter)
    return render_template(
        "main/dashboard.html",
        changes=dashboard_data.changes(db.session, chapter),
        due=dashboard_data.due(db.session, g.membership, counted),
        change_days=dashboard_data.CHANGES_DAYS,
        start_steps=start_steps,
        next_start_step=getting_started.next_step(start_steps),
        counts=counted,
        issues=dashboard_data.issues(db.session, chapter),
        activity=dashboard_data.recent_activity(db.session, chapter),
        summaries=summaries,
        gaps={issue_id: dashboard_data.gap_sentence(s) for issue_id, s in summaries.items()},
        cultivate=panels.cultivate_panel(chapter),
    )


class NoticeForm(FlaskForm):
    text = TextAreaField(
        "New wording", validators=[DataRequired(), Length(max=4000)],
        description="People who signed up keep the wording they agreed to; this becomes "
                    "the next version, shown on the public sign-up page from now on.")


@bp.route("/c/<slug>/consent", methods=["GET", "POST"])
@chapter_view("coordinator")
def consent_notice(chapter):
    form = NoticeForm()
    if form.validate_on_submit():
        done = submit(form, lambda: consent.revise(db.session, chapter, form.text.data),
                      field="text", to=url_for("main.consent_notice"),
                      message=lambda notice: f"Version {notice.version} of the consent "
                                             "notice is now in use.")
        if done:
            return done
    if not form.is_submitted():
        form.text.data = consent.current_text(db.session, chapter)
    return render_template("main/consent.html", form=form,
                           history=consent.history(db.session, chapter))
