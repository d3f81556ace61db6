"""The data model, by aggregate. Importing this package registers every table."""
from coalition.models.accounts import ROLES, Chapter, Membership, User
from coalition.models.allies import (
    ALLY_KINDS,
    COMMITTED_STANCES,
    RELATIONSHIP_KINDS,
    STANCES,
    Ally,
    Relationship,
    Stance,
)
from coalition.models.base import Base, utcnow
from coalition.models.insurers import (
    CONTACT_ROLES,
    EVENT_KINDS,
    ISSUE_CATEGORIES,
    ISSUE_STAGES,
    Insurer,
    InsurerContact,
    Issue,
    IssueEvent,
    split_list,
)

__all__ = [
    "Base", "utcnow", "Chapter", "Membership", "User", "ROLES", "CONTACT_ROLES", "EVENT_KINDS",
    "ISSUE_CATEGORIES", "ISSUE_STAGES", "Insurer", "InsurerContact", "Issue", "IssueEvent",
    "split_list", "ALLY_KINDS", "COMMITTED_STANCES", "RELATIONSHIP_KINDS", "STANCES", "Ally",
    "Relationship", "Stance",
]
from coalition.models.analysis import AnalysisResult  # noqa: E402,F401
from coalition.models.association import (  # noqa: E402,F401
    Campaign,
    CampaignIssue,
    CampaignNote,
    ContactShare,
    InsurerProfile,
    Introduction,
    ProfileLink,
    SharedContact,
    SharedFacts,
)
from coalition.models.imports import ImportJob  # noqa: E402,F401
from coalition.models.invitations import Invitation  # noqa: E402,F401
from coalition.models.mail import MailOptOut  # noqa: E402,F401
from coalition.models.maps import MapLayout  # noqa: E402,F401
from coalition.models.notices import CalendarLink, LeverageSnapshot, SentNotice  # noqa: E402,F401
from coalition.models.outreach import EvidenceCount, PreparationTick, Task, Touchpoint  # noqa: E402,F401
from coalition.models.ratelimit import RateLimitCounter  # noqa: E402,F401
from coalition.models.security import AuditEntry, ConsentNotice, ErasedAlly  # noqa: E402,F401
from coalition.models.tokens import PersonalAccessToken  # noqa: E402,F401
from coalition.models.trash import TrashEntry  # noqa: E402,F401
