"""The weekly digest: one message per person and chapter, with their tasks that are overdue
or due in the coming week, how the chapter's leverage changed on each issue since last
week, the people to get back in touch with (a member: those they know best; a coordinator:
the chapter's list) and, for coordinators, the sign-ups waiting for approval. Nothing to
say, no message.

One message per chapter rather than one per person over all their chapters: a chapter is
the unit that owns data and has its own coordinators, each message stays about one
coalition (its subject names it), and most people belong to one chapter anyway.

Leverage changes: each week's scores are stored (``LeverageSnapshot``, one row per issue
and week, written by the first run of the week) and compared with the newest earlier
week's; an issue seen for the first time says its current figure. Each person's digest is
claimed for the week before it is sent (``sent_notices.claim``), so running the job again, or
on two consumers, sends it once."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coalition.leverage.analysis import cache
from coalition.models import Ally, Chapter, Membership, User
from coalition.models.notices import LeverageSnapshot
from coalition.models.outreach import OPEN_STATUSES, Task
from coalition.outreach import sent_notices, touchpoints
from coalition.outreach.tasks import _order, _with_refs
from coalition.platform import mail
from coalition.platform.templating import COMPONENT_LABELS

SOON_DAYS = 7  # tasks due within this many days are listed
CULTIVATE_SHOWN = 5
# Score changes smaller than this (out of 100) are noise, not news.
MIN_CHANGE = 0.5


def monday(today: date) -> date:
    return today - timedelta(days=today.weekday())


@dataclass
class ChapterNews:
    """What every person of one chapter may hear this week (read once per chapter)."""

    chapter: Chapter
    leverage: list[str] = field(default_factory=list)
    cultivate: list[touchpoints.Cultivate] = field(default_factory=list)
    pending_allies: int = 0
    pending_members: int = 0


def leverage_lines(session: Session, chapter: Chapter, today: date) -> list[str]:
    """A sentence per issue whose leverage changed since the last stored week (or that has
    no stored week yet); stores this week's scores the first time it runs in the week."""
    week = monday(today)
    summaries = cache.summaries(chapter.id, today)
    if not summaries:
        return []
    previous = {}
    newest = (select(LeverageSnapshot.issue_id, func.max(LeverageSnapshot.week).label("week"))
              .where(LeverageSnapshot.chapter_id == chapter.id, LeverageSnapshot.week < week)
              .group_by(LeverageSnapshot.issue_id).subquery())
    for issue_id, score in session.execute(
            select(LeverageSnapshot.issue_id, LeverageSnapshot.score)
            .join(newest, (newest.c.issue_id == LeverageSnapshot.issue_id)
                  & (newest.c.week == LeverageSnapshot.week))):
        previous[issue_id] = score
    stored = set(session.scalars(select(LeverageSnapshot.issue_id).where(
        LeverageSnapshot.chapter_id == chapter.id, LeverageSnapshot.week == week)))
    lines = []
    for issue_id, summary in sorted(summaries.items(), key=lambda item: item[1]["title"]):
        score = float(summary["score"])
        if issue_id not in stored:
            _store(session, chapter.id, issue_id, week, score)
        gap = COMPONENT_LABELS.get(summary["largest_gap"], summary["largest_gap"]).lower()
        link = url_for("issues.show", slug=chapter.slug, issue_id=issue_id, _external=True)
        before = previous.get(issue_id)
        if before is None:
            text = f"leverage stands at {score:.0f} out of 100"
        elif abs(score - before) < MIN_CHANGE:
            continue
        else:
            text = (f"leverage {'rose' if score > before else 'fell'} from {before:.0f} to "
                    f"{score:.0f} out of 100 since last week")
        lines.append(f"“{summary['title']}”: {text}. Most is missing on {gap}.\n  {link}")
    return lines


def _store(session: Session, chapter_id: int, issue_id: int, week: date, score: float) -> None:
    session.commit()
    session.add(LeverageSnapshot(chapter_id=chapter_id, issue_id=issue_id, week=week,
                                 score=score))
    try:
        session.commit()
    except IntegrityError:  # another consumer stored it first: the same figure
        session.rollback()


def chapter_news(session: Session, chapter: Chapter, today: date) -> ChapterNews:
    news = ChapterNews(chapter)
    news.leverage = leverage_lines(session, chapter, today)
    days = touchpoints.configured_days(current_app.config)
    news.cultivate = touchpoints.cultivate(session, chapter.id, days, today)
    news.pending_allies = session.scalar(select(func.count(Ally.id)).where(
        Ally.chapter_id == chapter.id, Ally.status == "pending")) or 0
    news.pending_members = session.scalar(select(func.count(Membership.id)).where(
        Membership.chapter_id == chapter.id, Membership.status == "pending")) or 0
    return news


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def compose(session: Session, news: ChapterNews, membership: Membership, user: User,
            today: date) -> tuple[str, str] | None:
    """Subject and text of one person's digest, or None when there is nothing to say."""
    chapter = news.chapter
    slug = chapter.slug
    sections = []
    tasks = list(session.scalars(_order(_with_refs(select(Task).where(
        Task.chapter_id == chapter.id, Task.owner_member_id == membership.id,
        Task.status.in_(OPEN_STATUSES), Task.due_on.is_not(None),
        Task.due_on <= today + timedelta(days=SOON_DAYS))))))
    if tasks:
        lines = []
        for task in tasks:
            when = (f"overdue since {sent_notices.day(task.due_on, today)}" if task.due_on < today
                    else "due today" if task.due_on == today
                    else f"due {sent_notices.day(task.due_on, today)}")
            link = url_for("outreach.show_task", slug=slug, task_id=task.id, _external=True)
            lines.append(f"- {task.kind_label}: {task.title} (issue: {task.issue.title}), "
                         f"{when}.\n  {link}")
        sections.append("Your tasks for the coming week:\n\n" + "\n".join(lines))
    if news.leverage:
        sections.append("Leverage on the chapter's issues:\n\n"
                        + "\n".join(f"- {line}" for line in news.leverage))
    if membership.is_coordinator:
        people = news.cultivate
        intro = "People nobody in the chapter has been in touch with for a while"
    else:  # a member hears about those they are the chapter's best link to
        people = [p for p in news.cultivate if p.best_member == user.name]
        intro = "People you know best whom nobody in the chapter has been in touch with lately"
    if people:
        lines = []
        for person in people[:CULTIVATE_SHOWN]:
            seen = ("no contact recorded" if person.last_contact is None
                    else f"last contact {sent_notices.day(person.last_contact, today)}")
            knows = (f"; {person.best_member} knows them best"
                     if membership.is_coordinator and person.best_member else "")
            lines.append(f"- {person.name} ({person.detail}): {seen}{knows}.")
        more = len(people) - CULTIVATE_SHOWN
        link = url_for("outreach.cultivate", slug=slug, _external=True)
        sections.append(f"{intro}; a call or a coffee now makes them easier to ask later:\n\n"
                        + "\n".join(lines)
                        + (f"\n\nAnd {_plural(more, 'more', 'more')}." if more > 0 else "")
                        + f"\n\nThe whole list: {link}")
    if membership.is_coordinator and (news.pending_allies or news.pending_members):
        lines = []
        if news.pending_allies:
            lines.append(
                f"- {_plural(news.pending_allies, 'person', 'people')} signed up on the "
                "chapter's public page: "
                + url_for("allies.pending", slug=slug, _external=True))
        if news.pending_members:
            lines.append(
                f"- {_plural(news.pending_members, 'person', 'people')} asked to join the "
                "chapter: " + url_for("members.index", slug=slug, _external=True))
        sections.append("Waiting for a coordinator's approval:\n\n" + "\n".join(lines))
    if not sections:
        return None
    subject = f"Your week in the {chapter.name}"
    text = (f"Hello {user.name},\n\nHere is what needs you in the {chapter.name} this week.\n\n"
            + "\n\n".join(sections) + "\n")
    return subject, text


def send_digests(session: Session, today: date) -> int:
    """Send this week's digests not sent yet; returns how many messages went out."""
    subject_key = f"week:{monday(today).isoformat()}"
    sent = 0
    with sent_notices.public_links():
        chapter_ids = list(session.scalars(select(Chapter.id).order_by(Chapter.id)))
        for chapter_id in chapter_ids:
            people = session.execute(
                select(Membership.id, User.id).join(User, User.id == Membership.user_id)
                .where(Membership.chapter_id == chapter_id, Membership.status == "active",
                       User.active.is_(True)).order_by(Membership.id)).all()
            done = {u for u, c, _ in sent_notices.already_sent(session, "digest", [subject_key])
                    if c == chapter_id}
            people = [(m, u) for m, u in people if u not in done]
            if not people:
                continue
            news = chapter_news(session, session.get(Chapter, chapter_id), today)
            for membership_id, user_id in people:
                membership = session.get(Membership, membership_id)
                user = session.get(User, user_id)
                composed = compose(session, news, membership, user, today)
                if composed is None:
                    continue
                email, name = user.email, news.chapter.name
                if not sent_notices.claim(session, "digest", user_id, chapter_id, subject_key):
                    continue
                subject, text = composed
                mail.send(email, subject, text, category="digest", user_id=user_id,
                          reason=f"You get this weekly summary because you are a member of the "
                                 f"{name} on Coalition.")
                sent += 1
    return sent
