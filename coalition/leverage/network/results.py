"""Plain result dataclasses of the analysis (JSON-ready through ``to_dict``).

Everything here is made of str, int, float, bool, None, lists and dicts, so
``json.dumps(result.to_dict())`` works; dates appear as ISO strings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .brokers import BrokerReport
from .clusters import Community, Reach
from .scoring import LeverageScore


class _ToDict:
    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Hop(_ToDict):
    """One step of a path, in the direction member -> target."""

    from_node: str
    from_label: str
    to_node: str
    to_label: str
    edge_type: str  # relationship or reports_to
    kind: str  # relationship kind ("knows", "refers_to", ...) or "reports_to"
    relationship_id: int | None
    owner_member_id: int | None  # the member who owns (logged) the relationship
    owner_label: str | None
    strength: int  # recorded strength 1-5 (reports-to: 4)
    usable: float  # strength after fading
    age_days: float | None  # None for reports-to links (they do not fade)
    last_contact: str | None  # ISO date
    cost: float


@dataclass
class AccessPath(_ToDict):
    member: str  # node id of the member the path starts from
    member_label: str
    target: str
    target_label: str
    hops: list[Hop]
    cost: float  # sum of hop costs
    strength: float  # exp(-cost)


@dataclass
class TargetAccess(_ToDict):
    node: str
    label: str
    target_kind: str  # decision_maker, medical_director or regulator
    paths: list[AccessPath]  # up to 3, strongest first
    best_strength: float  # 0.0 when unreachable


@dataclass
class KindCoverage(_ToDict):
    kind: str
    committed: int
    champions: int
    influence_sum: int
    influence_max: int


@dataclass
class Coverage(_ToDict):
    kinds: list[KindCoverage]  # one per coverage kind, in scoring.COVERAGE_KINDS order
    gaps: list[str]  # coverage kinds with nobody committed
    committed: int  # all committed allies, any kind
    champions: int


@dataclass
class AllyRef(_ToDict):
    node: str
    ally_id: int
    label: str
    kind: str
    influence: int


@dataclass
class KnownBy(_ToDict):
    member_id: int
    node: str
    label: str
    kind: str  # relationship kind
    usable: float


@dataclass
class NextMove(_ToDict):
    ally: AllyRef
    stance: str | None  # current stance on the issue (neutral, unknown or None)
    consent: bool
    gain: float  # score with the ally as supporter minus the current score
    score_after: float
    introduction: AccessPath | None  # strongest path from a member
    known_by: list[KnownBy]  # members with a direct link, strongest first


@dataclass
class CommunityCount(_ToDict):
    community: int
    committed: int


@dataclass
class IssueAnalysis(_ToDict):
    issue_id: int
    node: str
    title: str
    insurer_id: int
    insurer_label: str | None
    coverage: Coverage
    targets: list[TargetAccess]
    brokers: BrokerReport | None  # of the issue's insurer, from the chapter parts
    reach: Reach
    cut_off: list[AllyRef]
    committed_by_community: list[CommunityCount] | None  # None without chapter parts
    score: LeverageScore
    next_moves: list[NextMove]


@dataclass
class IssueSummary(_ToDict):
    issue_id: int
    title: str
    insurer_id: int
    score: float
    largest_gap: str  # name of the component with the most points missing
    largest_gap_missing: float
    largest_gap_explanation: str
    missing_kinds: list[str]
    # The issue's own facts behind the dashboard's "largest gap" sentence (results stored
    # before these were added lack them: readers use defaults).
    committed: int = 0
    champions: int = 0
    insurer_label: str | None = None
    # For an access gap: the target it is about, {label, kind, strength, via, through}: via
    # (the member the best path starts from) is None when nobody reaches them; through names
    # the people in between.
    gap_target: dict | None = None


@dataclass
class ChapterParts(_ToDict):
    """The chapter-wide parts, independent of stances: cache per data version."""

    communities: list[Community]
    isolated: int  # people without any people link
    brokers: dict[int, BrokerReport]  # by insurer id
    seed: int
    broker_sample: int

    def community_of(self) -> dict[str, int]:
        """``{node id: community index}`` (built once, then kept)."""
        index = self.__dict__.get("_community_of")
        if index is None:
            index = self.__dict__["_community_of"] = {n: c.index for c in self.communities for n in c.nodes}
        return index


@dataclass
class ChapterAnalysis(_ToDict):
    chapter_id: int
    today: str
    half_life_days: float
    parts: ChapterParts
    issues: list[IssueAnalysis]
    summary: list[IssueSummary]
    notes: list[str] = field(default_factory=list)
