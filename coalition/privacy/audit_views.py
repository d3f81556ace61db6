"""Coordinators browse their chapter's audit trail."""
from flask import Blueprint, render_template, request

from coalition.platform.access import chapter_view
from coalition.platform.extensions import db
from coalition.privacy import audit, audit_story

bp = Blueprint("audit", __name__, url_prefix="/c/<slug>/audit")


@bp.route("")
@chapter_view("coordinator")
def index(chapter):
    action = request.args.get("action") or None
    filters = audit.Filters(
        action=action if action in audit.ACTIONS else None,
        entity_type=request.args.get("entity_type") or None,
        actor_id=request.args.get("actor", type=int))
    result = audit.page(db.session, chapter.id, filters, request.args.get("page", 1, type=int))
    lines = audit_story.lines(db.session, chapter.id, result["entries"], result["names"])
    return render_template("audit/index.html", result=result, lines=lines, filters=filters,
                           actions=audit_story.ACTION_LABELS, kinds=audit_story.KIND_LABELS,
                           entity_types=audit.entity_types(db.session, chapter.id),
                           actors=audit.actors(db.session, chapter.id))
