from flask import Blueprint, g, jsonify, request

from coalition.models import Insurer
from coalition.picker import search
from coalition.platform.access import chapter_view, get_owned
from coalition.platform.extensions import db
from coalition.platform.ids import is_id

bp = Blueprint("search", __name__, url_prefix="/c/<slug>/search")


def _answer(kind: str, scope: dict | None = None):
    """The first matches of the typed ``q`` in the chapter, for the picker's suggestions."""
    q = request.args.get("q", "")[:100]
    matches = search.search(db.session, g.membership, kind, q, scope=scope)
    response = jsonify(results=[m.as_json() for m in matches])
    response.cache_control.private = True
    response.cache_control.no_store = True
    return response


def _view(kind: str):
    def view(chapter):
        return _answer(kind)
    view.__name__ = kind
    return chapter_view()(view)


# One route per kind (/c/<slug>/search/people?q=…): endpoints search.people, search.regions…
for _kind in search.KINDS:
    bp.add_url_rule(f"/{_kind}", endpoint=_kind, view_func=_view(_kind))


@bp.route("/contacts/<int:insurer_id>")
@chapter_view()
def contacts(chapter, insurer_id):
    """Colleagues at one insurer of the chapter (another chapter's insurer answers 404);
    ``contact`` names the contact being edited, left out with everyone below it."""
    insurer = get_owned(Insurer, insurer_id, chapter)
    contact = request.args.get("contact", type=int)
    return _answer("contacts", {"insurer_id": insurer.id, "contact": contact if is_id(contact) else None})
