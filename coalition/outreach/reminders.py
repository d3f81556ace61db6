"""Task reminders: the owner of an open task hears about it the day before it is due, and
once more when it is overdue. One message per person and chapter per run, listing every
task newly due or overdue; each task's reminder is claimed first (``sent_notices.claim``), so
running the job again sends nothing more.

Only active members who are active users hear anything; tasks without an owner, done,
cancelled or in the Trash say nothing. A task whose due date moves gets a new reminder for
the new date (the date is part of what is claimed). Overdue reminders go out for tasks
that fell due in the last ``OVERDUE_WINDOW_DAYS`` days: a consumer that was stopped for a
few days catches up, but switching reminders on does not mail about every old task."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from coalition.models import Chapter, Membership, User
from coalition.models.outreach import OPEN_STATUSES, Task
from coalition.outreach import sent_notices
from coalition.outreach.tasks import _with_refs
from coalition.platform import mail

OVERDUE_WINDOW_DAYS = 7


@dataclass
class Due:
    """One reminder, read into plain values before anything is committed."""

    kind: str  # "due" or "overdue"
    task_id: int
    due_on: date
    line: str  # "Call: Call Casey (12-visit annual cap; with Casey …)"
    link: str

    @property
    def subject(self) -> str:
        return f"task:{self.task_id}:{self.due_on.isoformat()}"


@dataclass
class Recipient:
    user_id: int
    chapter_id: int
    name: str
    email: str
    chapter_name: str


def pending(session: Session, today: date) -> dict[tuple[int, int], tuple[Recipient, list[Due]]]:
    """The reminders to send today that have not been sent, by (user id, chapter id)."""
    tomorrow = today + timedelta(days=1)
    rows = session.execute(_with_refs(
        select(Task, User, Chapter)
        .join(Membership, and_(Membership.id == Task.owner_member_id,
                               Membership.chapter_id == Task.chapter_id))
        .join(User, User.id == Membership.user_id)
        .join(Chapter, Chapter.id == Task.chapter_id)
        .where(Task.status.in_(OPEN_STATUSES), Membership.status == "active",
               User.active.is_(True),
               or_(Task.due_on == tomorrow,
                   and_(Task.due_on < today,
                        Task.due_on >= today - timedelta(days=OVERDUE_WINDOW_DAYS)))))
        .order_by(Task.due_on, Task.id)).unique().all()
    found: dict[tuple[int, int], tuple[Recipient, list[Due]]] = {}
    for task, user, chapter in rows:
        kind = "due" if task.due_on == tomorrow else "overdue"
        line = f"{task.kind_label}: {task.title} (issue: {task.issue.title}"
        line += f"; with {task.target_label})" if task.ally_id or task.contact_id else ")"
        link = url_for("outreach.show_task", slug=chapter.slug, task_id=task.id, _external=True)
        key = (user.id, chapter.id)
        if key not in found:
            found[key] = (Recipient(user.id, chapter.id, user.name, user.email, chapter.name), [])
        found[key][1].append(Due(kind, task.id, task.due_on, line, link))
    sent = {kind: sent_notices.already_sent(session, kind, [d.subject for _, dues in found.values()
                                                         for d in dues if d.kind == kind])
            for kind in ("due", "overdue")}
    for key, (_, dues) in list(found.items()):
        dues[:] = [d for d in dues if (*key, d.subject) not in sent[d.kind]]
        if not dues:
            del found[key]
    return found


def compose(recipient: Recipient, dues: list[Due], today: date) -> tuple[str, str]:
    """Subject and plain text of one person's reminder."""
    due = [d for d in dues if d.kind == "due"]
    late = [d for d in dues if d.kind == "overdue"]
    if len(dues) == 1:
        title = dues[0].line.split(" (issue:")[0]
        subject = f"Reminder: “{title}” is " + ("due tomorrow" if due else "overdue")
    else:
        subject = f"Reminder: {len(dues)} of your tasks need you"
    parts = [f"Hello {recipient.name},"]
    if due:
        parts.append(
            (f"This task of yours in the {recipient.chapter_name} is due tomorrow, "
             if len(due) == 1 else
             f"These {len(due)} tasks of yours in the {recipient.chapter_name} are due tomorrow, ")
            + f"{sent_notices.day(due[0].due_on, today)}:")
        parts += [f"- {d.line}\n  {d.link}" for d in due]
    if late:
        parts.append(
            f"This task of yours in the {recipient.chapter_name} is now overdue:"
            if len(late) == 1 else
            f"These {len(late)} tasks of yours in the {recipient.chapter_name} are now overdue:")
        parts += [f"- {d.line}, due on {sent_notices.day(d.due_on, today)}\n  {d.link}" for d in late]
    parts.append("When a task is done, mark it done on its page. If it needs more time, "
                 "change its due date there; if someone else should do it, give it to them.")
    return subject, "\n\n".join(parts) + "\n"


def send_reminders(session: Session, today: date) -> int:
    """Send today's reminders; returns how many messages went out."""
    sent = 0
    with sent_notices.public_links():
        for recipient, dues in pending(session, today).values():
            claimed = [d for d in dues
                       if sent_notices.claim(session, d.kind, recipient.user_id, recipient.chapter_id,
                                        d.subject)]
            if not claimed:
                continue  # another consumer is sending these
            subject, text = compose(recipient, claimed, today)
            mail.send(recipient.email, subject, text, category="reminders",
                      user_id=recipient.user_id,
                      reason=f"You get this reminder because the task is yours in the "
                             f"{recipient.chapter_name}'s outreach plan on Coalition.")
            sent += 1
    return sent
