from flask import Blueprint, g, redirect, render_template, request, url_for

from coalition.insurers import directory as insurer_directory
from coalition.insurers import issue_page
from coalition.insurers import issue_record as record
from coalition.insurers.issue_forms import (
    ANY,
    EventForm,
    IssueEditForm,
    IssueFilterForm,
    IssueForm,
)
from coalition.models import Issue, IssueEvent
from coalition.platform.access import chapter_view, get_owned, require_edit
from coalition.platform.extensions import db
from coalition.platform.forms import options, submit
from coalition.platform.page_cache import cached_page
from coalition.platform.rules import VersionConflict
from coalition.trash.views import ask_before_deleting, deleted

bp = Blueprint("issues", __name__, url_prefix="/c/<slug>/issues")

def _insurer_choices(chapter):
    return insurer_directory.insurers_for_select(db.session, chapter)


def _insurer_filter(insurers):
    return options([(ANY, "Any insurer")] + [(str(i), name) for i, name in insurers])


@bp.route("/")
@chapter_view()
def index(chapter):
    insurers = _insurer_choices(chapter)
    form = IssueFilterForm(request.args)
    form.insurer.choices = _insurer_filter(insurers)
    filters = record.IssueFilters()
    if form.validate():
        filters = record.IssueFilters(
            status=form.status.data, stage=form.stage.data, category=form.category.data,
            insurer_id=int(form.insurer.data) if form.insurer.data else None)
    else:  # an unknown value in the address: show the default list
        form = IssueFilterForm(formdata=None)
        form.insurer.choices = _insurer_filter(insurers)
    issues = record.list_issues(db.session, chapter, filters)
    return render_template("issues/index.html", issues=issues, form=form,
                           has_insurers=bool(insurers))


@bp.route("/new", methods=["GET", "POST"])
@chapter_view("coordinator")
def create(chapter):
    form = IssueForm()
    form.insurer_id.choices = options(_insurer_choices(chapter))
    if not form.is_submitted():
        form.insurer_id.data = request.args.get("insurer_id", type=int)
    if form.validate_on_submit():
        done = submit(form, lambda: record.create_issue(db.session, chapter, form.data),
                      field="title", message=lambda issue: f"Issue “{issue.title}” opened.",
                      to=lambda issue: url_for("issues.show", issue_id=issue.id))
        if done:
            return done
    return render_template("issues/form.html", form=form, issue=None, conflict=None)


def render_part(issue, part: str, status: int = 200, **forms):
    """One part of the issue's page (``issue_page.PARTS``); ``forms``: the form just posted,
    shown again with its errors and input."""
    context = issue_page.context(issue, part, g.get("membership"), **forms)
    page = render_template(issue_page.TEMPLATES[part], **context)
    # A plain page, not a tuple: the page cache fills the CSRF tokens only into pages.
    return page if status == 200 else (page, status)


@bp.route("/<int:issue_id>")
@chapter_view()
@cached_page
def show(chapter, issue_id):
    """The overview: the score, the facts that matter, the next moves and the top paths."""
    return render_part(get_owned(Issue, issue_id, chapter), "issues.show")


@bp.route("/<int:issue_id>/plan")
@chapter_view()
@cached_page
def plan(chapter, issue_id):
    return render_part(get_owned(Issue, issue_id, chapter), "issues.plan")


@bp.route("/<int:issue_id>/evidence")
@chapter_view()
@cached_page
def evidence(chapter, issue_id):
    return render_part(get_owned(Issue, issue_id, chapter), "issues.evidence")


@bp.route("/<int:issue_id>/history")
@chapter_view()
@cached_page
def history(chapter, issue_id):
    return render_part(get_owned(Issue, issue_id, chapter), "issues.history", event_form=EventForm(formdata=None))


@bp.route("/<int:issue_id>/details")
@chapter_view()
@cached_page
def details(chapter, issue_id):
    return render_part(get_owned(Issue, issue_id, chapter), "issues.details")


@bp.route("/<int:issue_id>/edit", methods=["GET", "POST"])
@chapter_view("coordinator")
def edit(chapter, issue_id):
    issue = get_owned(Issue, issue_id, chapter)
    insurers = _insurer_choices(chapter)
    form = IssueEditForm(obj=issue)
    form.insurer_id.choices = options(insurers)
    conflict = None
    if form.validate_on_submit():
        try:
            # The posted version only: the field falls back to the row's own when absent.
            done = submit(form, lambda: record.update_issue(db.session, chapter, issue, form.data,
                                                            request.form.get("version"), form.why.data),
                          field="title",
                          message=lambda event: f"Issue “{issue.title}” saved."
                          + (" The stage change is in the history." if event else ""),
                          to=url_for("issues.show", issue_id=issue.id))
        except VersionConflict:
            issue = get_owned(Issue, issue_id, chapter)  # the saved values, fresh
            conflict = record.differences(issue, form.data, dict(insurers))
            form.version.data = str(issue.version)
        else:
            if done:
                return done
    return render_template("issues/form.html", form=form, issue=issue, conflict=conflict)


@bp.route("/<int:issue_id>/delete", methods=["POST"])
@chapter_view("coordinator")
def delete(chapter, issue_id):
    issue = get_owned(Issue, issue_id, chapter)
    ask = ask_before_deleting(issue, "Delete issue", url_for("issues.show", issue_id=issue.id))
    if ask:
        return ask
    entry = record.delete_issue(db.session, issue)
    db.session.commit()
    deleted(entry)
    return redirect(url_for("issues.index"))


@bp.route("/<int:issue_id>/events", methods=["POST"])
@chapter_view()
def add_event(chapter, issue_id):
    issue = get_owned(Issue, issue_id, chapter)
    form = EventForm()
    if form.validate_on_submit():
        done = submit(form, lambda: record.add_event(db.session, issue, form.data),
                      field="summary", message="Added to the history.",
                      to=url_for("issues.history", issue_id=issue.id))
        if done:
            return done
    return render_part(issue, "issues.history", event_form=form)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@chapter_view()
def edit_event(chapter, event_id):
    event = get_owned(IssueEvent, event_id, chapter)
    require_edit(event)
    form = EventForm(obj=event)
    if form.validate_on_submit():
        done = submit(form, lambda: record.update_event(event, form.data),
                      field="summary", message="History entry saved.",
                      to=url_for("issues.history", issue_id=event.issue_id))
        if done:
            return done
    return render_template("issues/edit_event.html", form=form, event=event, issue=event.issue)


@bp.route("/events/<int:event_id>/delete", methods=["POST"])
@chapter_view()
def delete_event(chapter, event_id):
    event = get_owned(IssueEvent, event_id, chapter)
    require_edit(event)
    issue_id = event.issue_id
    back = url_for("issues.history", issue_id=issue_id)
    ask = ask_before_deleting(event, "Delete history entry", back)
    if ask:
        return ask
    entry = record.delete_event(db.session, event)
    db.session.commit()
    deleted(entry)
    return redirect(back)
