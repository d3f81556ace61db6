"""Insurers, the people inside them, and the chapter's issues with each insurer."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.models.base import Base, ChapterOwned, Trashable

CONTACT_ROLES = {
    "decision_maker": "Decision maker",
    "medical_director": "Medical director",
    "provider_relations": "Provider-relations representative",
    "network_manager": "Network manager",
    "other": "Other",
}

ISSUE_CATEGORIES = {
    "reimbursement_rate": "Reimbursement rate / fee schedule",
    "visit_cap": "Visit cap",
    "prior_authorization": "Prior authorisation",
    "claim_denial": "Claim denials",
    "narrow_network": "Closed or narrow network",
    "credentialing": "Credentialing delays",
    "payment_delay": "Payment delays",
    "other": "Other",
}

ISSUE_STAGES = {
    "relationship_building": "Relationship building",
    "preparation": "Preparation",
    "negotiation": "Negotiation",
    "escalation": "Escalation",
    "resolved_agreement": "Resolved: agreement",
    "resolved_partial": "Resolved: partial",
    "resolved_lost": "Resolved: lost",
    "withdrawn": "Withdrawn",
}

EVENT_KINDS = {
    "note": "Note",
    "meeting": "Meeting",
    "letter": "Letter or e-mail",
    "call": "Call",
    "complaint": "Complaint to the commissioner",
    "testimony": "Testimony",
    "insurer_action": "Insurer action",
    "stage_change": "Stage change",
    "stance_change": "Stance change",
    "other": "Other",
}


def split_list(text: str | None) -> list[str]:
    """Comma- or newline-separated text as a clean list."""
    if not text:
        return []
    parts = text.replace("\n", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


class Insurer(Trashable, ChapterOwned, Base):
    __tablename__ = "insurer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    plan_types: Mapped[str | None] = mapped_column(String(400))  # comma separated
    regions: Mapped[str | None] = mapped_column(String(400))  # comma separated
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)

    contacts: Mapped[list[InsurerContact]] = relationship(
        back_populates="insurer", cascade="all, delete-orphan", passive_deletes=True,
        order_by="InsurerContact.name",
    )
    issues: Mapped[list[Issue]] = relationship(back_populates="insurer")

    @property
    def region_list(self) -> list[str]:
        return split_list(self.regions)

    @property
    def plan_type_list(self) -> list[str]:
        return split_list(self.plan_types)


class InsurerContact(Trashable, ChapterOwned, Base):
    __tablename__ = "insurer_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    insurer_id: Mapped[int] = mapped_column(
        ForeignKey("insurer.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40), default="other")
    reports_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("insurer_contact.id", ondelete="SET NULL"), index=True
    )
    topics: Mapped[str | None] = mapped_column(String(400))  # comma separated
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text)

    insurer: Mapped[Insurer] = relationship(back_populates="contacts")
    reports_to: Mapped[InsurerContact | None] = relationship(
        remote_side="InsurerContact.id", back_populates="reports"
    )
    reports: Mapped[list[InsurerContact]] = relationship(back_populates="reports_to")

    @property
    def role_label(self) -> str:
        return CONTACT_ROLES.get(self.role, self.role)

    @property
    def topic_list(self) -> list[str]:
        return split_list(self.topics)


class Issue(Trashable, ChapterOwned, Base):
    __tablename__ = "issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    insurer_id: Mapped[int] = mapped_column(ForeignKey("insurer.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40), default="other")
    stage: Mapped[str] = mapped_column(String(40), default="relationship_building")
    description: Mapped[str | None] = mapped_column(Text)
    desired_outcome: Mapped[str | None] = mapped_column(Text)
    fallback: Mapped[str | None] = mapped_column(Text)
    coverage_gap_regions: Mapped[str | None] = mapped_column(String(400))  # comma separated
    unique_services: Mapped[str | None] = mapped_column(String(400))  # comma separated
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    insurer: Mapped[Insurer] = relationship(back_populates="issues")
    events: Mapped[list[IssueEvent]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(IssueEvent.occurred_on.desc(), IssueEvent.id.desc())",
    )

    @property
    def category_label(self) -> str:
        return ISSUE_CATEGORIES.get(self.category, self.category)

    @property
    def stage_label(self) -> str:
        return ISSUE_STAGES.get(self.stage, self.stage)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class IssueEvent(Trashable, ChapterOwned, Base):
    __tablename__ = "issue_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(40), default="note")
    summary: Mapped[str] = mapped_column(String(300))
    details: Mapped[str | None] = mapped_column(Text)

    issue: Mapped[Issue] = relationship(back_populates="events")

    @property
    def kind_label(self) -> str:
        return EVENT_KINDS.get(self.kind, self.kind)
