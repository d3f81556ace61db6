from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from coalition.allies import directory, records
from coalition.allies import relationships as book
from coalition.allies.forms import AllyForm, StanceForm
from coalition.allies.relationship_forms import RelationshipForm
from coalition.models import Ally, Stance
from coalition.picker.fields import finding, ready
from coalition.platform.access import chapter_view, get_owned, require_edit
from coalition.platform.confirm import ask_first
from coalition.platform.extensions import db
from coalition.platform.forms import submit
from coalition.platform.page_cache import cached_page
from coalition.platform.rules import VersionConflict
from coalition.trash import service as trash
from coalition.trash.views import AWAY_NOTE, ask_before_deleting, deleted

bp = Blueprint("allies", __name__, url_prefix="/c/<slug>/allies")


@bp.route("/")
@chapter_view()
@cached_page
def index(chapter):
    issues = directory.chapter_issues(db.session, chapter.id)
    filters = directory.parse_filters(request.args, {i.id for i in issues})
    page = db.paginate(directory.search(chapter.id, filters), page=filters.page,
                       per_page=current_app.config["ALLIES_PER_PAGE"], error_out=False)
    return render_template("allies/index.html", page=page, filters=filters, issues=issues,
                           regions=directory.regions(db.session, chapter.id),
                           sorts=directory.SORTS)


def _form_data(form: AllyForm) -> dict:
    return {name: getattr(form, name).data for name in records.ALLY_FIELDS}


@bp.route("/new", methods=["GET", "POST"])
@chapter_view()
def create(chapter):
    form = AllyForm()
    if not finding(form) and form.validate_on_submit():
        ally = records.create_ally(db.session, chapter.id, _form_data(form))
        db.session.commit()
        flash(f"{ally.name} was added.", "success")
        return redirect(url_for("allies.show", ally_id=ally.id))
    ready(form)
    return render_template("allies/form.html", form=form, ally=None)


def _stance_form(chapter, formdata=None) -> StanceForm:
    form = StanceForm(formdata=formdata)
    form.issue_id.choices = {i.id: i.title
                             for i in directory.chapter_issues(db.session, chapter.id)}
    return form


def _render_show(chapter, ally, stance_form=None, status=200):
    stance_form = stance_form or _stance_form(chapter, formdata=None)
    rel_form = RelationshipForm(formdata=None)
    # The quick-add's "To" is a picker (a link to the ally itself is refused when saved).
    rel_form.set_choices(False)
    rel_form.a.data = f"ally:{ally.id}"
    ready(rel_form)
    pairs = book.for_node(db.session, chapter.id, "ally", ally.id)
    stances = sorted(ally.stances, key=lambda s: (s.issue.title, s.id))
    questions = {**trash.questions(db.session, [ally]),
                 **trash.questions(db.session, [*stances, *(rel for rel, _ in pairs)], "Remove")}
    return render_template("allies/show.html", ally=ally, stances=stances, pairs=pairs,
                           questions=questions,
                           stance_form=stance_form, rel_form=rel_form), status


@bp.route("/<int:ally_id>")
@chapter_view()
def show(chapter, ally_id):
    ally = get_owned(Ally, ally_id, chapter)
    return _render_show(chapter, ally)


@bp.route("/<int:ally_id>/edit", methods=["GET", "POST"])
@chapter_view()
def edit(chapter, ally_id):
    ally = get_owned(Ally, ally_id, chapter)
    require_edit(ally)
    form = AllyForm(obj=ally)
    conflict = None
    if not finding(form) and form.validate_on_submit():
        try:
            done = submit(form, lambda: records.update_ally(ally, _form_data(form), form.version.data),
                          field="name", message=lambda _: f"{ally.name} was saved.",
                          to=url_for("allies.show", ally_id=ally.id))
        except VersionConflict:
            ally = get_owned(Ally, ally_id, chapter)  # the saved values, fresh
            conflict = records.differences(ally, _form_data(form))
            form.version.data = ally.version
        else:
            if done:
                return done
    ready(form)
    return render_template("allies/form.html", form=form, ally=ally, conflict=conflict)


@bp.route("/<int:ally_id>/delete", methods=["POST"])
@chapter_view()
def delete(chapter, ally_id):
    ally = get_owned(Ally, ally_id, chapter)
    require_edit(ally)
    ask = ask_before_deleting(ally, f"Delete {ally.name}", url_for("allies.show", ally_id=ally.id))
    if ask:
        return ask
    entry = records.delete_ally(db.session, ally)
    db.session.commit()
    deleted(entry)
    return redirect(url_for("allies.index"))


@bp.route("/<int:ally_id>/stances", methods=["POST"])
@chapter_view()
def set_stance(chapter, ally_id):
    ally = get_owned(Ally, ally_id, chapter)
    require_edit(ally)
    form = _stance_form(chapter, formdata=request.form)
    if form.validate():
        done = submit(form, lambda: records.set_stance(db.session, ally, form.issue_id.data,
                                                       form.stance.data, form.notes.data),
                      field="issue_id", message="The stance was saved.",
                      to=url_for("allies.show", ally_id=ally.id, _anchor="stances"))
        if done:
            return done
    return _render_show(chapter, ally, stance_form=form, status=400)


@bp.route("/stances/<int:stance_id>/delete", methods=["POST"])
@chapter_view()
def delete_stance(chapter, stance_id):
    stance = get_owned(Stance, stance_id, chapter)
    require_edit(stance.ally)
    back = url_for("allies.show", ally_id=stance.ally_id, _anchor="stances")
    ask = ask_before_deleting(stance, "Remove stance", back, verb="Remove")
    if ask:
        return ask
    entry = records.remove_stance(db.session, stance)
    db.session.commit()
    deleted(entry)
    return redirect(back)


@bp.route("/pending")
@chapter_view("coordinator")
def pending(chapter):
    return render_template("allies/pending.html",
                           allies=records.pending(db.session, chapter.id))


def _decide(chapter, ally_id, action, message):
    ally = get_owned(Ally, ally_id, chapter)
    name = ally.name
    try:
        action(ally)
    except records.AllyError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(message.format(name=name), "success")
    return redirect(url_for("allies.pending"))


@bp.route("/<int:ally_id>/approve", methods=["POST"])
@chapter_view("coordinator")
def approve(chapter, ally_id):
    return _decide(chapter, ally_id, records.approve, "{name} is now an ally of the chapter.")


@bp.route("/<int:ally_id>/reject", methods=["POST"])
@chapter_view("coordinator")
def reject(chapter, ally_id):
    ally = get_owned(Ally, ally_id, chapter)
    back = url_for("allies.pending")
    ask = ask_first(f"Refuse the sign-up of {ally.name} and delete it?",
                    "Refuse and delete", back, note=AWAY_NOTE)
    if ask:
        return ask
    try:
        entry = records.reject(db.session, ally)
    except records.AllyError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    db.session.commit()
    deleted(entry, f"The sign-up of {ally.name} was refused and deleted.")
    return redirect(back)
