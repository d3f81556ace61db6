"""Allies, their stances on issues, and the relationships that tie people together."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coalition.models.base import Base, ChapterOwned, Trashable
from coalition.models.insurers import split_list

ALLY_KINDS = {
    "patient": "Patient",
    "regulator": "Insurance commissioner / regulator",
    "patient_org": "Patient organisation",
    "support_group": "Support group",
    "medical": "Medical community",
    "legislator": "Legislator",
    "media": "Media / public",
    "employer": "Employer",
    "other": "Other",
}

STANCES = {
    "champion": "Champion",
    "supporter": "Supporter",
    "neutral": "Neutral",
    "unknown": "Unknown",
    "opposed": "Opposed",
}
COMMITTED_STANCES = ("champion", "supporter")

RELATIONSHIP_KINDS = {
    "knows": "Knows",
    "member_of": "Belongs to organisation",
    "refers_to": "Refers patients to",
    "treats": "Treats (clinician of)",
    "works_with": "Works with",
    "reports_to": "Reports to",
    "oversees": "Oversees",
    "family": "Family",
    "other": "Other",
}

ENDPOINT_TYPES = ("member", "ally", "contact")

ALLY_STATUSES = ("active", "pending")


class Region(ChapterOwned, Base):
    """One of the chapter's regions. Allies keep the region's name in ``Ally.region`` (read by
    the map, exports, the API and the leverage analysis as before); renaming and merging here
    rewrite those names in the same save, so every ally names a region of this list."""

    __tablename__ = "region"
    __table_args__ = (UniqueConstraint("chapter_id", "name_key", name="uq_region_chapter_id_name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The name trimmed, inner spaces collapsed and lower-cased: "Portland  metro" = "Portland Metro".
    name_key: Mapped[str] = mapped_column(String(120))


class Ally(Trashable, ChapterOwned, Base):
    __tablename__ = "ally"

    id: Mapped[int] = mapped_column(primary_key=True)
    is_organisation: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), default="other", index=True)
    organisation: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(120), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    influence: Mapped[int] = mapped_column(Integer, default=3)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[datetime | None] = mapped_column(DateTime)
    consent_method: Mapped[str | None] = mapped_column(String(300))  # how it was given
    # The exact wording agreed to (coalition.models.security.ConsentNotice).
    consent_notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent_notice.id", ondelete="SET NULL"))
    notes: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[str | None] = mapped_column(String(400))  # comma separated
    # Sign-ups from the public page wait for a coordinator: status "pending".
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    # The account this ally record belongs to, when a chapter member signed up as an ally.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("influence BETWEEN 1 AND 5", name="influence_range"),
        # For the pages of a 10,000-ally chapter (read from the index alone where possible):
        # the region filter's choices, the list by name, the dashboard's newest allies.
        Index("ix_ally_chapter_status_region", "chapter_id", "status", "trash_id", "region"),
        Index("ix_ally_chapter_status_name", "chapter_id", "status", "name"),
        Index("ix_ally_chapter_created", "chapter_id", "created_at"),
        # The list's count by kind (the kind filter), from the index alone.
        Index("ix_ally_chapter_status_kind", "chapter_id", "status", "trash_id", "kind"),
    )

    stances: Mapped[list[Stance]] = relationship(
        back_populates="ally", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def kind_label(self) -> str:
        return ALLY_KINDS.get(self.kind, self.kind)

    @property
    def tag_list(self) -> list[str]:
        return split_list(self.tags)


class Stance(Trashable, ChapterOwned, Base):
    __tablename__ = "stance"
    # One live stance per ally and issue; a removed one waiting in the Trash does not count.
    __table_args__ = (Index("uq_stance_ally_id_issue_id", "ally_id", "issue_id", unique=True,
                            sqlite_where=text("trash_id IS NULL"),
                            postgresql_where=text("trash_id IS NULL")),
                      # An issue's stances counted by kind of stance (issue page, ally
                      # filters) and the dashboard's committed allies, from the index alone.
                      Index("ix_stance_chapter_issue_stance", "chapter_id", "issue_id", "stance",
                            "trash_id", "ally_id"),
                      Index("ix_stance_chapter_stance_ally", "chapter_id", "stance", "trash_id",
                            "ally_id"),
                      # The dashboard's stances of the last days: the recent ones, not all.
                      Index("ix_stance_chapter_updated", "chapter_id", "updated_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ally_id: Mapped[int] = mapped_column(ForeignKey("ally.id", ondelete="CASCADE"), index=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    stance: Mapped[str] = mapped_column(String(20), default="unknown")
    notes: Mapped[str | None] = mapped_column(Text)

    ally: Mapped[Ally] = relationship(back_populates="stances")
    issue: Mapped[Issue] = relationship()  # noqa: F821

    @property
    def label(self) -> str:
        return STANCES.get(self.stance, self.stance)

    @property
    def committed(self) -> bool:
        return self.stance in COMMITTED_STANCES


def _endpoint(table: str):
    return mapped_column(
        ForeignKey(f"{table}.id", ondelete="CASCADE"), index=True, nullable=True
    )


def _exactly_one(side: str) -> str:
    cols = [f"{side}_{t}_id" for t in ENDPOINT_TYPES]
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in cols) + " = 1"


class Relationship(Trashable, ChapterOwned, Base):
    """A typed, weighted link between two of: a chapter member, an ally, an insurer contact.

    Each end is one of three nullable foreign keys (exactly one set, enforced by a check
    constraint), so deleting an ally or a contact removes its links in the database."""

    __tablename__ = "relationship"
    __table_args__ = (
        CheckConstraint(_exactly_one("a"), name="one_a_endpoint"),
        CheckConstraint(_exactly_one("b"), name="one_b_endpoint"),
        CheckConstraint("strength BETWEEN 1 AND 5", name="strength_range"),
        Index("ix_relationship_chapter_trash", "chapter_id", "trash_id"),  # the dashboard's count
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    a_member_id: Mapped[int | None] = _endpoint("membership")
    a_ally_id: Mapped[int | None] = _endpoint("ally")
    a_contact_id: Mapped[int | None] = _endpoint("insurer_contact")
    b_member_id: Mapped[int | None] = _endpoint("membership")
    b_ally_id: Mapped[int | None] = _endpoint("ally")
    b_contact_id: Mapped[int | None] = _endpoint("insurer_contact")
    kind: Mapped[str] = mapped_column(String(40), default="knows")
    strength: Mapped[int] = mapped_column(Integer, default=3)
    since: Mapped[date | None] = mapped_column(Date)
    last_contact: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    owner_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    a_member = relationship("Membership", foreign_keys=[a_member_id])
    a_ally = relationship("Ally", foreign_keys=[a_ally_id])
    a_contact = relationship("InsurerContact", foreign_keys=[a_contact_id])
    b_member = relationship("Membership", foreign_keys=[b_member_id])
    b_ally = relationship("Ally", foreign_keys=[b_ally_id])
    b_contact = relationship("InsurerContact", foreign_keys=[b_contact_id])
    owner = relationship("Membership", foreign_keys=[owner_member_id])

    def endpoint(self, side: str) -> tuple[str, int]:
        """("member"|"ally"|"contact", id) for side "a" or "b"."""
        for kind in ENDPOINT_TYPES:
            value = getattr(self, f"{side}_{kind}_id")
            if value is not None:
                return kind, value
        raise ValueError("relationship without an endpoint")

    def set_endpoint(self, side: str, kind: str, ident: int) -> None:
        if kind not in ENDPOINT_TYPES:
            raise ValueError(kind)
        for other in ENDPOINT_TYPES:
            setattr(self, f"{side}_{other}_id", ident if other == kind else None)

    def endpoint_object(self, side: str):
        kind, _ = self.endpoint(side)
        return getattr(self, f"{side}_{kind}")

    @property
    def kind_label(self) -> str:
        return RELATIONSHIP_KINDS.get(self.kind, self.kind)
