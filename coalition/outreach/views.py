from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from coalition.insurers.issue_views import render_part
from coalition.leverage.analysis import cache
from coalition.outreach import brief as briefing
from coalition.outreach import (
    calendar_feed,
    calendar_links,
    evidence,
    preparation,
    tasks,
    touchpoints,
)
from coalition.picker.fields import finding, ready
from coalition.picker.search import FIND_LIMIT, Match
from coalition.platform.access import chapter_view, get_owned, require_edit
from coalition.platform.confirm import ask_first

try:
    from coalition.platform.database import read_transaction
except ImportError:  # pragma: no cover  (older db_setup without it)
    from contextlib import nullcontext as read_transaction
from coalition.models import Issue
from coalition.models.outreach import OPEN_STATUSES, TASK_STATUSES, EvidenceCount, Task
from coalition.outreach.forms import (
    BoardFilterForm,
    DaysForm,
    EvidenceForm,
    StatusForm,
    TaskEditForm,
    TaskForm,
    TouchpointForm,
    options,
    stage_form,
)
from coalition.platform.extensions import db
from coalition.platform.forms import changes_mark, say_saved, submit
from coalition.platform.rules import VersionConflict
from coalition.trash import service as trash
from coalition.trash.views import ask_before_deleting, deleted

bp = Blueprint("outreach", __name__, url_prefix="/c/<slug>/outreach")


@bp.app_template_global()
def can_log_touchpoint(rel) -> bool:
    """Whether the viewer may log a touchpoint on ``rel`` (links beside relationships)."""
    membership = g.get("membership")
    return membership is not None and touchpoints.may_log(membership, rel)


def _safe_next(value: str | None) -> str | None:
    """Only same-site paths (no scheme, no host) are followed after saving."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


def _set_task_choices(form, chapter, task=None):
    form.issue_id.choices = options(tasks.issue_choices(db.session, chapter.id))
    # A task planned along a path may have no owner yet: it keeps none unless one is chosen.
    if task is not None and task.owner_member_id is None:
        form.owner_member_id.blank = "Nobody yet"


def _render_task_form(form, chapter, task, conflict):
    # The pickers' options (the current choices, or a "Find"'s matches) are read only when
    # the form is shown, not while a save holds the database's write lock.
    ready(form)
    return render_template("outreach/task_form.html", form=form, task=task, conflict=conflict)


# --- tasks -----------------------------------------------------------------------------

@bp.route("/mine")
@chapter_view()
def mine(chapter):
    return _render_mine()


def _render_mine(new_link: str | None = None):
    rows = tasks.my_tasks(db.session, g.membership)
    return render_template("outreach/mine.html",
                           open_tasks=[t for t in rows if t.status in OPEN_STATUSES],
                           closed_tasks=[t for t in rows if t.status not in OPEN_STATUSES],
                           calendar_link=calendar_links.for_member(db.session, g.membership),
                           new_link=new_link)


@bp.route("/calendar/new", methods=["POST"])
@chapter_view()
def new_calendar_link(chapter):
    back = url_for("outreach.mine", _anchor="calendar")
    if calendar_links.for_member(db.session, g.membership) is not None:
        ask = ask_first("Make a new calendar link? Calendars subscribed to your current link "
                        "stop getting updates.", "Make a new link", back,
                        note="You then subscribe again with the new link.")
        if ask:
            return ask
    token = calendar_links.make(db.session, g.membership)
    db.session.commit()
    # Shown on this response only: the token is not stored, so it cannot be shown again.
    body = _render_mine(new_link=url_for("calendar.feed", token=token, _external=True))
    return body, 200, {"Cache-Control": "no-store"}


@bp.route("/calendar/revoke", methods=["POST"])
@chapter_view()
def revoke_calendar_link(chapter):
    back = url_for("outreach.mine", _anchor="calendar")
    if calendar_links.for_member(db.session, g.membership) is None:
        flash("You have no calendar link to turn off.", "info")
        return redirect(back)
    ask = ask_first("Turn off your calendar link? Calendars subscribed to it stop getting "
                    "your tasks and the chapter's issue history.", "Turn off the link", back,
                    note="You can make a new link at any time and subscribe again.")
    if ask:
        return ask
    calendar_links.turn_off(db.session, g.membership)
    db.session.commit()
    flash("Your calendar link is turned off; it no longer works.", "success")
    return redirect(back)


@bp.route("/board")
@chapter_view("coordinator")
def board(chapter):
    form = BoardFilterForm(request.args)
    issues = tasks.issue_choices(db.session, chapter.id)
    members = tasks.member_choices(db.session, chapter.id)
    form.issue.choices = options([("", "Any issue")] + [(str(i), t) for i, t in issues])
    form.owner.choices = options([("", "Anyone")] + [(str(m), n) for m, n in members])
    issue_id = owner_id = None
    if form.validate():
        issue_id = int(form.issue.data) if form.issue.data else None
        owner_id = int(form.owner.data) if form.owner.data else None
    else:  # an unknown value in the address: show everything
        form = BoardFilterForm(formdata=None)
        form.issue.choices = options([("", "Any issue")] + [(str(i), t) for i, t in issues])
        form.owner.choices = options([("", "Anyone")] + [(str(m), n) for m, n in members])
    columns = tasks.board(db.session, chapter, issue_id, owner_id)
    return render_template("outreach/board.html", columns=columns, form=form,
                           statuses=TASK_STATUSES, moves=tasks.STATUS_MOVES,
                           status_form=StatusForm(formdata=None),
                           filters={"issue": issue_id or "", "owner": owner_id or ""})


@bp.route("/tasks/<int:task_id>/status", methods=["POST"])
@chapter_view()
def set_status(chapter, task_id):
    """A status button on a task card (or a card dragged to another column)."""
    task = get_owned(Task, task_id, chapter)
    _require_change(task)
    form = StatusForm()
    # Back to the board as it was filtered (ids only), or to "My tasks" for members.
    back = url_for("outreach.board", issue=request.form.get("issue", type=int),
                   owner=request.form.get("owner", type=int)) \
        if g.membership.is_coordinator else url_for("outreach.mine")
    if not form.validate_on_submit():
        flash("That status is not one of the list; nothing was saved.", "error")
        return redirect(back)
    title, label = task.title, TASK_STATUSES[form.status.data]
    try:
        done = submit(form, lambda: tasks.change_status(db.session, task, form.status.data,
                                                        form.version.data, g.membership),
                      field="status", message=f"“{title}” is now {label.lower()}.", to=back)
    except VersionConflict:
        flash(f"“{title}” was changed by someone else after you opened this page, so nothing "
              "was saved. The board below shows it as it is now; try again if it still needs "
              "to move.", "error")
        return redirect(back)
    if done:
        return done
    flash(form.status.errors[-1], "error")
    return redirect(back)


@bp.route("/tasks/new", methods=["GET", "POST"])
@chapter_view()
def create_task(chapter):
    form = TaskForm()
    _set_task_choices(form, chapter)
    if not form.is_submitted():
        form.issue_id.data = request.args.get("issue_id", type=int)
        form.target.data = request.args.get("target", "")
        form.owner_member_id.data = g.membership.id
    if not finding(form) and form.validate_on_submit():
        done = submit(form, lambda: tasks.create_task(db.session, chapter, form.data, g.membership),
                      field="title",
                      message=lambda made: f"Task “{made[0].title}” planned." + (
                          " The ally's new stance is in the issue's history." if made[1] else ""),
                      to=lambda made: url_for("outreach.show_task", task_id=made[0].id))
        if done:
            return done
    return _render_task_form(form, chapter, None, None)


@bp.route("/tasks/<int:task_id>")
@chapter_view()
def show_task(chapter, task_id):
    task = get_owned(Task, task_id, chapter)
    return render_template("outreach/task.html", task=task,
                           can_change=tasks.can_change(task, g.membership),
                           questions=trash.questions(db.session, [task]))


def _require_change(task):
    if not tasks.can_change(task, g.membership):
        abort(403)


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@chapter_view()
def edit_task(chapter, task_id):
    task = get_owned(Task, task_id, chapter)
    _require_change(task)
    form = TaskEditForm(obj=task)
    _set_task_choices(form, chapter, task)
    if not form.is_submitted():
        form.target.data = tasks.target_key(task)
        form.outcome.data = task.outcome or ""
        form.version.data = str(task.version)
    conflict = None
    if not finding(form) and form.validate_on_submit():
        try:
            done = submit(form, lambda: tasks.update_task(db.session, task, form.data, form.version.data,
                                                          g.membership),
                          field="title",
                          message=lambda event: f"Task “{task.title}” saved." + (
                              " The ally's new stance is in the issue's history." if event else ""),
                          to=url_for("outreach.show_task", task_id=task.id))
        except VersionConflict:
            task = get_owned(Task, task_id, chapter)  # the saved values, fresh
            conflict = tasks.differences(db.session, task, form.data)
            form.version.data = str(task.version)
        else:
            if done:
                return done
    return _render_task_form(form, chapter, task, conflict)


@bp.route("/tasks/<int:task_id>/delete", methods=["POST"])
@chapter_view()
def delete_task(chapter, task_id):
    task = get_owned(Task, task_id, chapter)
    _require_change(task)
    ask = ask_before_deleting(task, "Delete task", url_for("outreach.show_task", task_id=task.id))
    if ask:
        return ask
    entry = tasks.delete_task(db.session, task)
    db.session.commit()
    deleted(entry)
    return redirect(url_for("outreach.mine"))


@bp.route("/issues/<int:issue_id>/tasks-from-path", methods=["POST"])
@chapter_view("coordinator")
def tasks_from_path(chapter, issue_id):
    issue = get_owned(Issue, issue_id, chapter)
    # The path is read again from the cached analysis: the form only points at it. Nothing
    # is written yet: give up SQLite's write lock so the cache can store a fresh result.
    db.session.rollback()
    with read_transaction():
        analysis = cache.issue(chapter.id, issue_id)
    issue = get_owned(Issue, issue_id, chapter)
    path = tasks.find_path(analysis, request.form.get("target"), request.form.get("path"),
                           request.form.get("key"))
    back = url_for("issues.plan", issue_id=issue.id, _anchor="outreach-tasks")
    if path is None:
        flash("That access path is no longer in the analysis; nothing was planned. "
              "Look at the paths again and choose one.", "error")
        return redirect(back)
    try:
        created = tasks.tasks_from_path(db.session, issue, path, by=g.membership)
    except tasks.TaskError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    flash(f"{len(created)} task{'s' if len(created) != 1 else ''} planned along the path to "
          f"{path.get('target_label', 'the target')}, each for the member who owns that link.",
          "success")
    return redirect(back)


# --- stages, checklist, evidence --------------------------------------------------------

@bp.route("/issues/<int:issue_id>/stage", methods=["GET", "POST"])
@chapter_view("coordinator")
def change_stage(chapter, issue_id):
    issue = get_owned(Issue, issue_id, chapter)
    form = stage_form(issue)
    if form.validate_on_submit():
        done = submit(form, lambda: preparation.change_stage(db.session, issue, form.stage.data,
                                                             form.reason.data),
                      field="stage",
                      message=lambda _: f"The issue is now at the stage “{issue.stage_label}”; "
                                        "the change is in its history.",
                      to=url_for("issues.plan", issue_id=issue.id, _anchor="stage-h"))
        if done:
            return done
        issue = get_owned(Issue, issue_id, chapter)  # the saved stage, fresh
    if form.is_submitted() and request.form.get("from") == "plan":
        # Posted from the issue's Plan part: its errors and input are shown there.
        return render_part(issue, "issues.plan", 400, stage_form=form)
    status = 400 if form.is_submitted() else 200
    return render_template("outreach/stage.html", form=form, issue=issue), status


@bp.route("/issues/<int:issue_id>/checklist", methods=["POST"])
@chapter_view("coordinator")
def tick(chapter, issue_id):
    issue = get_owned(Issue, issue_id, chapter)
    item = request.form.get("item", "")
    done = request.form.get("done") == "1"
    mark = changes_mark()
    try:
        preparation.set_tick(db.session, issue, item, done)
    except preparation.PreparationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        say_saved(mark, f"“{preparation.ITEMS[item]}” {'ticked' if done else 'unticked'}.")
    return redirect(url_for("issues.plan", issue_id=issue.id, _anchor="preparation"))


@bp.route("/issues/<int:issue_id>/evidence", methods=["GET", "POST"])
@chapter_view()
def add_evidence(chapter, issue_id):
    issue = get_owned(Issue, issue_id, chapter)
    form = EvidenceForm()
    if form.validate_on_submit():
        done = submit(form, lambda: evidence.add(db.session, issue, form.data),
                      field="count", message="Evidence count added.",
                      to=url_for("issues.evidence", issue_id=issue.id, _anchor="add-evidence-h"))
        if done:
            return done
    if form.is_submitted() and request.form.get("from") == "evidence":
        return render_part(issue, "issues.evidence", 400, evidence_form=form)
    status = 400 if form.is_submitted() else 200
    return render_template("outreach/evidence.html", form=form, issue=issue), status


@bp.route("/evidence/<int:evidence_id>/delete", methods=["POST"])
@chapter_view()
def delete_evidence(chapter, evidence_id):
    row = get_owned(EvidenceCount, evidence_id, chapter)
    require_edit(row)
    back = url_for("issues.evidence", issue_id=row.issue_id)
    ask = ask_before_deleting(row, "Delete evidence count", back)
    if ask:
        return ask
    entry = evidence.remove(db.session, row)
    db.session.commit()
    deleted(entry)
    return redirect(back)


# --- touchpoints and relationship health -------------------------------------------------

@bp.route("/touchpoints/new", methods=["GET", "POST"])
@chapter_view()
def log_touchpoint(chapter):
    rels = touchpoints.loggable(db.session, g.membership)
    node = None
    for kind in ("ally", "contact"):
        ident = request.args.get(f"{kind}_id", type=int)
        if ident:
            node = (kind, ident)
    shown = touchpoints.for_node(rels, *(node or (None, None))) if node else rels
    form = TouchpointForm()
    if not form.is_submitted():
        form.relationship_id.data = request.args.get("relationship_id", type=int)
    # Logged from an ally's page (or another list of relationships): back there afterwards.
    next_url = _safe_next(request.values.get("next"))
    if not finding(form) and form.validate_on_submit():
        data = dict(form.data, strength=int(form.strength.data) if form.strength.data else None)
        done = submit(form, lambda: touchpoints.log(db.session, g.membership, data),
                      field="summary",
                      message="Touchpoint logged; the relationship's last contact is up to date.",
                      to=next_url or url_for("outreach.log_touchpoint"))
        if done:
            return done
    status = 400 if form.is_submitted() and not finding(form) else 200
    # A few relationships (a member's own, or those of the person whose page it came from)
    # are offered as options; more are found by typing.
    few = shown if len(shown) <= FIND_LIMIT else []
    ready(form, {"relationship_id": [Match(str(r.id), touchpoints.describe(r)) for r in few]})
    recent = touchpoints.recent(db.session, chapter.id, [r.id for r in rels])
    names = {r.id: touchpoints.describe(r) for r in rels}
    return render_template("outreach/touchpoint.html", form=form, recent=recent, names=names,
                           has_relationships=bool(rels), next_url=next_url), status


@bp.route("/cultivate")
@chapter_view()
def cultivate(chapter):
    default = touchpoints.configured_days(current_app.config)
    days, error = touchpoints.parse_days(request.args.get("days"), default)
    form = DaysForm(request.args)
    if error:
        form.days.errors = [error]
    rows = touchpoints.cultivate(db.session, chapter.id, days)
    return render_template("outreach/cultivate.html", rows=rows, days=days, form=form,
                           default=default), (400 if error else 200)


# --- the brief and the calendar ----------------------------------------------------------

@bp.route("/issues/<int:issue_id>/brief")
@chapter_view()
def brief(chapter, issue_id):
    issue = get_owned(Issue, issue_id, chapter)
    return render_template("outreach/brief.html",
                           brief=briefing.build(db.session, issue, counts_only=_counts_only()))


@bp.route("/issues/<int:issue_id>/brief.pdf")
@chapter_view()
def brief_pdf(chapter, issue_id):
    issue = get_owned(Issue, issue_id, chapter)
    counts_only = _counts_only()
    body = briefing.pdf(briefing.build(db.session, issue, counts_only=counts_only))
    name = f"brief-issue-{issue.id}{'-counts' if counts_only else ''}.pdf"
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


def _counts_only() -> bool:
    """``?counts=only``: the brief without the names of allies and patients."""
    return request.args.get("counts") == "only"


@bp.route("/calendar.ics")
@chapter_view()
def calendar(chapter):
    rows = tasks.my_tasks(db.session, g.membership)
    body = calendar_feed.render(
        rows, uid_domain=f"{chapter.slug}.coalition", name=f"My tasks — {chapter.name}",
        url_for_task=lambda t: url_for("outreach.show_task", task_id=t.id, _external=True))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="tasks-{chapter.slug}.ics"'})
