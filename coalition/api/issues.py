"""Issues: what a chapter wants an insurer to change, and the leverage it has for it."""
from __future__ import annotations

from flask import g
from marshmallow import INCLUDE, fields, post_dump

from coalition.api.core import (
    PageArgs,
    bp,
    commit,
    coordinators_only,
    get_row,
    merged,
    no_content,
    page_of,
    paginate,
    seen_version,
)
from coalition.api.fields import (
    Day,
    Input,
    Output,
    Patch,
    Tracked,
    choice,
    ident,
    name,
    one_of,
    text,
    version,
)
from coalition.insurers import issue_record
from coalition.models import ISSUE_CATEGORIES, ISSUE_STAGES, Issue
from coalition.platform.extensions import db

TAGS = ["Issues"]


class IssueInputSchema(Input):
    title = name()
    insurer_id = ident(required=True)
    category = choice(ISSUE_CATEGORIES)
    stage = choice(ISSUE_STAGES)
    description = text()
    desired_outcome = text()
    fallback = text()
    coverage_gap_regions = text(400, description="Separated by commas.")
    unique_services = text(400, description="Separated by commas.")
    opened_on = Day(allow_none=True, metadata={"description": "Today unless given."})
    closed_on = Day(allow_none=True, metadata={"description": "Empty while the issue is open."})


class IssuePatchSchema(Patch, IssueInputSchema):
    version = version()
    why = text(description="Why the stage changed; kept in the history.")


class IssueQuerySchema(PageArgs):
    status = choice(["open", "closed", "all"], description="`open` unless given.")
    stage = choice(ISSUE_STAGES)
    category = choice(ISSUE_CATEGORIES)
    insurer_id = ident(body=False)


class IssueSchema(Tracked):
    id = fields.Integer()
    insurer_id = fields.Integer()
    title = fields.String()
    category = one_of(ISSUE_CATEGORIES)
    stage = one_of(ISSUE_STAGES)
    description = fields.String(allow_none=True)
    desired_outcome = fields.String(allow_none=True)
    fallback = fields.String(allow_none=True)
    coverage_gap_regions = fields.String(allow_none=True)
    unique_services = fields.String(allow_none=True)
    opened_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    is_open = fields.Boolean()
    version = fields.Integer()


class LeverageSchema(Output):
    """Free-form: the analysis as the leverage service computes it."""

    class Meta:
        unknown = INCLUDE
        description = ("The leverage analysis of the issue: its score explained by ally kinds, "
                       "commitment, access paths and structural factors.")

    @post_dump(pass_original=True)
    def _all_of_it(self, data, original, **kwargs):
        return dict(original)


@bp.route("/issues", methods=["GET"], tags=TAGS)
@bp.arguments(IssueQuerySchema, location="query")
@bp.response(200, page_of(IssueSchema))
def list_issues(args):
    """List issues"""
    filters = issue_record.IssueFilters(
        status=args.get("status", "open"), stage=args.get("stage", ""),
        category=args.get("category", ""), insurer_id=args.get("insurer_id"))
    return paginate(issue_record.issues_query(g.chapter, filters), Issue, args)


@bp.route("/issues", methods=["POST"], tags=TAGS)
@bp.arguments(IssueInputSchema)
@bp.response(201, IssueSchema)
@coordinators_only
def create_issue(data):
    """Open an issue"""
    issue = issue_record.create_issue(db.session, g.chapter, data)
    db.session.commit()
    return issue


@bp.route("/issues/<int:issue_id>", methods=["GET"], tags=TAGS)
@bp.response(200, IssueSchema)
def get_issue(issue_id):
    """One issue"""
    return get_row(Issue, issue_id)


@bp.route("/issues/<int:issue_id>", methods=["PATCH"], tags=TAGS)
@bp.arguments(IssuePatchSchema)
@bp.response(200, IssueSchema)
@coordinators_only
def update_issue(data, issue_id):
    """Change an issue

    A stage change is written to the issue's history, with `why`."""
    issue = get_row(Issue, issue_id)
    version = seen_version(data)
    why = data.pop("why", None)
    issue_record.update_issue(db.session, g.chapter, issue,
                              merged(issue, IssueInputSchema, data), version, why)
    commit()
    return issue


@bp.route("/issues/<int:issue_id>", methods=["DELETE"], tags=TAGS)
@bp.response(204, description="Done; no content.")
@coordinators_only
def delete_issue(issue_id):
    """Delete an issue

    It goes to the chapter's Trash with its history, stances, tasks and evidence; a coordinator
    can restore them for 30 days."""
    issue = get_row(Issue, issue_id)
    issue_record.delete_issue(db.session, issue)
    db.session.commit()
    return no_content()


@bp.route("/issues/<int:issue_id>/leverage", methods=["GET"], tags=TAGS)
@bp.response(200, LeverageSchema)
def issue_leverage(issue_id):
    """The leverage analysis of an issue"""
    from coalition.leverage.analysis import cache

    issue = get_row(Issue, issue_id)
    return cache.issue(g.chapter.id, issue.id)
