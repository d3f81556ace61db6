from flask import Blueprint, flash, redirect, render_template, url_for

from coalition.insurers import directory
from coalition.insurers.forms import ContactForm, InsurerForm
from coalition.models import Insurer, InsurerContact
from coalition.picker.fields import finding, ready
from coalition.platform.access import chapter_view, get_owned
from coalition.platform.extensions import db
from coalition.platform.forms import submit
from coalition.trash import service as trash
from coalition.trash.views import ask_before_deleting, deleted

bp = Blueprint("insurers", __name__, url_prefix="/c/<slug>/insurers")


@bp.route("/")
@chapter_view()
def index(chapter):
    return render_template("insurers/index.html",
                           rows=directory.insurer_rows(db.session, chapter))


@bp.route("/new", methods=["GET", "POST"])
@chapter_view("coordinator")
def create(chapter):
    form = InsurerForm()
    if form.validate_on_submit():
        insurer = directory.save_insurer(db.session, chapter, form.data)
        db.session.commit()
        flash(f"{insurer.name} added.", "success")
        return redirect(url_for("insurers.show", insurer_id=insurer.id))
    return render_template("insurers/form.html", form=form, insurer=None)


@bp.route("/<int:insurer_id>")
@chapter_view()
def show(chapter, insurer_id):
    insurer = get_owned(Insurer, insurer_id, chapter)
    contacts = directory.contacts_of(db.session, insurer)
    return render_template("insurers/show.html", insurer=insurer, contacts=contacts,
                           questions=trash.questions(db.session, [insurer, *contacts]),
                           chart=directory.org_chart(contacts),
                           issues=directory.issues_of(db.session, insurer))


@bp.route("/<int:insurer_id>/edit", methods=["GET", "POST"])
@chapter_view("coordinator")
def edit(chapter, insurer_id):
    insurer = get_owned(Insurer, insurer_id, chapter)
    form = InsurerForm(obj=insurer)
    if form.validate_on_submit():
        done = submit(form, lambda: directory.save_insurer(db.session, chapter, form.data, insurer),
                      field="name", message=lambda saved: f"{saved.name} saved.",
                      to=url_for("insurers.show", insurer_id=insurer.id))
        if done:
            return done
    return render_template("insurers/form.html", form=form, insurer=insurer)


@bp.route("/<int:insurer_id>/delete", methods=["POST"])
@chapter_view("coordinator")
def delete(chapter, insurer_id):
    insurer = get_owned(Insurer, insurer_id, chapter)
    back = url_for("insurers.show", insurer_id=insurer_id)
    try:
        # Refused before asking: no point confirming what cannot be done.
        trash.refuse_if_needed(db.session, insurer)
    except trash.TrashError as exc:
        flash(str(exc), "error")
        return redirect(back)
    ask = ask_before_deleting(insurer, f"Delete {insurer.name}", back)
    if ask:
        return ask
    entry = directory.delete_insurer(db.session, insurer)
    db.session.commit()
    deleted(entry)
    return redirect(url_for("insurers.index"))


def _contact_form(insurer, contact=None):
    form = ContactForm(obj=contact)
    manager = form.reports_to_id
    # Only this insurer's contacts are suggested and accepted; the suggestions also leave out
    # the contact itself and those below it (the directory refuses them with the reason).
    manager.scope = {"insurer_id": insurer.id, "contact": contact.id if contact else None}
    manager.unknown = (f"Choose someone at {insurer.name}: type part of their name, "
                       "then choose from the list.")
    manager.description = (f"Someone at {insurer.name}. Leave it empty if they report to nobody "
                           "or you don't know.")
    if not form.is_submitted():
        manager.data = directory.manager_value(contact)
    return form


def _save_contact(form, insurer, contact, message):
    """Validate and save; the cycle rule answers as a field error. Returns the redirect, or
    None to show the form again (a "Find" without JavaScript shows it with the matches)."""
    if finding(form) or not form.validate_on_submit():
        return None

    def save():
        data = dict(form.data, reports_to_id=directory.manager_id(form.reports_to_id.data))
        return directory.save_contact(db.session, insurer, data, contact)

    return submit(form, save, field="name", message=message,
                  to=url_for("insurers.show", insurer_id=insurer.id, _anchor="contacts"))


def _render_contact_form(form, insurer, contact):
    ready(form)  # the picker's options: the current manager, or the matches of a "Find"
    return render_template("insurers/contact_form.html", form=form, insurer=insurer,
                           contact=contact)


@bp.route("/<int:insurer_id>/contacts/new", methods=["GET", "POST"])
@chapter_view("coordinator")
def create_contact(chapter, insurer_id):
    insurer = get_owned(Insurer, insurer_id, chapter)
    form = _contact_form(insurer)
    done = _save_contact(form, insurer, None,
                         lambda saved: f"{saved.name} added to {insurer.name}.")
    if done:
        return done
    return _render_contact_form(form, insurer, None)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@chapter_view("coordinator")
def edit_contact(chapter, contact_id):
    contact = get_owned(InsurerContact, contact_id, chapter)
    insurer = contact.insurer
    form = _contact_form(insurer, contact)
    done = _save_contact(form, insurer, contact, lambda saved: f"{saved.name} saved.")
    if done:
        return done
    return _render_contact_form(form, insurer, contact)


@bp.route("/contacts/<int:contact_id>/delete", methods=["POST"])
@chapter_view("coordinator")
def delete_contact(chapter, contact_id):
    contact = get_owned(InsurerContact, contact_id, chapter)
    back = url_for("insurers.show", insurer_id=contact.insurer_id, _anchor="contacts")
    ask = ask_before_deleting(contact, f"Delete {contact.name}", back)
    if ask:
        return ask
    entry = directory.delete_contact(db.session, contact)
    db.session.commit()
    deleted(entry, f"Deleted {trash.describe(db.session, entry)}; anyone reporting to them "
                   "now reports one level up.")
    return redirect(back)
