from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from coalition.allies import import_jobs
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


def _commit_form(job: ImportJob) -> CommitForm:
    form = CommitForm()
    form.replace.choices = ally_import.replace_choices(job)
    return form


@bp.route("/<int:import_id>")
@chapter_view("coordinator")
def show(chapter, import_id):
    job = get_owned(ImportJob, import_id, chapter)
    form = _commit_form(job)
    # The choices shown again after "Show what these choices change" (without JavaScript).
    if request.args.get("duplicates") in ("merge", "skip"):
        form.duplicates.data = request.args["duplicates"]
    valid = {value for value, _ in form.replace.choices}
    form.replace.data = [f for f in request.args.getlist("replace") if f in valid]
    report = job.load("report")
    return render_template(
        "imports/show.html", job=job, form=form, errors=job.load("errors"), report=report,
        mapping=job.load("mapping"), labels=ally_import.LABELS,
        summary=ally_import.choice_summary(report, form.duplicates.data, form.replace.data))


@bp.route("/<int:import_id>/commit", methods=["POST"])
@chapter_view("coordinator")
def commit(chapter, import_id):
    job = get_owned(ImportJob, import_id, chapter)
    form = _commit_form(job)
    if not form.validate_on_submit():
        flash("Choose what to do with rows that match existing records.", "error")
        return redirect(url_for("imports.show", import_id=job.id))
    if form.preview.data:
        return redirect(url_for("imports.show", import_id=job.id,
                                duplicates=form.duplicates.data, replace=form.replace.data or (),
                                _anchor="import-choices"))
    try:
        ally_import.start_import(db.session, job, form.duplicates.data)
    except ally_import.ImportFailed as exc:
        flash(str(exc), "error")
        return redirect(url_for("imports.show", import_id=import_id))
    db.session.commit()  # "queued" before the job can look
    import_jobs.run_import(job.id, g.membership.id, list(form.replace.data or ()))
    # A small import on an immediate queue, or a quick consumer, may be done already.
    db.session.expire_all()
    job = db.session.get(ImportJob, import_id)
    if job.status == "done":
        flash(ally_import.report_sentence(job.load("report")), "success")
    elif job.status == "failed":
        flash(ally_import.failure_sentence(job), "error")
    else:
        flash(f"Importing {job.total} rows: this page shows how far it has got.", "success")
    return redirect(url_for("imports.show", import_id=import_id))


@bp.route("/<int:import_id>/status.json")
@chapter_view("coordinator")
def status(chapter, import_id):
    job = get_owned(ImportJob, import_id, chapter)
    return jsonify(ally_import.status(job))
