"""Allies signing up on a chapter's public page. The caller commits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coalition.allies import regions
from coalition.models import (
    COMMITTED_STANCES,
    Ally,
    Chapter,
    Issue,
    Membership,
    Stance,
    User,
    utcnow,
)
from coalition.platform.templating import day

# Kinds an outsider can choose for themselves, with wording a visitor recognises.
PUBLIC_KINDS = {
    "patient": "Patient or family member",
    "support_group": "Support group (leader or member)",
    "patient_org": "Patient organisation",
    "medical": "Physician or other medical professional",
    "employer": "Employer",
    "other": "Other",
}


def consent_method(chapter: Chapter) -> str:
    return f"public sign-up form at /join/{chapter.slug}"


def open_issues(session: Session, chapter: Chapter) -> list[Issue]:
    return list(session.scalars(
        select(Issue).where(Issue.chapter_id == chapter.id, Issue.closed_on.is_(None))
        .order_by(Issue.title, Issue.id)))


def find_by_email(session: Session, chapter: Chapter, email: str) -> Ally | None:
    return session.scalars(
        select(Ally).where(Ally.chapter_id == chapter.id,
                           func.lower(Ally.email) == email.strip().lower())
        .order_by(Ally.status, Ally.id)).first()  # "active" sorts before "pending"


def sign_up(session: Session, chapter: Chapter, *, name: str, email: str, kind: str,
            region: str | None, organisation: str | None, knows: str | None,
            issue_ids: list[int], consent: bool, user_id: int | None = None,
            notice_text: str | None = None) -> Ally | None:
    """Record a sign-up: a pending ally (or the existing ally with this e-mail) supporting
    the chosen open issues of this chapter. Issue ids of other chapters are ignored.
    Someone erased on request is not stored again (None)."""
    if not consent:
        raise ValueError("consent is required")
    email = email.strip().lower()
    from coalition.privacy.rights import is_erased

    if is_erased(session, chapter.id, email):
        return None
    # One sign-up per chapter at a time: two at once with one e-mail make one ally.
    # (SQLite: the request holds the write lock from BEGIN IMMEDIATE; PostgreSQL: this.)
    session.execute(select(Chapter.id).where(Chapter.id == chapter.id).with_for_update())
    ally = find_by_email(session, chapter, email)
    if ally is None:
        tell_coordinators(session, chapter)
        # A place the chapter lists becomes the ally's region; any other stays in the notes
        # for the coordinator who approves the sign-up (the public adds no regions).
        place = regions.tidy(region)
        listed = regions.known_name(session, chapter.id, place)
        ally = Ally(chapter_id=chapter.id, status="pending", name=name.strip(), email=email,
                    kind=kind if kind in PUBLIC_KINDS else "other",
                    is_organisation=(kind == "patient_org"),
                    region=listed,
                    notes=f"Lives or works in: {place} (from the sign-up page)" if place and not listed else None,
                    organisation=(organisation or "").strip() or None)
        session.add(ally)
    ally.consent = True
    ally.consent_at = ally.consent_at or utcnow()
    ally.consent_method = consent_method(chapter)
    if notice_text:  # the exact wording shown (after the lock: one version per text)
        from coalition.allies import consent as notices

        ally.consent_notice_id = notices.for_signup(session, chapter, notice_text).id
    if knows and knows.strip():
        line = f"Whom I know (sign-up, {day(date.today())}): {knows.strip()}"
        ally.notes = f"{ally.notes}\n\n{line}" if ally.notes else line
    if user_id is not None and ally.user_id is None:
        ally.user_id = user_id
    session.flush()

    wanted = set(session.scalars(select(Issue.id).where(
        Issue.chapter_id == chapter.id, Issue.closed_on.is_(None),
        Issue.id.in_(issue_ids or [-1]))))
    existing = {s.issue_id: s for s in session.scalars(
        select(Stance).where(Stance.ally_id == ally.id, Stance.chapter_id == chapter.id))}
    for issue_id in sorted(wanted):
        stance = existing.get(issue_id)
        if stance is None:
            session.add(Stance(chapter_id=chapter.id, ally_id=ally.id, issue_id=issue_id,
                               stance="supporter"))
        elif stance.stance not in COMMITTED_STANCES:
            stance.stance = "supporter"  # a champion stays a champion
    session.flush()
    return ally


def tell_coordinators(session: Session, chapter: Chapter) -> None:
    """Each coordinator of the chapter gets a notice of a new sign-up, once the sign-up is
    saved. It names nobody: the person may be a patient, and the list it links to is
    behind the log-in."""
    from coalition.platform import mail

    coordinators = session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.chapter_id == chapter.id, Membership.role == "coordinator",
               Membership.status == "active", User.active.is_(True))
        .order_by(User.id)).all()
    if not coordinators:
        return
    pending = mail.link("allies.pending", slug=chapter.slug)
    for user in coordinators:
        mail.send_after_commit(
            session, user.email, f"New sign-up for {chapter.name} waits for approval", (
                f"Hello {user.name},\n\n"
                f"Someone signed up on the public page of {chapter.name} and waits for a "
                "coordinator to approve them. Until then they are not part of the "
                "coalition's allies.\n\n"
                f"See who is waiting, and approve or reject them:\n{pending}\n"),
            reason=f"You get this e-mail because you coordinate {chapter.name}.",
            category="signups", user_id=user.id)
