"""Plain rows: the only input of the network analysis.

The loader (``coalition/network/loader.py``) reads one chapter's data from the
database and hands it over as these frozen dataclasses. Nothing in this package
ever looks further than the rows it is given, so nothing of another chapter can
enter an analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ALLY_KINDS = (
    "patient",
    "regulator",
    "patient_org",
    "support_group",
    "medical",
    "legislator",
    "media",
    "employer",
    "other",
)
CONTACT_ROLES = (
    "decision_maker",
    "medical_director",
    "provider_relations",
    "network_manager",
    "other",
)
STANCES = ("champion", "supporter", "neutral", "unknown", "opposed")
#: An ally is *committed* to an issue when its stance is one of these.
COMMITTED_STANCES = frozenset({"champion", "supporter"})
#: Endpoint types of a relationship; these nodes are the "people" of the graph.
PERSON_TYPES = ("member", "ally", "contact")
RELATIONSHIP_STRENGTHS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class MemberRow:
    id: int
    name: str


@dataclass(frozen=True)
class AllyRow:
    id: int
    name: str
    kind: str
    influence: int
    region: str | None
    organisation: str | None = None
    consent: bool = False


@dataclass(frozen=True)
class ContactRow:
    id: int
    insurer_id: int
    name: str
    title: str | None
    role: str
    reports_to_id: int | None


@dataclass(frozen=True)
class InsurerRow:
    id: int
    name: str
    regions: tuple[str, ...]


@dataclass(frozen=True)
class IssueRow:
    id: int
    insurer_id: int
    title: str
    coverage_gap_regions: tuple[str, ...] = ()
    unique_services: tuple[str, ...] = ()


@dataclass(frozen=True)
class StanceRow:
    ally_id: int
    issue_id: int
    stance: str


@dataclass(frozen=True)
class RelationshipRow:
    id: int
    a_type: str
    a_id: int
    b_type: str
    b_id: int
    kind: str
    strength: int
    since: date | None
    last_contact: date | None
    owner_member_id: int | None


@dataclass(frozen=True)
class ChapterRows:
    chapter_id: int
    members: tuple[MemberRow, ...]
    allies: tuple[AllyRow, ...]
    contacts: tuple[ContactRow, ...]
    insurers: tuple[InsurerRow, ...]
    issues: tuple[IssueRow, ...]
    stances: tuple[StanceRow, ...]
    relationships: tuple[RelationshipRow, ...]
