"""``flask --app coalition export-map``: write one chapter's ally map to a file.

    flask --app coalition export-map --chapter SLUG --format FORMAT -o FILE
        [--issue ID] [--kind K ...] [--stance S ...] [--region R ...]
        [--min-strength N] [--search TEXT] [--include-contact-details]
        [--today YYYY-MM-DD]

Only the chapter's own rows are read (``loader.load_rows``), so nothing of
another chapter can appear. An unknown chapter, or an issue that is not the
chapter's, is an error with a non-zero exit status.
"""
from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from coalition.leverage.loader import load_contact_details, load_rows
from coalition.leverage.network.rows import ALLY_KINDS, STANCES
from coalition.models import Chapter
from coalition.platform.extensions import db

from . import FORMATS, MapFilters, build_map, export_chunks


@click.command("export-map")
@with_appcontext
@click.option("--chapter", "slug", required=True, help="Slug of the chapter to export.")
@click.option("--format", "fmt", required=True, type=click.Choice(list(FORMATS)), help="File format.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="File to write.")
@click.option("--issue", "issue_id", type=int, default=None,
              help="Only this issue: its insurer, contacts and the allies with a stance on it.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(ALLY_KINDS), help="Ally kind to keep (repeatable).")
@click.option("--stance", "stances", multiple=True, type=click.Choice(STANCES), help="Stance to keep (repeatable).")
@click.option("--region", "regions", multiple=True, help="Ally region to keep (repeatable).")
@click.option("--min-strength", type=click.IntRange(0, 5), default=0, show_default=True,
              help="Leave out relationships weaker than this.")
@click.option("--search", default="", help="Keep nodes whose label contains this, and their neighbours.")
@click.option("--include-contact-details", is_flag=True,
              help="Add e-mail and phone (never for allies without consent).")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date the links fade to (default: today).")
def export_map(slug, fmt, output, issue_id, kinds, stances, regions, min_strength, search,
               include_contact_details, today) -> None:
    """Export a chapter's ally map (GraphML, GEXF, Cytoscape, node-link, Kumu CSV, SVG, PNG, HTML)."""
    chapter = db.session.scalar(select(Chapter).where(Chapter.slug == slug))
    if chapter is None:
        raise click.ClickException(f"No chapter with slug {slug!r}.")
    rows = load_rows(db.session, chapter.id)
    if issue_id is not None and issue_id not in {i.id for i in rows.issues}:
        raise click.ClickException(f"Chapter {slug!r} has no issue {issue_id}.")
    details = load_contact_details(db.session, chapter.id) if include_contact_details else None
    filters = MapFilters(kinds=kinds, stances=stances, issue_id=issue_id, regions=regions,
                         min_strength=min_strength, search=search)
    map_data = build_map(rows, today.date() if today else date.today(), filters=filters,
                         include_contact_details=include_contact_details, contact_details=details)
    map_data.meta["chapter"] = chapter.name
    try:
        chunks = export_chunks(map_data, fmt)
    except RuntimeError as exc:  # a missing asset, e.g. cytoscape.js for html
        raise click.ClickException(str(exc)) from exc
    size = 0
    with open(output, "wb") as fh:  # written as it is made, never whole in memory
        for chunk in chunks:
            fh.write(chunk)
            size += len(chunk)
    click.echo(f"Wrote {len(map_data.nodes)} nodes and {len(map_data.edges)} links as {fmt} "
               f"to {output} ({size} bytes).")
