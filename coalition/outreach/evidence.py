"""De-identified evidence for an issue: incident counts by kind and date (numbers and a
short source label, never patient details), and the server-drawn chart of them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.models import Issue
from coalition.models.outreach import EVIDENCE_KINDS, EvidenceCount
from coalition.models.trash import TrashEntry
from coalition.platform.rules import RuleBroken
from coalition.trash import service as trash

MAX_COUNT = 1_000_000


class EvidenceError(RuleBroken):
    """A rule was broken (see coalition.platform.rules)."""


def counts(session: Session, issue: Issue) -> list[EvidenceCount]:
    return list(session.scalars(select(EvidenceCount).where(
        EvidenceCount.chapter_id == issue.chapter_id, EvidenceCount.issue_id == issue.id)
        .order_by(EvidenceCount.observed_on, EvidenceCount.kind, EvidenceCount.id)))


def add(session: Session, issue: Issue, data: dict, today: date | None = None) -> EvidenceCount:
    kind = data.get("kind")
    if kind not in EVIDENCE_KINDS:
        raise EvidenceError("Choose a kind of incident from the list.", "kind")
    count = data.get("count")
    if not isinstance(count, int) or count < 0 or count > MAX_COUNT:
        raise EvidenceError("Give a whole number of incidents, 0 or more.", "count")
    observed = data.get("observed_on")
    if not isinstance(observed, date):
        raise EvidenceError("Give the date the count is for.", "observed_on")
    if observed > (today or date.today()):
        raise EvidenceError("The date cannot be in the future.", "observed_on")
    source = (data.get("source") or "").strip() or None
    row = EvidenceCount(chapter_id=issue.chapter_id, issue_id=issue.id, kind=kind,
                        observed_on=observed, count=count, source=source)
    session.add(row)
    return row


def remove(session: Session, row: EvidenceCount) -> TrashEntry:
    return trash.discard(session, row)


# --- the chart -------------------------------------------------------------------------

@dataclass
class Bar:
    month: str  # "2026-03"
    label: str  # "Mar 2026"
    value: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


@dataclass
class Panel:
    kind: str
    label: str
    bars: list[Bar]
    top: float = 0
    max_value: int = 0


@dataclass
class Chart:
    """Small multiples: one row of monthly bars per kind of incident, every bar labelled
    with its number, so nothing depends on colour."""

    months: list[str]
    month_labels: list[str]
    panels: list[Panel] = field(default_factory=list)
    width: int = 640
    height: int = 0
    table: list[dict] = field(default_factory=list)  # rows for the text alternative

    @property
    def empty(self) -> bool:
        return not self.panels


def _month_label(month: str) -> str:
    return date.fromisoformat(month + "-01").strftime("%b %Y")


PANEL_HEIGHT = 90
LABEL_WIDTH = 0
TOP_PAD = 22
BOTTOM_PAD = 22


def chart(rows: list[EvidenceCount]) -> Chart:
    """Totals per month and kind, laid out for an inline SVG."""
    totals: dict[tuple[str, str], int] = {}
    for row in rows:
        month = row.observed_on.strftime("%Y-%m")
        totals[(row.kind, month)] = totals.get((row.kind, month), 0) + row.count
    months = sorted({m for _, m in totals})
    result = Chart(months=months, month_labels=[_month_label(m) for m in months])
    if not months:
        return result
    kinds = [k for k in EVIDENCE_KINDS if any(k == kk for kk, _ in totals)]
    slot = (result.width - 20) / len(months)
    bar_width = max(4.0, min(48.0, slot * 0.6))
    for index, kind in enumerate(kinds):
        top = index * (PANEL_HEIGHT + TOP_PAD + BOTTOM_PAD)
        values = [totals.get((kind, m), 0) for m in months]
        peak = max(values) or 1
        panel = Panel(kind, EVIDENCE_KINDS[kind], [], top=top, max_value=max(values))
        for i, (month, value) in enumerate(zip(months, values, strict=False)):
            height = PANEL_HEIGHT * value / peak
            x = 10 + i * slot + (slot - bar_width) / 2
            panel.bars.append(Bar(month, _month_label(month), value, x=round(x, 1),
                                  y=round(top + TOP_PAD + PANEL_HEIGHT - height, 1),
                                  width=round(bar_width, 1), height=round(height, 1)))
        result.panels.append(panel)
    result.height = len(kinds) * (PANEL_HEIGHT + TOP_PAD + BOTTOM_PAD)
    result.table = [{"label": _month_label(m),
                     "values": [totals.get((k, m), 0) for k in kinds]} for m in months]
    return result
