"""The chapter's list of regions: adding, renaming and merging them.

Allies keep their region's name (``Ally.region``), which the map, the exports, the API and
the analysis read as before; a rename or a merge rewrites that name on every ally of the
region in the same save. Two names are the same region when they are equal without case
and extra spaces. The ally form and the API choose among the listed regions; an import and
the public sign-up page add the regions they bring (a coordinator merges any typo away).
The caller commits.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.models import Ally
from coalition.models.allies import Region
from coalition.picker.search import region_key
from coalition.platform.rules import RuleBroken

MAX_LENGTH = 120


class RegionError(RuleBroken):
    """A rule was broken (see coalition.platform.rules)."""


def tidy(name: str | None) -> str:
    return " ".join((name or "").split())


def find(session: Session, chapter_id: int, name: str | None) -> Region | None:
    key = region_key(name)
    if not key:
        return None
    return session.scalar(select(Region).where(Region.chapter_id == chapter_id, Region.name_key == key))


def known_name(session: Session, chapter_id: int, name: str | None) -> str | None:
    """The listed spelling of ``name``, or None when the chapter has no such region."""
    region = find(session, chapter_id, name)
    return region.name if region else None


def adopt(session: Session, chapter_id: int, name: str | None) -> str | None:
    """The listed spelling of ``name``, adding the region when it is new; None for blank."""
    if not tidy(name):
        return None
    region = find(session, chapter_id, name)
    if region is None:
        region = Region(chapter_id=chapter_id, name=tidy(name)[:MAX_LENGTH], name_key=region_key(name)[:MAX_LENGTH])
        session.add(region)
        session.flush()
    return region.name


def listing(session: Session, chapter_id: int) -> list[tuple[Region, int]]:
    """Every region of the chapter with its number of allies, by name."""
    counts = dict(session.execute(
        select(Ally.region, func.count(Ally.id)).where(Ally.chapter_id == chapter_id, Ally.region.is_not(None))
        .group_by(Ally.region)).all())
    rows = session.scalars(select(Region).where(Region.chapter_id == chapter_id)
                           .order_by(Region.name_key)).all()
    return [(r, counts.get(r.name, 0)) for r in rows]


def ally_count(session: Session, region: Region) -> int:
    """How many of the chapter's allies are in ``region``."""
    return session.scalar(select(func.count(Ally.id)).where(
        Ally.chapter_id == region.chapter_id, Ally.region == region.name)) or 0


def _checked_name(name: str | None) -> str:
    name = tidy(name)
    if not name:
        raise RegionError("Give the region a name.", "name")
    if len(name) > MAX_LENGTH:
        raise RegionError(f"A region's name has at most {MAX_LENGTH} characters.", "name")
    return name


def add(session: Session, chapter_id: int, name: str | None) -> Region:
    name = _checked_name(name)
    existing = find(session, chapter_id, name)
    if existing is not None:
        raise RegionError(f"“{existing.name}” is already in the list.", "name")
    region = Region(chapter_id=chapter_id, name=name, name_key=region_key(name))
    session.add(region)
    session.flush()
    return region


def _allies_in(session: Session, chapter_id: int, name: str) -> list[Ally]:
    return list(session.scalars(select(Ally).where(Ally.chapter_id == chapter_id, Ally.region == name)))


def rename(session: Session, region: Region, new_name: str | None) -> Region:
    """Rename the region and every ally's region with it."""
    name = _checked_name(new_name)
    other = find(session, region.chapter_id, name)
    if other is not None and other.id != region.id:
        raise RegionError(f"“{other.name}” is already in the list: merge the two instead.", "name")
    with session.no_autoflush:
        for ally in _allies_in(session, region.chapter_id, region.name):
            ally.region = name
    region.name, region.name_key = name, region_key(name)
    session.flush()
    return region


def merge(session: Session, gone: Region, kept: Region) -> int:
    """Move every ally of ``gone`` to ``kept`` and drop ``gone``; the number of allies moved."""
    if gone.chapter_id != kept.chapter_id:
        raise RegionError("Choose a region of this chapter.", "into")
    if gone.id == kept.id:
        raise RegionError("Choose another region to merge into.", "into")
    moved = _allies_in(session, gone.chapter_id, gone.name)
    for ally in moved:
        ally.region = kept.name
    session.delete(gone)
    session.flush()
    return len(moved)
