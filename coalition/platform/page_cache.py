"""Whole read pages, rendered once per chapter data version and kept in each worker's memory.

The key is made of

* the chapter: id, creation time and ``data_version``, read with the membership in the
  request's first query (``chapter_view``). Every change to the chapter's data bumps the
  version in the same transaction, so a stored page is never older than the version it is
  filed under, and a page rendered for an older version is simply never asked for again;
* today's date (pages say "3 days ago" and "overdue");
* the viewer: account id, name and admin flag, membership id and role (pages show edit
  links and task buttons by role and owner);
* the path with its query string.

So the cache can only repeat work per worker, never show another chapter's, another
viewer's or older data; several workers or hosts need no shared store for it.

What a stored page must not carry:

* CSRF tokens: they belong to a session and expire. While a page is rendered for the cache
  its forms receive a per-process placeholder, and each response gets the token of its
  own session in its place;
* flashed messages: a request with messages waiting renders without the cache;
* a stale analysis ("updated N seconds ago; recomputing"): a page that showed one is not
  stored (``mark_uncacheable``), so the next request renders the fresh result.

``PAGE_CACHE_BYTES`` bounds each worker's memory (0 turns the cache off). Each app has
its own cache (``init_app``), so two apps in one process never meet each other's pages.
"""
from __future__ import annotations

import secrets
import sys
import threading
from collections import OrderedDict
from datetime import date
from functools import wraps

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

# Unguessable, so no user-typed text can contain it.
_PLACEHOLDER = "csrf-placeholder-" + secrets.token_hex(16)


class PageCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple, str] = OrderedDict()
        self._bytes = 0
        self.stats = {"hit": 0, "miss": 0, "skipped": 0}

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def serve(self, render):
        """The page ``render()`` returns, from memory when this viewer saw it at this data
        version today; anything but a rendered page (a redirect, a tuple) passes through."""
        limit = int(current_app.config["PAGE_CACHE_BYTES"] or 0)
        if not limit or not _cacheable_request():
            self.stats["skipped"] += 1
            return render()
        key = _key()
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                self.stats["hit"] += 1
        if page is not None:
            return _fill(page)
        self.stats["miss"] += 1
        field = current_app.config["WTF_CSRF_FIELD_NAME"]
        own = g.pop(field, None)
        setattr(g, field, _PLACEHOLDER)  # generate_csrf() hands out g's token
        g.page_uncacheable = False
        try:
            page = render()
        finally:
            g.pop(field, None)
            if own is not None:
                setattr(g, field, own)
        if not isinstance(page, str):
            return page
        if not g.pop("page_uncacheable", False):
            self._store(key, page, limit)
        return _fill(page)

    def _store(self, key: tuple, page: str, limit: int) -> None:
        size = sys.getsizeof(page)  # memory, not characters (1-4 bytes each)
        if size > limit // 8:  # one huge page must not push out everything else
            return
        with self._lock:
            if key in self._pages:
                return
            self._pages[key] = page
            self._bytes += size
            while self._bytes > limit and self._pages:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= sys.getsizeof(dropped)


def _cacheable_request() -> bool:
    if request.method != "GET" or "_flashes" in session:
        return False
    return g.get("chapter") is not None and g.get("membership") is not None


def _key() -> tuple:
    chapter, membership = g.chapter, g.membership
    return (chapter.id, chapter.created_at, chapter.data_version, date.today(),
            current_user.id, current_user.name, current_user.is_admin,
            membership.id, membership.role, request.full_path)


def _fill(page: str) -> str:
    if _PLACEHOLDER in page:
        page = page.replace(_PLACEHOLDER, generate_csrf())
    return page


def mark_uncacheable() -> None:
    """Called while rendering something that must not be repeated from memory (a stale
    analysis shown with its age)."""
    if has_request_context():
        g.page_uncacheable = True


def init_app(app) -> None:
    app.extensions["coalition.pages"] = PageCache()


def pages() -> PageCache:
    return current_app.extensions["coalition.pages"]


def cached_page(view):
    """Decorate a read view (inside ``chapter_view``) whose page may be kept per data
    version."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        return pages().serve(lambda: view(*args, **kwargs))

    return wrapped
