"""The subscribed calendar: ``/calendar/<token>.ics``, fetched by calendar apps, which
carry no cookie. The secret token in the address is the only credential (see
``calendar_links``): a GET that changes nothing, so no log-in and no CSRF token; an
unknown token answers 404 and counts against the address like a wrong API token."""
from flask import Blueprint, Response, abort, url_for

from coalition.models import utcnow
from coalition.outreach import calendar_feed, calendar_links
from coalition.platform import ratelimit
from coalition.platform.extensions import db

bp = Blueprint("calendar", __name__)


@bp.route("/calendar/<token>.ics")
def feed(token):
    if ratelimit.api_address_blocked():
        abort(429)
    found = calendar_links.find(db.session, token)
    if found is None:
        ratelimit.record_api_failure()
        abort(404)
    chapter, membership = found.chapter, found.membership
    slug = chapter.slug
    body = calendar_feed.render(
        calendar_links.open_tasks(db.session, membership),
        events=calendar_links.issue_events(db.session, chapter.id),
        uid_domain=f"{slug}.coalition", name=f"Coalition — {chapter.name}",
        url_for_task=lambda t: url_for("outreach.show_task", slug=slug, task_id=t.id,
                                       _external=True),
        url_for_event=lambda e: url_for("issues.history", slug=slug, issue_id=e.issue_id,
                                        _external=True))
    if calendar_links.needs_touch(found.link):
        found.link.last_used_at = utcnow()  # "last fetched" on the My tasks page
        db.session.commit()
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="coalition-{slug}.ics"',
        "Cache-Control": "private, no-cache"})
