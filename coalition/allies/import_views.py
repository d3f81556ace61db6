from flask import Blueprint, flash, g, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from coalition.allies import importer as ally_import
from coalition.allies.import_forms import CommitForm, UploadForm
from coalition.models.imports import ImportJob
from coalition.platform.access import chapter_view, get_owned
from coalition.platform.extensions import db

bp = Blueprint("imports", __name__, url_prefix="/c/<slug>/imports")


@bp.route("/", methods=["GET", "POST"])
@chapter_view("coordinator")
def index(chapter):
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            job = ally_import.parse_upload(db.session, chapter.id, form.kind.data,
                                           upload.filename or "", upload.read(),
                                           current_user.id)
        except ally_import.ImportFileError as exc:
            form.file.errors.append(str(exc))
        else:
            db.session.commit()
            return redirect(url_for("imports.show", import_id=job.id))
    jobs = db.session.scalars(select(ImportJob).where(ImportJob.chapter_id == chapter.id)
                              .order_by(ImportJob.id.desc()).limit(20)).all()
    return render_template("imports/index.html", form=form, jobs=jobs)


@bp.route("/<int:import_id>")
@chapter_view("coordinator")
def show(chapter, import_id):
    job = get_owned(ImportJob, import_id, chapter)
    return render_template("imports/show.html", job=job, form=CommitForm(),
                           errors=job.load("errors"), report=job.load("report"),
                           mapping=job.load("mapping"), labels=ally_import.LABELS)


@bp.route("/<int:import_id>/commit", methods=["POST"])
@chapter_view("coordinator")
def commit(chapter, import_id):
    job = get_owned(ImportJob, import_id, chapter)
    form = CommitForm()
    if not form.validate_on_submit():
        flash("Choose what to do with rows that match existing records.", "error")
        return redirect(url_for("imports.show", import_id=job.id))
    try:
        report = ally_import.run_import(db.session, job, form.duplicates.data,
                                        owner_member_id=g.membership.id)
    except ally_import.ImportFailed as exc:
        flash(str(exc), "error")
    else:
        flash(f"Imported: {report['created']} created, {report['merged']} merged, "
              f"{report['skipped']} skipped.", "success")
    return redirect(url_for("imports.show", import_id=import_id))


@bp.route("/<int:import_id>/status.json")
@chapter_view("coordinator")
def status(chapter, import_id):
    job = get_owned(ImportJob, import_id, chapter)
    return jsonify(ally_import.status(job))
