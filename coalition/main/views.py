from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from coalition import dashboard as dashboard_data
from coalition.analysis import cache
from coalition.access import chapter_view
from coalition.extensions import db
from coalition.main import bp
from coalition.models import Membership


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
def dashboard(chapter):
    return render_template(
        "main/dashboard.html",
        counts=dashboard_data.counts(db.session, chapter),
        issues=dashboard_data.issues(db.session, chapter),
        activity=dashboard_data.recent_activity(db.session, chapter),
        summaries=cache.summaries(chapter.id),
    )
