from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from coalition.allies import relationships as book
from coalition.allies.relationship_forms import RelationshipForm
from coalition.models import RELATIONSHIP_KINDS, Relationship
from coalition.picker.fields import finding, ready
from coalition.platform.access import chapter_view, get_owned, is_coordinator, require_edit
from coalition.platform.extensions import db
from coalition.platform.forms import submit
from coalition.platform.rules import VersionConflict
from coalition.trash import service as trash
from coalition.trash.views import ask_before_deleting, deleted

bp = Blueprint("relationships", __name__, url_prefix="/c/<slug>/relationships")


def _safe_next(value: str | None) -> str | None:
    """Only same-site paths (no scheme, no host) are followed after saving."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


@bp.route("/")
@chapter_view()
def index(chapter):
    kind = request.args.get("kind", "")
    kind = kind if kind in RELATIONSHIP_KINDS else ""
    try:
        min_strength = min(max(int(request.args.get("min_strength", "")), 1), 5)
    except ValueError:
        min_strength = None
    stale = request.args.get("stale") == "1"
    page_no = request.args.get("page", 1, type=int)
    page = db.paginate(book.listing(chapter.id, kind, min_strength, stale), page=page_no,
                       per_page=current_app.config["ALLIES_PER_PAGE"], error_out=False)
    rows = [(rel, *book.ends(rel)) for rel in page.items]
    args = {k: v for k, v in {"kind": kind, "min_strength": min_strength or "",
                              "stale": "1" if stale else ""}.items() if v}
    return render_template("relationships/index.html", page=page, rows=rows, kind=kind,
                           questions=trash.questions(db.session, page.items, "Remove"),
                           kinds=RELATIONSHIP_KINDS,
                           min_strength=min_strength, stale=stale, args=args,
                           stale_before=book.stale_before())


def _form(chapter, rel: Relationship | None = None) -> RelationshipForm:
    form = RelationshipForm(obj=rel)
    # A coordinator may say who declared the link; a form embedded in another page (the
    # quick-add on an ally's page) sends no owner, and then whoever adds it declares it.
    sent_without_owner = request.method == "POST" and "owner" not in request.form
    # A link whose owner left the chapter has none: it keeps none unless one is chosen.
    form.set_choices(is_coordinator() and not sent_without_owner,
                     not_recorded=rel is not None and rel.owner_member_id is None)
    return form


def _data(form: RelationshipForm) -> dict:
    return {name: getattr(form, name).data
            for name in ("a", "b", "kind", "strength", "since", "last_contact", "notes")}


@bp.route("/new", methods=["GET", "POST"])
@chapter_view()
def create(chapter):
    form = _form(chapter)
    if request.method == "GET":
        form.a.data = request.args.get("a") or f"member:{g.membership.id}"
        form.b.data = request.args.get("b") or ""
        if "owner" in form:
            form.owner.data = g.membership.id
    next_url = _safe_next(request.values.get("next"))
    if not finding(form) and form.validate_on_submit():
        owner = form.owner.data if "owner" in form else g.membership.id
        done = submit(form, lambda: book.create(db.session, chapter.id, _data(form), owner),
                      field="b", message="The relationship was saved.",
                      to=next_url or url_for("relationships.index"))
        if done:
            return done
    ready(form)
    return render_template("relationships/form.html", form=form, rel=None, next_url=next_url)


@bp.route("/<int:relationship_id>/edit", methods=["GET", "POST"])
@chapter_view()
def edit(chapter, relationship_id):
    rel = get_owned(Relationship, relationship_id, chapter)
    require_edit(rel)
    form = _form(chapter, rel)
    if request.method == "GET":
        form.a.data = "{}:{}".format(*rel.endpoint("a"))
        form.b.data = "{}:{}".format(*rel.endpoint("b"))
        if "owner" in form:
            form.owner.data = rel.owner_member_id
    conflict = None
    next_url = _safe_next(request.values.get("next"))
    if not finding(form) and form.validate_on_submit():
        owner = form.owner.data if "owner" in form else None
        try:
            done = submit(form, lambda: book.update(db.session, rel, _data(form), form.version.data, owner),
                          field="b", message="The relationship was saved.",
                          to=next_url or url_for("relationships.index"))
        except VersionConflict:
            rel = get_owned(Relationship, relationship_id, chapter)  # the saved values, fresh
            conflict = book.differences(db.session, rel, _data(form))
            form.version.data = rel.version
        else:
            if done:
                return done
    ready(form)
    return render_template("relationships/form.html", form=form, rel=rel, conflict=conflict,
                           next_url=next_url)


@bp.route("/<int:relationship_id>/delete", methods=["POST"])
@chapter_view()
def delete(chapter, relationship_id):
    rel = get_owned(Relationship, relationship_id, chapter)
    require_edit(rel)
    back = _safe_next(request.form.get("next")) or url_for("relationships.index")
    ask = ask_before_deleting(rel, "Remove relationship", back, verb="Remove")
    if ask:
        return ask
    entry = book.remove(db.session, rel)
    db.session.commit()
    deleted(entry)
    return redirect(back)
