"""An ally's privacy rights, exercised by a coordinator: the data export and erasure."""
import json

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from coalition.models import Ally
from coalition.platform.access import chapter_view, get_owned
from coalition.platform.extensions import db
from coalition.privacy import rights as privacy

bp = Blueprint("privacy", __name__, url_prefix="/c/<slug>/allies/<int:ally_id>")


class EraseForm(FlaskForm):
    confirm = BooleanField(
        "I understand: the record, its stances, relationships and tasks are deleted for good.",
        validators=[DataRequired("Tick the box to confirm.")])


@bp.route("/data.json")
@chapter_view("coordinator")
def export(chapter, ally_id):
    ally = get_owned(Ally, ally_id, chapter, with_trash=True)  # a right holds in the Trash too
    data = privacy.export_ally(db.session, chapter, ally)
    body = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="ally-{ally.id}-data.json"'})


@bp.route("/erase", methods=["GET", "POST"])
@chapter_view("coordinator")
def erase(chapter, ally_id):
    ally = get_owned(Ally, ally_id, chapter, with_trash=True)  # a right holds in the Trash too
    form = EraseForm()
    if form.validate_on_submit():
        name = ally.name
        privacy.erase_ally(db.session, chapter, ally)
        db.session.commit()
        flash(f"{name} was erased. Only a keyed fingerprint of the e-mail address is kept, so "
              "that imports and sign-ups do not bring the record back.", "success")
        return redirect(url_for("allies.index"))
    return render_template("privacy/erase.html", ally=ally, form=form)
