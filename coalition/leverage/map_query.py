"""The map's filters as query arguments, shared by the page, the JSON and the exports.

``kind``, ``stance`` and ``region`` may repeat; ``issue`` is an issue id of the chapter;
``min_strength`` is 0-5; ``q`` searches the labels. Unknown kinds, stances and regions are
ignored rather than refused, so an old bookmark still opens. Only known values pass: the
filters become part of a stored cache key, which must not grow with whatever is typed
into an address (``q``, free text, is never stored: ``map_service``).
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from coalition.leverage.mapexport import MapFilters
from coalition.models import ALLY_KINDS, STANCES, Ally, Chapter, Issue

FILTER_ARGS = ("kind", "stance", "issue", "region", "min_strength", "q")


class UnknownIssue(LookupError):
    """The ``issue`` argument names no issue of this chapter."""


def _int(value, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


def parse_filters(session: Session, chapter: Chapter, args: MultiDict) -> MapFilters:
    issue_id = None
    raw_issue = (args.get("issue") or "").strip()
    if raw_issue:
        if not raw_issue.isdigit():
            raise UnknownIssue(raw_issue)
        issue_id = session.scalar(
            select(Issue.id).where(Issue.id == int(raw_issue), Issue.chapter_id == chapter.id))
        if issue_id is None:
            raise UnknownIssue(raw_issue)
    return MapFilters(
        kinds=tuple(k for k in dict.fromkeys(args.getlist("kind")) if k in ALLY_KINDS),
        stances=tuple(s for s in dict.fromkeys(args.getlist("stance")) if s in STANCES),
        issue_id=issue_id,
        regions=_known_regions(session, chapter, args.getlist("region")),
        min_strength=_int(args.get("min_strength"), 0, 0, 5),
        search=(args.get("q") or "").strip()[:100],
    )


def _known_regions(session: Session, chapter: Chapter, asked: list[str]) -> tuple[str, ...]:
    """The asked regions that some active ally of the chapter is in, in the order asked."""
    wanted = [r for r in dict.fromkeys(r.strip() for r in asked) if r][:50]
    if not wanted:
        return ()
    known = set(session.scalars(
        select(Ally.region).where(Ally.chapter_id == chapter.id, Ally.status == "active",
                                  Ally.region.in_(wanted)).distinct()))
    return tuple(r for r in wanted if r in known)


# Overview groups (``map_elements.group_key``): ally kinds and the other node types.
GROUPS = frozenset({f"kind:{k}" for k in ALLY_KINDS} | {"kind:other"}
                   | {f"type:{t}" for t in ("member", "ally", "contact", "insurer", "issue")})


def parse_group(value: str | None) -> str | None:
    """The overview group to expand, if it is one (anything else expands nothing)."""
    return value if value in GROUPS else None


def filter_args(filters: MapFilters) -> dict[str, list[str] | str]:
    """The query arguments that reproduce ``filters`` (for links to the exports)."""
    out: dict[str, list[str] | str] = {}
    if filters.kinds:
        out["kind"] = list(filters.kinds)
    if filters.stances:
        out["stance"] = list(filters.stances)
    if filters.issue_id is not None:
        out["issue"] = str(filters.issue_id)
    if filters.regions:
        out["region"] = list(filters.regions)
    if filters.min_strength:
        out["min_strength"] = str(filters.min_strength)
    if filters.search:
        out["q"] = filters.search
    return out


def form_choices(session: Session, chapter: Chapter) -> dict:
    """What the filter form offers: the chapter's issues and the regions of its allies."""
    issues = session.execute(
        select(Issue.id, Issue.title).where(Issue.chapter_id == chapter.id)
        .order_by(Issue.title, Issue.id)).all()
    regions = session.scalars(
        select(Ally.region).where(Ally.chapter_id == chapter.id, Ally.status == "active",
                                  Ally.region.is_not(None), Ally.region != "")
        .distinct().order_by(Ally.region)).all()
    return {"issues": issues, "regions": regions, "kinds": ALLY_KINDS, "stances": STANCES}
