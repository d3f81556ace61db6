from flask import Blueprint, g, jsonify, request

from coalition.picker import search
from coalition.platform.access import chapter_view
from coalition.platform.extensions import db

bp = Blueprint("search", __name__, url_prefix="/c/<slug>/search")


def _answer(kind: str):
    """The first matches of the typed ``q`` in the chapter, for the picker's suggestions."""
    q = request.args.get("q", "")[:100]
    matches = search.search(db.session, g.membership, kind, q)
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
