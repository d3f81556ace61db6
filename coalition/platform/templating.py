"""Template globals and filters shared by every page."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, g

from coalition.models import ALLY_KINDS, CONTACT_ROLES, ISSUE_CATEGORIES, ISSUE_STAGES, STANCES
from coalition.platform import access

# The chapter menu; entries whose blueprint is not registered are left out.
CHAPTER_NAV = [
    ("main.dashboard", "Dashboard"),
    ("issues.index", "Issues"),
    ("allies.index", "Allies"),
    ("insurers.index", "Insurers"),
    ("network.map", "Map"),
    ("outreach.mine", "My tasks"),
    ("members.index", "Members"),
    ("imports.index", "Import"),
    ("chapter_association.overview", "Association"),
    ("audit.index", "Audit trail"),
    ("tokens.index", "API tokens"),
    ("trash.index", "Trash"),
]
COORDINATOR_ONLY = {"members.index", "imports.index", "audit.index", "trash.index"}


def chapter_nav() -> list[tuple[str, str]]:
    items = [(e, label) for e, label in CHAPTER_NAV if e in current_app.view_functions]
    if not access.is_coordinator():
        items = [(e, label) for e, label in items if e not in COORDINATOR_ONLY]
    return items


# Names of the leverage score's components (coalition.leverage.network.scoring) for people.
COMPONENT_LABELS = {
    "kind_coverage": "Kinds of allies on board",
    "commitment": "Influence-weighted commitment",
    "decision_maker_access": "Access to the insurer's decision makers",
    "regulator_access": "Access to the regulator",
    "structural": "Structural factors (coverage gaps, unique services)",
}


def init_app(app: Flask) -> None:
    @app.context_processor
    def globals_():
        return {
            "chapter": g.get("chapter"),
            "membership": g.get("membership"),
            "is_coordinator": access.is_coordinator(),
            "can_edit": access.can_edit,
            "chapter_nav": chapter_nav,
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

    @app.template_filter("day")
    def day(value) -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return value.strftime("%d %b %Y").lstrip("0")
        return str(value)

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
