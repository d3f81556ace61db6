"""Template globals and filters shared by every page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask, current_app, g, has_request_context, request
from jinja2 import pass_context
from markupsafe import Markup, escape
from wtforms import Form

from coalition.models import ALLY_KINDS, CONTACT_ROLES, ISSUE_CATEGORIES, ISSUE_STAGES, STANCES
from coalition.platform import access

# The chapter menu: at most seven groups, each a list of (endpoint, label); the group's
# link leads to its first entry the viewer may open, and the group's other entries show as a
# disclosure menu and as a row under the header on every page of the group (so they stay
# reachable without JavaScript). Entries whose blueprint is not registered are left out.
CHAPTER_MENU = [
    ("Dashboard", [("main.dashboard", "Dashboard")]),
    ("Issues", [("issues.index", "Issues")]),
    ("Allies", [("allies.index", "Allies"), ("relationships.index", "Relationships"),
                ("regions.index", "Regions"), ("allies.pending", "Sign-ups waiting"),
                ("imports.index", "Import")]),
    ("Insurers", [("insurers.index", "Insurers")]),
    ("Tasks", [("outreach.board", "Task board"), ("outreach.mine", "My tasks"),
               ("outreach.cultivate", "People to cultivate")]),
    ("Map", [("network.map", "Map")]),
    ("Chapter", [("members.index", "Members"), ("chapter_association.overview", "Association"),
                 ("main.consent_notice", "Consent notice"), ("audit.index", "Audit trail"),
                 ("tokens.index", "API tokens"), ("trash.index", "Trash")]),
]
COORDINATOR_ONLY = {"members.index", "imports.index", "audit.index", "trash.index",
                    "outreach.board", "allies.pending", "main.consent_notice", "regions.index"}
# Pages that belong to a group without being one of its entries (by blueprint or endpoint).
GROUP_OF_BLUEPRINT = {"allies": "Allies", "relationships": "Allies", "imports": "Allies", "regions": "Allies",
                      "privacy": "Allies", "issues": "Issues", "insurers": "Insurers",
                      "outreach": "Tasks", "network": "Map", "members": "Chapter",
                      "invitations": "Chapter", "audit": "Chapter", "tokens": "Chapter",
                      "trash": "Chapter", "chapter_association": "Chapter"}
# Outreach pages reached from an issue belong to the Issues group.
GROUP_OF_ENDPOINT = {"main.consent_notice": "Chapter", "outreach.change_stage": "Issues",
                     "outreach.add_evidence": "Issues", "outreach.brief": "Issues"}


@dataclass
class MenuGroup:
    label: str
    items: list[tuple[str, str]]
    current: bool = False

    @property
    def endpoint(self) -> str:
        return self.items[0][0]

    @property
    def slug(self) -> str:
        return self.label.lower()


def menu_group_of(endpoint: str | None) -> str | None:
    if not endpoint:
        return None
    for label, items in CHAPTER_MENU:
        if any(e == endpoint for e, _ in items):
            return label
    return GROUP_OF_ENDPOINT.get(endpoint) or GROUP_OF_BLUEPRINT.get(endpoint.split(".")[0])


def chapter_nav() -> list[MenuGroup]:
    """The viewer's chapter menu: the groups with at least one entry they may open."""
    coordinator = access.is_coordinator()
    here = menu_group_of(request.endpoint if has_request_context() else None)
    groups = []
    for label, items in CHAPTER_MENU:
        mine = [(e, name) for e, name in items if e in current_app.view_functions
                and (coordinator or e not in COORDINATOR_ONLY)]
        if mine:
            groups.append(MenuGroup(label, mine, current=label == here))
    return groups


# Names of the leverage score's components (coalition.leverage.network.scoring) for people.
COMPONENT_LABELS = {
    "kind_coverage": "Kinds of allies on board",
    "commitment": "Influence-weighted commitment",
    "decision_maker_access": "Access to the insurer's decision makers",
    "regulator_access": "Access to the regulator",
    "structural": "Structural factors (coverage gaps, unique services)",
}


# The one date format of the pages: "30 Nov 2026", and "30 Nov 2026, 14:05" with the time.
DAY_FORMAT = "%d %b %Y"
TIME_FORMAT = "%H:%M"


def day(value) -> str:
    """``30 Nov 2026`` for a date or datetime; a dash for nothing."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime(DAY_FORMAT).lstrip("0")
    return str(value)


def day_time(value) -> str:
    """``30 Nov 2026, 14:05`` for a datetime (a plain date has no time to show)."""
    if not isinstance(value, datetime):
        return day(value)
    return f"{day(value)}, {value.strftime(TIME_FORMAT)}"


def time_tag(value, with_time: bool = False) -> Markup | str:
    """The date (or date and time) as people read it inside a ``<time datetime>`` that
    machines read."""
    if not isinstance(value, date):
        return day(value)
    text = day_time(value) if with_time else day(value)
    machine = value.isoformat(timespec="minutes") if isinstance(value, datetime) else value.isoformat()
    return Markup(f'<time datetime="{escape(machine)}">{escape(text)}</time>')


@pass_context
def page_has_form_errors(context) -> bool:
    """Whether a form handed to the page was refused: the title then starts with "Error: ",
    for every page at once (base.html) rather than page by page."""
    return any(isinstance(value, Form) and value.errors for value in context.get_all().values())


def init_app(app: Flask) -> None:
    @app.context_processor
    def globals_():
        return {
            "chapter": g.get("chapter"),
            "membership": g.get("membership"),
            "is_coordinator": access.is_coordinator(),
            "can_edit": access.can_edit,
            "chapter_nav": chapter_nav,
            "page_has_form_errors": page_has_form_errors,
            "has_endpoint": lambda endpoint: endpoint in current_app.view_functions,
            "COMPONENT_LABELS": COMPONENT_LABELS,
            "ALLY_KINDS": ALLY_KINDS,
            "STANCES": STANCES,
            "CONTACT_ROLES": CONTACT_ROLES,
            "ISSUE_STAGES": ISSUE_STAGES,
            "ISSUE_CATEGORIES": ISSUE_CATEGORIES,
        }

    @app.template_filter("kind_label")
    def kind_label(kind: str) -> str:
        return ALLY_KINDS.get(kind, kind).lower()

    @app.template_filter("count")
    def count(number: int, one: str, many: str) -> str:
        """``3|count("task", "tasks")`` -> "3 tasks"."""
        return f"{number} {one if number == 1 else many}"

    app.add_template_filter(day)
    app.add_template_filter(day_time)
    app.add_template_filter(time_tag)

    @app.template_filter("age")
    def age(value) -> str:
        """"12 days ago" style age of a date."""
        if value is None:
            return "never"
        if isinstance(value, datetime):
            value = value.date()
        days = (date.today() - value).days
        if days <= 0:
            return "today"
        if days < 60:
            return f"{days} day{'s' if days != 1 else ''} ago"
        if days < 730:
            return f"{days // 30} months ago"
        return f"{days // 365} years ago"
