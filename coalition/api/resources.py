"""What the API reads and writes, declared once: input schemas (checked by
``Schema.load``) and output schemas (written by ``Schema.dump``), both described in the
OpenAPI document."""
from __future__ import annotations

from coalition.api.schema import (
    Boolean,
    Choice,
    Date,
    DateTime,
    Id,
    Integer,
    List,
    Nested,
    Object,
    Schema,
    String,
)
from coalition.models import (
    ALLY_KINDS,
    CONTACT_ROLES,
    EVENT_KINDS,
    ISSUE_CATEGORIES,
    ISSUE_STAGES,
    RELATIONSHIP_KINDS,
    STANCES,
)
from coalition.models.outreach import TASK_KINDS, TASK_OUTCOMES, TASK_STATUSES

TEXT = 10000
NODE = r"^(member|ally|contact):[1-9][0-9]{0,9}$"
TARGET = r"^(ally|contact):[1-9][0-9]{0,9}$"
URL = r"^https?://\S+$"


def text(n: int = TEXT, **kw) -> String:
    kw.setdefault("nullable", True)
    return String(max_length=n, **kw)


def name(n: int = 200, **kw) -> String:
    return String(max_length=n, min_length=1, required=True, **kw)


TRACKED = {
    "created_at": DateTime(nullable=True, description="When the row was made (UTC)."),
    "updated_at": DateTime(nullable=True, description="When the row last changed (UTC)."),
    "created_by_id": Integer(nullable=True, description="User id of whoever made it."),
    "updated_by_id": Integer(nullable=True, description="User id of whoever changed it last."),
}
VERSION = Integer(minimum=1, description="Send it back when you change the row "
                                         "(`version` field or `If-Match` header).")

# --- chapters and members -------------------------------------------------------------------

CHAPTER = Schema("Chapter", {
    "id": Integer(), "slug": String(), "name": String(), "region": String(nullable=True),
    "role": Choice(["coordinator", "member"], description="Your role in the chapter."),
    "token_chapter": Boolean(description="True for the chapter this token serves."),
})
CHAPTER_LIST = Schema("ChapterList", {"items": List(CHAPTER)})
MEMBER = Schema("Member", {
    "id": Integer(description="Membership id; `member:<id>` in relationships."),
    "name": String(source=lambda m: m.user.name),
    "role": Choice(["coordinator", "member"]),
    "node": String(source=lambda m: f"member:{m.id}"),
})

# --- allies and stances ---------------------------------------------------------------------

ALLY_IN = Schema("AllyInput", {
    "name": name(),
    "is_organisation": Boolean(),
    "kind": Choice(ALLY_KINDS),
    "organisation": text(200), "title": text(200), "region": text(120),
    "email": text(254, fmt="email"), "phone": text(50),
    "influence": Integer(minimum=1, maximum=5, description="1 (little) to 5 (decisive)."),
    "consent": Boolean(description="Agreed to be contacted by the chapter."),
    "consent_method": text(300), "notes": text(description="No clinical information."),
    "tags": text(400, description="Separated by commas."),
})
ALLY_PATCH = Schema("AllyPatch", {**ALLY_IN.fields, "version": VERSION})
ALLY_QUERY = Schema("AllyQuery", {
    "q": String(max_length=200, description="Words in name, organisation, e-mail or tags."),
    "kind": Choice(ALLY_KINDS), "stance": Choice(STANCES),
    "issue": Id(description="Only allies with a stance on this issue."),
    "region": String(max_length=120),
})
ALLY = Schema("Ally", {
    "id": Integer(), "name": String(), "is_organisation": Boolean(), "kind": Choice(ALLY_KINDS),
    "organisation": String(nullable=True), "title": String(nullable=True),
    "region": String(nullable=True), "email": String(nullable=True),
    "phone": String(nullable=True), "influence": Integer(), "consent": Boolean(),
    "consent_at": DateTime(nullable=True), "consent_method": String(nullable=True),
    "notes": String(nullable=True), "tags": List(String(), source="tag_list"),
    "status": Choice(["active", "pending"]), "user_id": Integer(nullable=True),
    "node": String(source=lambda a: f"ally:{a.id}"),
    "version": Integer(), **TRACKED,
})

STANCE_IN = Schema("StanceInput", {
    "ally_id": Id(required=True), "issue_id": Id(required=True),
    "stance": Choice(STANCES, required=True), "notes": text(500),
})
STANCE_PATCH = Schema("StancePatch", {"stance": Choice(STANCES), "notes": text(500)})
STANCE_QUERY = Schema("StanceQuery", {"ally_id": Id(), "issue_id": Id()})
STANCE = Schema("Stance", {
    "id": Integer(), "ally_id": Integer(), "issue_id": Integer(), "stance": Choice(STANCES),
    "notes": String(nullable=True), **TRACKED,
})

# --- relationships --------------------------------------------------------------------------

REL_IN = Schema("RelationshipInput", {
    "a": String(required=True, pattern=NODE, description="`member:<id>`, `ally:<id>` or "
                                                         "`contact:<id>`."),
    "b": String(required=True, pattern=NODE),
    "kind": Choice(RELATIONSHIP_KINDS, default="knows"),
    "strength": Integer(minimum=1, maximum=5, default=3),
    "since": Date(nullable=True), "last_contact": Date(nullable=True), "notes": text(),
    "owner_member_id": Id(description="Who declared it; coordinators only, yourself otherwise."),
})
REL_PATCH = Schema("RelationshipPatch", {
    **{k: v for k, v in REL_IN.fields.items()}, "version": VERSION})
REL_QUERY = Schema("RelationshipQuery", {
    "kind": Choice(RELATIONSHIP_KINDS), "min_strength": Integer(minimum=1, maximum=5),
    "stale": Boolean(description="Only links not contacted for 180 days (or never)."),
})
REL = Schema("Relationship", {
    "id": Integer(),
    "a": String(source=lambda r: "{}:{}".format(*r.endpoint("a"))),
    "b": String(source=lambda r: "{}:{}".format(*r.endpoint("b"))),
    "kind": Choice(RELATIONSHIP_KINDS), "strength": Integer(),
    "since": Date(nullable=True), "last_contact": Date(nullable=True),
    "notes": String(nullable=True), "owner_member_id": Integer(nullable=True),
    "version": Integer(), **TRACKED,
})

# --- insurers and contacts ------------------------------------------------------------------

INSURER_IN = Schema("InsurerInput", {
    "name": name(), "plan_types": text(400, description="Separated by commas."),
    "regions": text(400, description="Separated by commas."),
    "website": text(300, pattern=URL), "notes": text(),
})
INSURER_PATCH = Schema("InsurerPatch", INSURER_IN.fields)
INSURER = Schema("Insurer", {
    "id": Integer(), "name": String(), "plan_types": List(String(), source="plan_type_list"),
    "regions": List(String(), source="region_list"), "website": String(nullable=True),
    "notes": String(nullable=True), **TRACKED,
})

CONTACT_FIELDS = {
    "name": name(), "title": text(200), "department": text(200),
    "role": Choice(CONTACT_ROLES, default="other"),
    "reports_to_id": Id(nullable=True, description="A colleague at the same insurer."),
    "topics": text(400, description="What they know about; separated by commas."),
    "email": text(254, fmt="email"), "phone": text(50), "notes": text(),
}
CONTACT_IN = Schema("ContactInput", {"insurer_id": Id(required=True), **CONTACT_FIELDS})
CONTACT_PATCH = Schema("ContactPatch", CONTACT_FIELDS)
CONTACT_QUERY = Schema("ContactQuery", {"insurer_id": Id()})
CONTACT = Schema("Contact", {
    "id": Integer(), "insurer_id": Integer(), "name": String(), "title": String(nullable=True),
    "department": String(nullable=True), "role": Choice(CONTACT_ROLES),
    "reports_to_id": Integer(nullable=True), "topics": List(String(), source="topic_list"),
    "email": String(nullable=True), "phone": String(nullable=True),
    "notes": String(nullable=True), "node": String(source=lambda c: f"contact:{c.id}"),
    **TRACKED,
})

# --- issues and their history ---------------------------------------------------------------

ISSUE_FIELDS = {
    "title": name(), "insurer_id": Id(required=True),
    "category": Choice(ISSUE_CATEGORIES), "stage": Choice(ISSUE_STAGES),
    "description": text(), "desired_outcome": text(), "fallback": text(),
    "coverage_gap_regions": text(400, description="Separated by commas."),
    "unique_services": text(400, description="Separated by commas."),
    "opened_on": Date(nullable=True, description="Today unless given."),
    "closed_on": Date(nullable=True, description="Empty while the issue is open."),
}
ISSUE_IN = Schema("IssueInput", ISSUE_FIELDS)
ISSUE_PATCH = Schema("IssuePatch", {
    **ISSUE_FIELDS, "version": VERSION,
    "why": text(description="Why the stage changed; kept in the history."),
})
ISSUE_QUERY = Schema("IssueQuery", {
    "status": Choice(["open", "closed", "all"], description="`open` unless given."),
    "stage": Choice(ISSUE_STAGES), "category": Choice(ISSUE_CATEGORIES), "insurer_id": Id(),
})
ISSUE = Schema("Issue", {
    "id": Integer(), "insurer_id": Integer(), "title": String(),
    "category": Choice(ISSUE_CATEGORIES), "stage": Choice(ISSUE_STAGES),
    "description": String(nullable=True), "desired_outcome": String(nullable=True),
    "fallback": String(nullable=True), "coverage_gap_regions": String(nullable=True),
    "unique_services": String(nullable=True), "opened_on": Date(nullable=True),
    "closed_on": Date(nullable=True), "is_open": Boolean(), "version": Integer(), **TRACKED,
})

EVENT_IN = Schema("IssueEventInput", {
    "occurred_on": Date(required=True), "kind": Choice(EVENT_KINDS, default="note"),
    "summary": name(300), "details": text(),
})
EVENT_PATCH = Schema("IssueEventPatch", EVENT_IN.fields)
EVENT = Schema("IssueEvent", {
    "id": Integer(), "issue_id": Integer(), "occurred_on": Date(),
    "kind": Choice(EVENT_KINDS), "summary": String(), "details": String(nullable=True),
    **TRACKED,
})

LEVERAGE = Schema("Leverage", {}, additional=True,
                  description="The leverage analysis of the issue: its score explained by "
                              "ally kinds, commitment, access paths and structural factors.")

# --- tasks ----------------------------------------------------------------------------------

TASK_FIELDS = {
    "title": name(), "kind": Choice(TASK_KINDS, default="call"), "issue_id": Id(required=True),
    "target": String(nullable=True, pattern=TARGET,
                     description="`ally:<id>` or `contact:<id>`; empty for no one in particular."),
    "owner_member_id": Id(nullable=True,
                          description="Coordinators plan for anyone; members for themselves."),
    "due_on": Date(nullable=True), "status": Choice(TASK_STATUSES, default="planned"),
    "outcome": Choice([k for k in TASK_OUTCOMES if k], nullable=True),
    "outcome_notes": text(4000), "follow_up": text(4000),
    "champion": Boolean(description="With status done and outcome committed: the ally "
                                    "becomes a champion, not only a supporter."),
}
TASK_IN = Schema("TaskInput", TASK_FIELDS)
TASK_PATCH = Schema("TaskPatch", {**TASK_FIELDS, "version": VERSION})
TASK_QUERY = Schema("TaskQuery", {
    "issue_id": Id(), "owner_member_id": Id(), "status": Choice(TASK_STATUSES),
})
TASK = Schema("Task", {
    "id": Integer(), "issue_id": Integer(), "title": String(), "kind": Choice(TASK_KINDS),
    "target": String(nullable=True, source=lambda t: f"ally:{t.ally_id}" if t.ally_id else
                     f"contact:{t.contact_id}" if t.contact_id else None),
    "owner_member_id": Integer(nullable=True), "due_on": Date(nullable=True),
    "status": Choice(TASK_STATUSES), "outcome": String(nullable=True),
    "outcome_notes": String(nullable=True), "follow_up": String(nullable=True),
    "version": Integer(), **TRACKED,
})

# --- the graph ------------------------------------------------------------------------------

GRAPH_QUERY = Schema("GraphQuery", {
    "issue_id": Id(description="The map of one issue."),
    "kind": Choice(ALLY_KINDS), "stance": Choice(STANCES), "region": String(max_length=120),
    "min_strength": Integer(minimum=1, maximum=5),
})
GRAPH = Schema("Graph", {
    "directed": Boolean(), "multigraph": Boolean(), "graph": Object(),
    "nodes": List(Object()), "edges": List(Object()),
}, description="Node-link JSON (networkx `node_link_data` style), contact details left out.")

SCHEMAS = [v for v in list(globals().values()) if isinstance(v, Schema)]
__all__ = ["SCHEMAS", "Nested"]
