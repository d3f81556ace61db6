"""Versioned consent notices: the exact wording a person agrees to on a chapter's public
sign-up page. A notice is never edited once written; a new version supersedes it."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.models import Chapter
from coalition.models.security import ConsentNotice


def default_text(chapter: Chapter) -> str:
    return (f"I agree that {chapter.name} may keep my name, e-mail address, region and the "
            "issues I support, and may contact me about these issues. I can ask for my "
            "record to be removed at any time.")


def current(session: Session, chapter: Chapter) -> ConsentNotice | None:
    return session.scalar(select(ConsentNotice).where(ConsentNotice.chapter_id == chapter.id)
                          .order_by(ConsentNotice.version.desc()).limit(1))


def current_text(session: Session, chapter: Chapter) -> str:
    notice = current(session, chapter)
    return notice.text if notice else default_text(chapter)


def publish(session: Session, chapter: Chapter, text: str) -> ConsentNotice:
    """A new version of the chapter's notice (the earlier ones stay, unchanged)."""
    text = (text or "").strip()
    if not text:
        raise ValueError("The notice needs a text.")
    latest = session.scalar(select(func.max(ConsentNotice.version)).where(
        ConsentNotice.chapter_id == chapter.id)) or 0
    notice = ConsentNotice(chapter_id=chapter.id, version=latest + 1, text=text)
    session.add(notice)
    session.flush()
    return notice


def revise(session: Session, chapter: Chapter, text: str) -> ConsentNotice | None:
    """Publish ``text`` as the next version, unless it is the wording in use already (the
    same words; line breaks as a browser sends them do not count): then nothing is
    written and None is returned."""
    def same(wording: str) -> str:
        return "\n".join(line.rstrip() for line in wording.strip().splitlines())

    if same(text or "") == same(current_text(session, chapter)):
        return None
    return publish(session, chapter, text)


def history(session: Session, chapter: Chapter) -> list[tuple[ConsentNotice, int]]:
    """Every version, newest first, with how many allies agreed to it."""
    from coalition.models import Ally

    return session.execute(
        select(ConsentNotice, func.count(Ally.id))
        .outerjoin(Ally, Ally.consent_notice_id == ConsentNotice.id)
        .where(ConsentNotice.chapter_id == chapter.id)
        .group_by(ConsentNotice.id).order_by(ConsentNotice.version.desc())).all()


def for_signup(session: Session, chapter: Chapter, shown_text: str) -> ConsentNotice:
    """The notice matching the wording the person saw (stored on first use)."""
    notice = current(session, chapter)
    if notice is not None and notice.text == shown_text:
        return notice
    return publish(session, chapter, shown_text)
