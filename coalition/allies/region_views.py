"""The coordinators' page of the chapter's regions: add, rename, merge (coalition.allies.regions)."""
from flask import Blueprint, redirect, render_template, request, url_for
from wtforms.fields.choices import SelectChoice

from coalition.allies import regions
from coalition.allies.region_forms import MergeForm, RegionForm
from coalition.models.allies import Region
from coalition.platform.access import chapter_view, get_owned
from coalition.platform.extensions import db
from coalition.platform.forms import submit

bp = Blueprint("regions", __name__, url_prefix="/c/<slug>/regions")


def _allies(n: int) -> str:
    return f"{n} ally" if n == 1 else f"{n} allies"


@bp.route("/", methods=["GET", "POST"])
@chapter_view("coordinator")
def index(chapter):
    form = RegionForm()
    if form.validate_on_submit():
        done = submit(form, lambda: regions.add(db.session, chapter.id, form.name.data), field="name",
                      message=lambda r: f"“{r.name}” was added to the regions.", to=url_for("regions.index"))
        if done:
            return done
    status = 400 if form.errors else 200
    return render_template("regions/index.html", form=form,
                           rows=regions.listing(db.session, chapter.id)), status


def _merge_form(chapter, region, formdata=None) -> MergeForm:
    # Asked by GET (the choice) and answered by POST (the confirmation, with its token).
    form = MergeForm(formdata=formdata, meta={"csrf": False} if request.method == "GET" else {})
    others = [(r, n) for r, n in regions.listing(db.session, chapter.id) if r.id != region.id]
    form.into.choices = [SelectChoice("", "Choose…")] + [
        SelectChoice(r.id, f"{r.name} ({_allies(n)})") for r, n in others]
    return form


def _edit_page(chapter, region, form=None, merge=None, status=200):
    count = regions.ally_count(db.session, region)
    form = form or RegionForm(formdata=None, obj=region)
    merge = merge or _merge_form(chapter, region, formdata=None)
    return render_template("regions/edit.html", region=region, count=count, form=form,
                           merge=merge), status


@bp.route("/<int:region_id>", methods=["GET", "POST"])
@chapter_view("coordinator")
def edit(chapter, region_id):
    """Rename a region: every ally of it follows."""
    region = get_owned(Region, region_id, chapter)
    form = RegionForm(obj=region)
    if form.validate_on_submit():
        old = region.name
        done = submit(form, lambda: regions.rename(db.session, region, form.name.data), field="name",
                      message=lambda r: f"“{old}” is now “{r.name}”, for every ally of it.",
                      to=url_for("regions.index"))
        if done:
            return done
    return _edit_page(chapter, region, form=form, status=400 if form.errors else 200)


@bp.route("/<int:region_id>/merge", methods=["GET", "POST"])
@chapter_view("coordinator")
def merge(chapter, region_id):
    """Move a region's allies to another region and drop it. The region page's choice comes
    here by GET, which asks first (no undo); the answer's POST merges."""
    region = get_owned(Region, region_id, chapter)
    if "into" not in request.values:  # nothing chosen yet: the region's page has the choice
        return redirect(url_for("regions.edit", region_id=region.id))
    form = _merge_form(chapter, region, formdata=request.values)
    if not form.validate():  # shown again with the reason beside the field
        return _edit_page(chapter, region, merge=form)
    kept = get_owned(Region, form.into.data, chapter)
    if request.method == "GET" or request.form.get("confirmed") != "yes":
        count = regions.ally_count(db.session, region)
        return render_template("regions/merge.html", region=region, kept=kept, count=count, form=form)
    gone = region.name
    return submit(form, lambda: regions.merge(db.session, region, kept), field="into",
                  message=lambda n: f"“{gone}” was merged into “{kept.name}” ({_allies(n)} moved).",
                  to=url_for("regions.index")) or _edit_page(chapter, region, merge=form)
