"""Reading the messages ``coalition.platform.mail`` wrote to ``instance/outbox/`` when no
``MAIL_SERVER`` is set, for the administrators' outbox page."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from coalition.platform.mail import POLICY, outbox

NAME = re.compile(r"[0-9a-f]{32}\.eml")
PER_PAGE = 50


@dataclass
class Summary:
    name: str
    date: datetime | None
    to: str
    subject: str


@dataclass
class Page:
    """One page of the list, shaped for the ``pagination`` macro."""
    items: list[Summary]
    page: int
    total: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _files() -> list[Path]:
    folder = outbox()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if NAME.fullmatch(path.name):
            try:
                found.append((path.stat().st_mtime, path.name, path))
            except FileNotFoundError:  # removed meanwhile
                continue
    return [path for *_, path in sorted(found, reverse=True)]


def _date(value: str | None, path: Path) -> datetime | None:
    try:
        if value:
            return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        pass
    return datetime.fromtimestamp(path.stat().st_mtime)  # older messages had no Date


def messages(page: int = 1) -> Page:
    """Newest first, ``PER_PAGE`` a page; only the headers are read."""
    files = _files()
    page = max(1, min(page, max(1, math.ceil(len(files) / PER_PAGE))))
    parser = BytesHeaderParser(policy=POLICY)
    items = []
    for path in files[(page - 1) * PER_PAGE:page * PER_PAGE]:
        try:
            with path.open("rb") as handle:
                headers = parser.parse(handle)
        except FileNotFoundError:
            continue
        items.append(Summary(path.name, _date(headers["Date"], path), str(headers["To"] or ""),
                             str(headers["Subject"] or "")))
    return Page(items, page, len(files))


def message(name: str) -> tuple[EmailMessage, str] | None:
    """The message with this file name and its plain-text part, or None."""
    if not NAME.fullmatch(name or ""):
        return None  # only our own file names: nothing outside the folder
    path = outbox() / name
    try:
        parsed = message_from_bytes(path.read_bytes(), policy=POLICY)
    except FileNotFoundError:
        return None
    body = parsed.get_body(preferencelist=("plain",))
    return parsed, body.get_content() if body is not None else ""
