"""The association above the chapters: shared insurer profiles, campaigns and introductions.

Nothing here holds an ally: these rows carry what chapters chose to share (an insurer's
national profile, the contacts a chapter shared into it, its issue's participation in a
campaign, notes) and the numbers ``coalition.association.facts`` derives from each chapter's
own analysis.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.models.base import Base, utcnow

CAMPAIGN_STATUSES = {"active": "Active", "won": "Won", "closed": "Closed"}
INTRODUCTION_STATUSES = {
    "pending": "Waiting for an answer",
    "accepted": "Accepted",
    "declined": "Declined",
    "withdrawn": "Withdrawn",
}
# Who may be shared into a profile: the people who decide, never allies.
SHAREABLE_ROLES = ("decision_maker", "medical_director")


class InsurerProfile(Base):
    """An insurer as the association knows it, across the chapters' own insurer records."""

    __tablename__ = "insurer_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    parent_company: Mapped[str | None] = mapped_column(String(200))
    lines_of_business: Mapped[str | None] = mapped_column(String(400))  # comma separated
    states: Mapped[str | None] = mapped_column(String(400))  # comma separated
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    contacts: Mapped[list[SharedContact]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="SharedContact.name")


class ProfileLink(Base):
    """A chapter's own insurer record is the association's profile P (one profile each)."""

    __tablename__ = "profile_link"
    __table_args__ = (UniqueConstraint("chapter_id", "insurer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("insurer_profile.id", ondelete="CASCADE"),
                                            index=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    insurer_id: Mapped[int] = mapped_column(ForeignKey("insurer.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class SharedContact(Base):
    """A person at the insurer (a decision maker, a medical director) on the national profile.
    Chapters link their own contact records to it (``ContactShare``)."""

    __tablename__ = "shared_contact"
    __table_args__ = (UniqueConstraint("profile_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("insurer_profile.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40), default="decision_maker")
    reports_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("shared_contact.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    profile: Mapped[InsurerProfile] = relationship(back_populates="contacts")
    reports_to: Mapped[SharedContact | None] = relationship(remote_side=[id])


class ContactShare(Base):
    """Chapter C shared its contact record X as the profile's person P."""

    __tablename__ = "contact_share"
    __table_args__ = (UniqueConstraint("chapter_id", "contact_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shared_contact_id: Mapped[int] = mapped_column(
        ForeignKey("shared_contact.id", ondelete="CASCADE"), index=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("insurer_contact.id", ondelete="CASCADE"), index=True)
    shared_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    shared_contact: Mapped[SharedContact] = relationship()


class Campaign(Base):
    """An association-level effort on one insurer policy that chapters' issues join."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("insurer_profile.id", ondelete="RESTRICT"),
                                            index=True)
    title: Mapped[str] = mapped_column(String(200))
    policy: Mapped[str | None] = mapped_column(Text)
    talking_points: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    profile: Mapped[InsurerProfile] = relationship()

    @property
    def status_label(self) -> str:
        return CAMPAIGN_STATUSES.get(self.status, self.status)


class CampaignIssue(Base):
    """A chapter's issue taking part in a campaign. Leaving keeps the row (``left_at``) so
    the campaign's timeline says who was in it and when."""

    __tablename__ = "campaign_issue"
    __table_args__ = (
        Index("ix_campaign_issue_active", "campaign_id", "chapter_id", "left_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    joined_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    left_at: Mapped[datetime | None] = mapped_column(DateTime)
    left_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class CampaignNote(Base):
    """A note or talking point a chapter shares with the campaign (no ally names: the form
    says so, and a coordinator writes it on purpose)."""

    __tablename__ = "campaign_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    chapter_id: Mapped[int | None] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Introduction(Base):
    """One chapter asks another, which has a path to a shared contact, to make the approach."""

    __tablename__ = "introduction"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    shared_contact_id: Mapped[int] = mapped_column(
        ForeignKey("shared_contact.id", ondelete="CASCADE"), index=True)
    from_chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"),
                                                 index=True)
    to_chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reply: Mapped[str | None] = mapped_column(Text)
    # The task the accepting chapter planned on its own path: only that chapter reads it.
    task_id: Mapped[int | None] = mapped_column(ForeignKey("outreach_task.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign] = relationship()
    shared_contact: Mapped[SharedContact] = relationship()

    @property
    def status_label(self) -> str:
        return INTRODUCTION_STATUSES.get(self.status, self.status)


class SharedFacts(Base):
    """What one chapter's issue shares with the association, as computed from the chapter's
    analysis at one data version: numbers, a stage, words about the gap, path strengths to
    shared contacts. The association's pages read these rows, never the chapter's."""

    __tablename__ = "shared_facts"
    __table_args__ = (UniqueConstraint("chapter_id", "issue_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chapter_id: Mapped[int] = mapped_column(ForeignKey("chapter.id", ondelete="CASCADE"), index=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    data_version: Mapped[int] = mapped_column(Integer)
    facts: Mapped[dict] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
