"""Access rules in one place.

Every chapter page lives under ``/c/<slug>/``. ``chapter_view`` resolves the chapter,
checks that the logged-in user is an active member of it (or answers 404, so another
chapter's pages and ids are indistinguishable from missing ones) and, for coordinator-only
pages, that the member coordinates (403). ``get_owned`` loads one row of the chapter by id
and answers 404 for rows of any other chapter.
"""
from __future__ import annotations

from functools import wraps
from typing import TypeVar

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import and_, select

from coalition.models import Ally, Chapter, Membership, Relationship, User
from coalition.platform.extensions import db, login_manager
from coalition.platform.ids import is_id

T = TypeVar("T")

# Endpoints reachable before the first account exists.
SETUP_OPEN = {"auth.setup", "static", "vendor", "favicon"}


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    app.before_request(_require_setup)
    app.url_defaults(_inject_slug)


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    # The id carries the session version: a bumped version refuses old cookies.
    try:
        user_id, version = (int(part) for part in identity.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def _require_setup():
    if request.endpoint in SETUP_OPEN:
        return None
    # Once an account exists the set-up is over for good: remember it for the process
    # rather than asking the database on every request.
    if current_app.extensions.get("coalition.setup_done"):
        return None
    if db.session.scalar(select(User.id).limit(1)) is None:
        return redirect(url_for("auth.setup"))
    current_app.extensions["coalition.setup_done"] = True
    return None


def _inject_slug(endpoint: str, values: dict) -> None:
    """Chapter pages link to each other without repeating ``slug=``."""
    chapter = g.get("chapter")
    if chapter is not None and "slug" not in values:
        if current_app.url_map.is_endpoint_expecting(endpoint, "slug"):
            values["slug"] = chapter.slug


def membership_for(user, chapter_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.chapter_id == chapter_id,
            Membership.status == "active",
        )
    )


def chapter_view(role: str = "member"):
    """Decorate a view whose rule starts with ``/c/<slug>``; the view receives ``chapter``
    instead of ``slug``. ``role`` is "member" or "coordinator"."""
    if role not in ("member", "coordinator"):
        raise ValueError(role)

    def decorate(view):
        @wraps(view)
        def wrapped(slug: str, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            # The chapter and the user's active membership of it in one query.
            found = db.session.execute(
                select(Chapter, Membership)
                .outerjoin(Membership, and_(Membership.chapter_id == Chapter.id,
                                            Membership.user_id == current_user.id,
                                            Membership.status == "active"))
                .where(Chapter.slug == slug)
            ).first()
            if found is None or found.Membership is None:
                abort(404)
            chapter, membership = found
            if role == "coordinator" and not membership.is_coordinator:
                abort(403)
            g.chapter = chapter
            g.membership = membership
            return view(chapter=chapter, **kwargs)

        wrapped.access_role = role
        return wrapped

    return decorate


def admin_view(view):
    @wraps(view)
    def wrapped(**kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_admin:
            abort(403)
        return view(**kwargs)

    wrapped.access_role = "admin"
    return wrapped


def get_owned(model: type[T], ident: int, chapter: Chapter, *, with_trash: bool = False) -> T:
    """The chapter's row of ``model`` with this id, or 404 (also for other chapters' ids and,
    unless ``with_trash``, for rows in the Trash)."""
    if not is_id(ident):
        abort(404)
    row = db.session.scalar(
        select(model).where(model.id == ident, model.chapter_id == chapter.id)
        .execution_options(with_trash=with_trash)
    )
    if row is None:
        abort(404)
    return row


def is_coordinator() -> bool:
    membership = g.get("membership")
    return bool(membership and membership.is_coordinator)


def can_edit(row) -> bool:
    """Coordinators change everything in their chapter; members change what they own:
    rows they created, their own ally record and the relationships they declared."""
    membership = g.get("membership")
    if membership is None:
        return False
    if membership.is_coordinator:
        return True
    if isinstance(row, Ally) and row.user_id == current_user.id:
        return True
    if isinstance(row, Relationship) and row.owner_member_id == membership.id:
        return True
    return getattr(row, "created_by_id", None) == current_user.id


def require_edit(row) -> None:
    if not can_edit(row):
        abort(403)
