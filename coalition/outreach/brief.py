"""The brief for a meeting about an issue: what it is, the ask and the fallback, its
history, the evidence, the committed allies by kind and the open tasks — as data for the
printable page and as a PDF (fpdf2, pure Python). The "counts only" variant names nobody
outside the chapter's members: allies, history and tasks as counts and kinds, for a brief
that leaves the room (patients' names stay in the chapter)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from coalition.insurers import issue_record
from coalition.models import ALLY_KINDS, COMMITTED_STANCES, Ally, Issue, IssueEvent, Stance
from coalition.models.outreach import Task
from coalition.outreach import evidence, tasks
from coalition.platform.templating import day


@dataclass
class Brief:
    issue: Issue
    events: list[IssueEvent]
    chart: evidence.Chart
    allies_by_kind: list[tuple[str, list[tuple[Ally, str]]]]
    open_tasks: list[Task]
    made_on: date
    counts_only: bool = False

    @property
    def ally_counts(self) -> list[tuple[str, int, int]]:
        """(kind, committed allies, of whom champions) per kind."""
        return [(kind, len(allies), sum(1 for _, label in allies if label == "Champion"))
                for kind, allies in self.allies_by_kind]

    @property
    def task_counts(self) -> list[tuple[str, int]]:
        return sorted(Counter(t.kind_label for t in self.open_tasks).items())


def build(session: Session, issue: Issue, today: date | None = None, *, counts_only: bool = False) -> Brief:
    stances = session.scalars(
        select(Stance).options(joinedload(Stance.ally)).where(
            Stance.chapter_id == issue.chapter_id, Stance.issue_id == issue.id,
            Stance.stance.in_(COMMITTED_STANCES))).all()
    by_kind: dict[str, list[tuple[Ally, str]]] = {}
    for s in stances:
        if s.ally.status == "active":
            by_kind.setdefault(s.ally.kind, []).append((s.ally, s.label))
    grouped = [(ALLY_KINDS.get(k, k), sorted(v, key=lambda p: (p[1] != "Champion", p[0].name)))
               for k, v in sorted(by_kind.items(), key=lambda kv: list(ALLY_KINDS).index(kv[0])
                                  if kv[0] in ALLY_KINDS else 99)]
    return Brief(issue=issue, events=issue_record.history(session, issue),
                 chart=evidence.chart(evidence.counts(session, issue)),
                 allies_by_kind=grouped, open_tasks=tasks.open_for_issue(session, issue),
                 made_on=today or date.today(), counts_only=counts_only)


# --- PDF -------------------------------------------------------------------------------

_REPLACE = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
            "\u2014": "-", "\u2026": "...", "\u2192": "->", "\u2022": "*", "\u00a0": " "}


def _latin1(text) -> str:
    """The PDF core fonts know Latin-1 only: map typographic characters, replace the rest."""
    text = "" if text is None else str(text)
    for old, new in _REPLACE.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


def pdf(brief: Brief) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    issue = brief.issue
    doc = FPDF(format="A4")
    doc.set_title(_latin1(f"Brief: {issue.title}"))
    doc.set_creator("Coalition")
    doc.set_auto_page_break(auto=True, margin=15)
    doc.add_page()
    width = doc.w - doc.l_margin - doc.r_margin

    def heading(text, size=13):
        doc.ln(3)
        doc.set_font("Helvetica", "B", size)
        doc.multi_cell(width, 7, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.set_font("Helvetica", "", 10)

    def para(text, style=""):
        doc.set_font("Helvetica", style, 10)
        doc.multi_cell(width, 5, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.set_font("Helvetica", "", 10)

    heading(issue.title, 17)
    para(f"Insurer: {issue.insurer.name}. Stage: {issue.stage_label}. "
         f"Category: {issue.category_label}. Brief of {day(brief.made_on)}."
         + (" Counts only: no names of allies or patients." if brief.counts_only else ""))

    heading("The ask")
    para(issue.desired_outcome or "Not defined yet.")
    heading("The fallback")
    para(issue.fallback or "Not defined yet.")
    if issue.description:
        heading("Background")
        para(issue.description)

    heading("Committed allies by kind")
    if brief.allies_by_kind and brief.counts_only:
        for kind, count, champions in brief.ally_counts:
            champ = "a champion" if champions == 1 else "champions"
            para(f"{kind}: {count} committed" + (f", {champions} of them {champ}" if champions else ""))
    elif brief.allies_by_kind:
        for kind, allies in brief.allies_by_kind:
            para(f"{kind}: " + ", ".join(f"{a.name} ({label.lower()}, influence {a.influence})"
                                         for a, label in allies))
    else:
        para("No ally has committed yet.")

    heading("Evidence")
    chart = brief.chart
    if chart.empty:
        para("No incident counts recorded.")
    else:
        for panel in chart.panels:
            para(f"{panel.label} per month", "B")
            peak = panel.max_value or 1
            for bar in panel.bars:
                y = doc.get_y()
                doc.set_font("Helvetica", "", 9)
                doc.cell(28, 5, _latin1(bar.label))
                doc.set_fill_color(60, 100, 150)
                length = (width - 50) * bar.value / peak
                if length > 0:
                    doc.rect(doc.l_margin + 30, y + 1, length, 3.5, style="F")
                doc.set_x(doc.l_margin + 32 + length)
                doc.cell(18, 5, str(bar.value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            doc.ln(1)

    heading("History")
    if brief.events and brief.counts_only:
        for e in brief.events:  # the summaries are free text, names and all
            para(f"{day(e.occurred_on)} - {e.kind_label}")
    elif brief.events:
        for e in brief.events:
            para(f"{day(e.occurred_on)} - {e.kind_label}: {e.summary}"
                 + (f" ({e.details})" if e.details else ""))
    else:
        para("Nothing recorded yet.")

    heading("Open tasks")
    if brief.open_tasks and brief.counts_only:
        para("; ".join(f"{kind}: {count}" for kind, count in brief.task_counts))
    elif brief.open_tasks:
        for t in brief.open_tasks:
            owner = t.owner.user.name if t.owner else "nobody yet"
            due = day(t.due_on) if t.due_on else "no due date"
            para(f"{t.kind_label}: {t.title} - {t.target_label}; {owner}; due {due}; "
                 f"{t.status_label.lower()}")
    else:
        para("No open task.")
    return bytes(doc.output())
