"""Telling a member that a task was given to them (the "assignments" notice), sent once the
save that gave it is committed. Taking a task oneself tells nobody."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from coalition.models import Chapter, Membership, User
from coalition.models.outreach import Task
from coalition.platform import mail


def tasks_given(session: Session, changes: list[tuple[Task, int | None]],
                by: Membership | None) -> None:
    """``changes``: each task with the owner it had before (None for a new task). One
    message per new owner, listing their tasks; nothing for a task that kept its owner,
    has none, or went to ``by`` (the member who saved it)."""
    given: dict[int, list[Task]] = defaultdict(list)
    for task, before in changes:
        owner = task.owner_member_id
        if owner is None or owner == before or (by is not None and owner == by.id):
            continue
        given[owner].append(task)
    if not given:
        return
    chapter = session.get(Chapter, next(iter(given.values()))[0].chapter_id)
    owners = session.execute(
        select(Membership.id, User).join(User, User.id == Membership.user_id)
        .where(Membership.id.in_(given), Membership.chapter_id == chapter.id,
               Membership.status == "active", User.active.is_(True))).all()
    giver = by.user.name if by is not None else "A coordinator"
    for member_id, user in owners:
        tasks = given[member_id]
        lines = "\n\n".join(_line(chapter, task) for task in tasks)
        one = len(tasks) == 1
        subject = (f"New task for you: {tasks[0].title}" if one else
                   f"{len(tasks)} new tasks for you in {chapter.name}")
        mail.send_after_commit(
            session, user.email, subject[:150], (
                f"Hello {user.name},\n\n"
                f"{giver} gave you {'a task' if one else f'{len(tasks)} tasks'} in "
                f"{chapter.name}:\n\n{lines}\n\n"
                "If you cannot do it, tell a coordinator so that someone else can.\n"),
            reason=f"You get this e-mail because a task in {chapter.name} was given to you.",
            category="assignments", user_id=user.id)


def _line(chapter: Chapter, task: Task) -> str:
    due = f", due {task.due_on.strftime('%d %B %Y').lstrip('0')}" if task.due_on else ""
    url = mail.link("outreach.show_task", slug=chapter.slug, task_id=task.id)
    return f"“{task.title}” ({task.kind_label.lower()}{due})\n{url}"
