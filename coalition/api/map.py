"""The ally network as a graph: the browser's map, as node-link JSON."""
from __future__ import annotations

import json
from datetime import date

from flask import current_app, g
from marshmallow import fields
from sqlalchemy import select

from coalition.api.core import bp, invalid
from coalition.api.fields import Input, Output, choice, ident, number, text
from coalition.models import ALLY_KINDS, STANCES, Issue
from coalition.platform.extensions import db

TAGS = ["Graph"]


class GraphQuerySchema(Input):
    issue_id = ident(body=False, description="The map of one issue.")
    kind = choice(ALLY_KINDS)
    stance = choice(STANCES)
    region = text(120, nullable=False)
    min_strength = number(1, 5, body=False)


class GraphSchema(Output):
    directed = fields.Boolean()
    multigraph = fields.Boolean()
    graph = fields.Dict()
    nodes = fields.List(fields.Dict())
    edges = fields.List(fields.Dict())


@bp.route("/graph", methods=["GET"], tags=TAGS)
@bp.arguments(GraphQuerySchema, location="query")
@bp.response(200, GraphSchema, description="Node-link JSON (networkx `node_link_data` style), "
                                           "contact details left out.")
def graph(args):
    """The ally network as node-link JSON

    The same map as the browser's export, without contact details."""
    from coalition.leverage import map_service
    from coalition.leverage.mapexport import MapFilters
    from coalition.leverage.mapexport.cyjs import write_nodelink

    issue_id = args.get("issue_id")
    if issue_id is not None and db.session.scalar(select(Issue.id).where(
            Issue.id == issue_id, Issue.chapter_id == g.chapter.id)) is None:
        raise invalid(issue_id="Not an issue of this chapter.")
    filters = MapFilters(
        kinds=(args["kind"],) if args.get("kind") else (),
        stances=(args["stance"],) if args.get("stance") else (),
        regions=(args["region"],) if args.get("region") else (),
        issue_id=issue_id, min_strength=args.get("min_strength") or 0)
    settings = map_service.MapSettings(
        today=date.today(), half_life_days=float(current_app.config["LEVERAGE_HALF_LIFE_DAYS"]))
    data = map_service.map_for_export(db.session, g.chapter, filters, settings)
    return json.loads(write_nodelink(data))
