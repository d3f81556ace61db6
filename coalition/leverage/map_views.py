"""The chapter's ally map in the browser: the page, its JSON, saved layouts and exports.

Flask code only; the map itself is built by ``coalition.leverage.mapexport`` from the rows that
``coalition.leverage.loader`` reads, and the access paths come from ``coalition.leverage.network``.
"""
from datetime import date

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import BadRequest

from coalition.leverage import map_exports as exports
from coalition.leverage import map_layouts as layouts
from coalition.leverage import map_query as query
from coalition.leverage import map_service, power_map, power_service
from coalition.leverage.analysis import computer
from coalition.leverage.map_query import UnknownIssue
from coalition.platform.access import chapter_view, is_coordinator
from coalition.platform.extensions import db
from coalition.platform.page_cache import pages

bp = Blueprint("network", __name__, url_prefix="/c/<slug>/map")


def _settings() -> map_service.MapSettings:
    return map_service.MapSettings(
        today=date.today(),
        half_life_days=float(current_app.config["LEVERAGE_HALF_LIFE_DAYS"]),
        max_nodes=int(current_app.config["MAP_MAX_NODES"]),
    )


def _filters(chapter):
    try:
        return query.parse_filters(db.session, chapter, request.args)
    except UnknownIssue:
        abort(404)


def _node_links() -> dict[str, str]:
    """``{node type: address of its page with {} for the id}`` for the side panel, for the
    pages that exist (plain data: the map may be computed by a queue job)."""
    views = current_app.view_functions
    bases = {}
    for type_, endpoint, arg in (("ally", "allies.show", "ally_id"),
                                 ("insurer", "insurers.show", "insurer_id"),
                                 ("issue", "issues.show", "issue_id")):
        if endpoint in views:
            # Built once per type with a marker id, then filled in per node.
            bases[type_] = url_for(endpoint, **{arg: 999999999}).replace("999999999", "{}")
    return bases


@computer("map")
def _compute(key, subject: str, args: dict) -> dict:
    return map_service.compute_map(db.session, key.chapter_id, args)


@bp.route("/", endpoint="map")
@chapter_view()
def page(chapter):
    filters = _filters(chapter)
    return render_template(
        "network/map.html",
        filters=filters,
        choices=query.form_choices(db.session, chapter),
        formats=exports.formats(),
        filter_args=query.filter_args(filters),
        power_args={k: v for k, v in query.filter_args(filters).items() if k not in ("issue", "min_strength")},
    )


@bp.route("/data.json")
@chapter_view()
def data(chapter):
    def text():  # kept per data version and viewer, like the read pages
        filters = _filters(chapter)
        payload = map_service.cached_map_json(
            chapter.id, filters, _settings(),
            group=query.parse_group(request.args.get("group")), links=_node_links())
        payload["can_save_layout"] = is_coordinator()
        return current_app.json.dumps(payload)

    response = current_app.response_class(pages().serve(text), mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/layout", methods=["POST"])
@chapter_view("coordinator")
def save_layout(chapter):
    body = request.get_json(silent=True)
    if body is None:  # a plain form post: positions as JSON text
        import json

        try:
            body = {"positions": json.loads(request.form.get("positions") or "{}"),
                    "issue": request.form.get("issue")}
        except ValueError:
            raise BadRequest("positions must be JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("expected an object")
    issue = body.get("issue")
    try:
        filters = query.parse_filters(
            db.session, chapter, _Args(issue=str(issue) if issue not in (None, "") else ""))
    except UnknownIssue:
        abort(404)
    try:
        layout = layouts.save(db.session, chapter, filters.issue_id, body.get("positions", {}))
    except layouts.LayoutError as exc:
        db.session.rollback()
        return jsonify({"error": str(exc)}), 400
    db.session.commit()
    return jsonify({"saved": len(layout.position_map), "issue": filters.issue_id})


@bp.route("/power/<int:issue_id>", endpoint="power")
@chapter_view()
def power(chapter, issue_id: int):
    issue = power_service.chapter_issue(db.session, chapter, issue_id)
    if issue is None:
        abort(404)
    filters = _filters(chapter)
    bases = _node_links()

    def link(type_: str, ident: int):
        base = bases.get("ally" if type_ == "ally" else "insurer")
        return base.format(ident) if base else None

    found = power_service.people(db.session, chapter, issue, filters, link)
    return render_template(
        "network/power.html", issue=issue, filters=filters, grid=power_map.build(found),
        choices=query.form_choices(db.session, chapter), quadrants=power_map.QUADRANTS,
        high=power_map.HIGH_INFLUENCE, filtered=bool(filters.restricts_allies or filters.search),
        map_args=dict(query.filter_args(filters), issue=str(issue.id)))


class _Args(dict):
    """The few ``MultiDict`` methods ``parse_filters`` uses, over a plain dict."""

    def getlist(self, key):
        value = self.get(key)
        return [] if value in (None, "") else [value]


@bp.route("/export")
@chapter_view()
def export(chapter):
    filters = _filters(chapter)
    fmt = request.args.get("format") or next(iter(exports.formats()))
    if fmt not in exports.formats():
        abort(404)
    wants_details = request.args.get("include_contact_details") in ("1", "true", "on", "yes")
    if wants_details and not is_coordinator():
        abort(403)
    map_data = map_service.map_for_export(db.session, chapter, filters, _settings(),
                                          include_contact_details=wants_details)
    try:
        return exports.download(map_data, fmt, chapter.slug, filters, chapter_name=chapter.name)
    except exports.ExportUnavailable as exc:
        return render_template("errors/error.html", code=503, title="This format is not available",
                               text=str(exc)), 503
