"""The Trash page, restoring (also the Undo button after a delete), and the helpers the
delete views share: ask first, then say what went with an Undo button."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from coalition.models.trash import TrashEntry
from coalition.platform.access import chapter_view, is_coordinator
from coalition.platform.confirm import ask_first
from coalition.platform.extensions import db
from coalition.trash import service

bp = Blueprint("trash", __name__, url_prefix="/c/<slug>/trash")

PER_PAGE = 50
AWAY_NOTE = f"It stays in the Trash for {service.TRASH_DAYS} days; until then you can undo it."


def ask_before_deleting(obj, yes: str, back: str, verb: str = "Delete"):
    """The confirmation for moving ``obj`` to the Trash (None once confirmed)."""
    return ask_first(service.question(db.session, obj, verb), yes, back, note=AWAY_NOTE)


def deleted(entry: TrashEntry, text: str | None = None) -> None:
    """Flash what was deleted, with an Undo button (rendered by base.html)."""
    text = text or f"Deleted {service.describe(db.session, entry)}."
    flash({"text": text, "entry": entry.id, "slug": g.chapter.slug}, "undo")


# The page that shows a restored row, by kind (service.KIND_OF).
WHERE = {
    "ally": lambda r: url_for("allies.show", ally_id=r.id),
    "insurer": lambda r: url_for("insurers.show", insurer_id=r.id),
    "contact": lambda r: url_for("insurers.show", insurer_id=r.insurer_id, _anchor="contacts"),
    "issue": lambda r: url_for("issues.show", issue_id=r.id),
    "event": lambda r: url_for("issues.history", issue_id=r.issue_id),
    "evidence": lambda r: url_for("issues.evidence", issue_id=r.issue_id),
    "task": lambda r: url_for("outreach.show_task", task_id=r.id),
    "stance": lambda r: url_for("allies.show", ally_id=r.ally_id, _anchor="stances"),
    "relationship": lambda r: url_for("relationships.index"),
}


def where_to_see(row) -> str:
    return WHERE[service.KIND_OF[type(row)]](row)


@bp.route("/")
@chapter_view("coordinator")
def index(chapter):
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    items, total = service.items(db.session, chapter.id, page, PER_PAGE)
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    return render_template("trash/index.html", items=items, total=total, page=page, pages=pages,
                           days=service.TRASH_DAYS)


@bp.route("/<int:entry_id>/restore", methods=["POST"])
@chapter_view()
def restore(chapter, entry_id):
    entry = service.get_entry(db.session, chapter.id, entry_id)
    # Coordinators restore anything; a member can undo their own deletion.
    if entry is None or not (is_coordinator() or entry.deleted_by_id == current_user.id):
        abort(404)
    try:
        row, what = service.restore(db.session, entry)
    except service.TrashError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("trash.index") if is_coordinator() else url_for("main.dashboard"))
    db.session.commit()
    flash(f"Restored {what}.", "success")
    return redirect(where_to_see(row))
