"""The coalition as a network: who can reach whom, and how much leverage that gives.

Pure domain code: it builds a networkx graph from plain rows (``rows.py``) and
returns plain dataclasses. It imports neither Flask nor the database; the
loader beside it reads the rows.

    rows = ChapterRows(...)                      # from loader.py
    network = build_network(rows, date.today())  # graph + memoised searches
    parts = chapter_parts(network)               # communities, brokers (cache these)
    analysis = analyse_issue(network, issue_id, parts)
    analysis.to_dict()                           # JSON-ready

Formulas: fading and cost in ``graph``, paths in ``paths``, brokers in
``brokers``, communities/reach/cut-off in ``clusters``, the score in
``scoring``, targets and next moves in ``leverage``.
"""

from .brokers import Broker, BrokerReport
from .clusters import Community, Reach
from .graph import (
    REPORTS_TO_STRENGTH,
    build_graph,
    link_cost,
    node_id,
    parse_node_id,
    path_strength,
    people_graph,
    usable_strength,
)
from .leverage import (
    ChapterNetwork,
    analyse_chapter,
    analyse_issue,
    build_network,
    chapter_parts,
    insurer_access,
    insurer_brokers,
    insurer_targets,
    summarise,
    what_if,
)
from .results import (
    AccessPath,
    AllyRef,
    ChapterAnalysis,
    ChapterParts,
    CommunityCount,
    Coverage,
    Hop,
    IssueAnalysis,
    IssueSummary,
    KindCoverage,
    KnownBy,
    NextMove,
    TargetAccess,
)
from .rows import (
    ALLY_KINDS,
    COMMITTED_STANCES,
    CONTACT_ROLES,
    STANCES,
    AllyRow,
    ChapterRows,
    ContactRow,
    InsurerRow,
    IssueRow,
    MemberRow,
    RelationshipRow,
    StanceRow,
)
from .scoring import COVERAGE_KINDS, KIND_POINTS, LeverageScore, ScoreComponent

__all__ = [
    "ALLY_KINDS",
    "COMMITTED_STANCES",
    "CONTACT_ROLES",
    "COVERAGE_KINDS",
    "KIND_POINTS",
    "REPORTS_TO_STRENGTH",
    "STANCES",
    "AccessPath",
    "AllyRef",
    "AllyRow",
    "Broker",
    "BrokerReport",
    "ChapterAnalysis",
    "ChapterNetwork",
    "ChapterParts",
    "ChapterRows",
    "Community",
    "CommunityCount",
    "ContactRow",
    "Coverage",
    "Hop",
    "InsurerRow",
    "IssueAnalysis",
    "IssueRow",
    "IssueSummary",
    "KindCoverage",
    "KnownBy",
    "LeverageScore",
    "MemberRow",
    "NextMove",
    "Reach",
    "RelationshipRow",
    "ScoreComponent",
    "StanceRow",
    "TargetAccess",
    "analyse_chapter",
    "analyse_issue",
    "build_graph",
    "build_network",
    "chapter_parts",
    "insurer_access",
    "insurer_brokers",
    "insurer_targets",
    "link_cost",
    "node_id",
    "parse_node_id",
    "path_strength",
    "people_graph",
    "summarise",
    "usable_strength",
    "what_if",
]
