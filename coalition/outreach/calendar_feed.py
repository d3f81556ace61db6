"""A member's tasks, and the chapter's issue history, as an iCalendar file (RFC 5545),
written by hand: one all-day VEVENT per task with a due date and per issue event, each with
a stable UID (``task-<id>@…``, ``event-<id>@…``) and a SEQUENCE and LAST-MODIFIED that grow
with every edit, so a subscribed calendar replaces an event instead of adding a second one;
escaped text and folded lines."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from coalition.models import IssueEvent
from coalition.models.outreach import Task

PRODID = "-//Coalition//Outreach tasks//EN"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 3.1), never inside a character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _stamp(value: datetime | None) -> str:
    return (value or datetime(1970, 1, 1)).strftime("%Y%m%dT%H%M%SZ")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _sequence(row) -> int:
    """Seconds between creation and the last change: grows with every edit of a row that
    keeps no version number of its own."""
    if row.created_at is None or row.updated_at is None:
        return 0
    return max(0, int((row.updated_at - row.created_at).total_seconds()))


def render(tasks: Iterable[Task], *, uid_domain: str, name: str,
           url_for_task: Callable[[Task], str], events: Iterable[IssueEvent] = (),
           url_for_event: Callable[[IssueEvent], str] | None = None) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(name)}",
             # How often a subscribed calendar should look again (apps may wait longer).
             "REFRESH-INTERVAL;VALUE=DURATION:PT6H", "X-PUBLISHED-TTL:PT6H"]
    for task in tasks:
        if task.due_on is None:
            continue
        url = url_for_task(task)
        description = "\n".join([
            f"Target: {task.target_label}",
            f"Issue: {task.issue.title}",
            f"Kind: {task.kind_label}",
            f"Status: {task.status_label}",
        ] + ([f"Follow-up: {task.follow_up}"] if task.follow_up else []) + [url])
        lines += [
            "BEGIN:VEVENT",
            f"UID:task-{task.id}@{uid_domain}",
            f"DTSTAMP:{_stamp(task.updated_at)}",
            f"LAST-MODIFIED:{_stamp(task.updated_at)}",
            f"SEQUENCE:{max(0, (task.version or 1) - 1)}",
            f"DTSTART;VALUE=DATE:{_day(task.due_on)}",
            f"DTEND;VALUE=DATE:{_day(task.due_on + timedelta(days=1))}",
            f"SUMMARY:{escape(task.kind_label + ': ' + task.title)}",
            f"DESCRIPTION:{escape(description)}",
            f"URL:{url}",
            "STATUS:" + ("CANCELLED" if task.status == "cancelled" else "CONFIRMED"),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    for event in events:
        url = url_for_event(event) if url_for_event else ""
        description = "\n".join([f"Issue: {event.issue.title}", f"Kind: {event.kind_label}"]
                                + ([event.details] if event.details else []) + ([url] if url else []))
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.id}@{uid_domain}",
            f"DTSTAMP:{_stamp(event.updated_at)}",
            f"LAST-MODIFIED:{_stamp(event.updated_at)}",
            f"SEQUENCE:{_sequence(event)}",
            f"DTSTART;VALUE=DATE:{_day(event.occurred_on)}",
            f"DTEND;VALUE=DATE:{_day(event.occurred_on + timedelta(days=1))}",
            f"SUMMARY:{escape(event.issue.title + ': ' + event.summary)}",
            f"DESCRIPTION:{escape(description)}",
        ] + ([f"URL:{url}"] if url else []) + [
            "STATUS:CONFIRMED",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
