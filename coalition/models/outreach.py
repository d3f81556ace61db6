"""Outreach and the negotiation record: tasks, touchpoints (the interaction log),
de-identified evidence counts and the hand-ticked part of the preparation checklist."""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.models.base import Base, ChapterOwned, Trashable

TASK_KINDS = {
    "call": "Call",
    "meeting": "Meeting",
    "letter": "Letter or e-mail",
    "testimony": "Testimony",
    "complaint": "Complaint to the commissioner",
    "petition": "Petition",
    "statement": "Public statement",
    "other": "Other",
}

TASK_STATUSES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "cancelled": "Cancelled",
}
OPEN_STATUSES = ("planned", "in_progress")

TASK_OUTCOMES = {
    "": "Not yet known",
    "committed": "Committed to support the issue",
    "interested": "Interested, not yet committed",
    "no_answer": "No answer",
    "declined": "Declined",
    "other": "Other",
}

TOUCHPOINT_CHANNELS = {
    "meeting": "Meeting in person",
    "call": "Phone or video call",
    "email": "E-mail or letter",
    "event": "Event or conference",
    "message": "Text message",
    "other": "Other",
}

EVIDENCE_KINDS = {
    "denial": "Claim denials",
    "prior_auth_delay": "Prior-authorisation delays",
    "visit_cap_hit": "Visit-cap hits",
    "payment_delay": "Payment delays",
}


class Task(Trashable, ChapterOwned, Base):
    """A planned action by a member towards an ally or an insurer contact, for an issue."""

    __tablename__ = "outreach_task"
    __table_args__ = (
        CheckConstraint("NOT (ally_id IS NOT NULL AND contact_id IS NOT NULL)",
                        name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="call")
    title: Mapped[str] = mapped_column(String(200))
    ally_id: Mapped[int | None] = mapped_column(
        ForeignKey("ally.id", ondelete="SET NULL"), index=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("insurer_contact.id", ondelete="SET NULL"), index=True)
    owner_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_notes: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    # The access path the task was created from ("member:3>ally:5>contact:2"), if any.
    path_key: Mapped[str | None] = mapped_column(String(400))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    issue = relationship("Issue")
    ally = relationship("Ally")
    contact = relationship("InsurerContact")
    owner = relationship("Membership")

    @property
    def kind_label(self) -> str:
        return TASK_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return TASK_STATUSES.get(self.status, self.status)

    @property
    def outcome_label(self) -> str:
        return TASK_OUTCOMES.get(self.outcome or "", self.outcome or "")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return (self.is_open and self.due_on is not None
                and self.due_on < (today or date.today()))

    @property
    def target_label(self) -> str:
        if self.ally is not None:
            return self.ally.name
        if self.contact is not None:
            return f"{self.contact.name} ({self.contact.insurer.name})"
        return "No one in particular"


class Touchpoint(Trashable, ChapterOwned, Base):
    """One logged contact along a relationship: who met whom (its two ends), when, how."""

    __tablename__ = "touchpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    relationship_id: Mapped[int] = mapped_column(
        ForeignKey("relationship.id", ondelete="CASCADE"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20), default="meeting")
    summary: Mapped[str] = mapped_column(String(300))

    relationship_ = relationship("Relationship")

    @property
    def channel_label(self) -> str:
        return TOUCHPOINT_CHANNELS.get(self.channel, self.channel)


class EvidenceCount(Trashable, ChapterOwned, Base):
    """A de-identified count of incidents for an issue: a number, a date, a short source
    label. Never patient details."""

    __tablename__ = "evidence_count"
    __table_args__ = (CheckConstraint("count >= 0", name="count_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    observed_on: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(60))

    @property
    def kind_label(self) -> str:
        return EVIDENCE_KINDS.get(self.kind, self.kind)


class PreparationTick(Trashable, ChapterOwned, Base):
    """A checklist item of an issue ticked by hand by a coordinator."""

    __tablename__ = "preparation_tick"
    __table_args__ = (UniqueConstraint("issue_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(40))
